"""Pairing agreements with plan items and activities; mentoring sessions and matched
proposals awaiting the schools' confirmation

Revision ID: 557a7c2d7506
Revises: 5287e87bc399
Create Date: 2026-11-23 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '557a7c2d7506'
down_revision = '5287e87bc399'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mentor_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('mentee_id', sa.Integer(), nullable=False),
    sa.Column('tier', sa.Enum('master', 'backbone', 'new_teacher', name='mentor_tier', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('goals', sa.Text(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('reasons', sa.JSON(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'confirmed', 'declined', 'withdrawn', name='proposal_status', native_enum=False, create_constraint=True), server_default='pending', nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('mentor_id <> mentee_id', name=op.f('ck_mentor_proposals_distinct_teachers')),
    sa.ForeignKeyConstraint(['group_id'], ['education_groups.id'], name=op.f('fk_mentor_proposals_group_id_education_groups')),
    sa.ForeignKeyConstraint(['mentee_id'], ['teachers.id'], name=op.f('fk_mentor_proposals_mentee_id_teachers')),
    sa.ForeignKeyConstraint(['mentor_id'], ['teachers.id'], name=op.f('fk_mentor_proposals_mentor_id_teachers')),
    sa.ForeignKeyConstraint(['pair_id'], ['mentor_pairs.id'], name=op.f('fk_mentor_proposals_pair_id_mentor_pairs')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_mentor_proposals_proposed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_proposals'))
    )

    with op.batch_alter_table('mentor_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_proposals_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_proposals_mentee_id'), ['mentee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_proposals_mentor_id'), ['mentor_id'], unique=False)

    op.create_table('pairing_agreements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pairing_id', sa.Integer(), nullable=False),
    sa.Column('goals', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['pairing_id'], ['pairings.id'], name=op.f('fk_pairing_agreements_pairing_id_pairings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_pairing_agreements_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairing_agreements')),
    sa.UniqueConstraint('pairing_id', name=op.f('uq_pairing_agreements_pairing_id'))
    )

    op.create_table('pairing_plan_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pairing_id', sa.Integer(), nullable=False),
    sa.Column('dimension', sa.Enum('moral', 'curriculum', 'teachers', 'mechanism', 'sharing', name='plan_dimension', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('planned_activities', sa.Integer(), server_default='1', nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('done', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('planned_activities > 0', name=op.f('ck_pairing_plan_items_planned_activities_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_pairing_plan_items_created_by_id_users')),
    sa.ForeignKeyConstraint(['pairing_id'], ['pairings.id'], name=op.f('fk_pairing_plan_items_pairing_id_pairings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairing_plan_items'))
    )

    with op.batch_alter_table('pairing_plan_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pairing_plan_items_pairing_id'), ['pairing_id'], unique=False)

    op.create_table('mentor_proposal_confirmations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('confirmed', sa.Boolean(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_mentor_proposal_confirmations_decided_by_id_users')),
    sa.ForeignKeyConstraint(['proposal_id'], ['mentor_proposals.id'], name=op.f('fk_mentor_proposal_confirmations_proposal_id_mentor_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_mentor_proposal_confirmations_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_proposal_confirmations')),
    sa.UniqueConstraint('proposal_id', 'school_id', name=op.f('uq_mentor_proposal_confirmations_proposal_id_school_id'))
    )

    with op.batch_alter_table('mentor_proposal_confirmations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_proposal_confirmations_school_id'), ['school_id'], unique=False)

    op.create_table('mentoring_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('observation', 'feedback', 'joint_preparation', 'demonstration', 'research', name='mentoring_session_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('hours', sa.Double(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('mentor_record_id', sa.Integer(), nullable=True),
    sa.Column('mentee_record_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('hours > 0', name=op.f('ck_mentoring_sessions_hours_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_mentoring_sessions_created_by_id_users')),
    sa.ForeignKeyConstraint(['mentee_record_id'], ['training_records.id'], name=op.f('fk_mentoring_sessions_mentee_record_id_training_records'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mentor_record_id'], ['training_records.id'], name=op.f('fk_mentoring_sessions_mentor_record_id_training_records'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pair_id'], ['mentor_pairs.id'], name=op.f('fk_mentoring_sessions_pair_id_mentor_pairs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_sessions'))
    )

    with op.batch_alter_table('mentoring_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentoring_sessions_date'), ['date'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentoring_sessions_pair_id'), ['pair_id'], unique=False)

    op.create_table('pairing_activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_item_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('participants', sa.Text(), nullable=True),
    sa.Column('evidence_name', sa.String(length=200), nullable=True),
    sa.Column('evidence_path', sa.String(length=100), nullable=True),
    sa.Column('evidence_type', sa.String(length=100), nullable=True),
    sa.Column('evidence_size', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('evidence_size IS NULL OR evidence_size >= 0', name=op.f('ck_pairing_activities_evidence_size_non_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_pairing_activities_created_by_id_users')),
    sa.ForeignKeyConstraint(['plan_item_id'], ['pairing_plan_items.id'], name=op.f('fk_pairing_activities_plan_item_id_pairing_plan_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairing_activities'))
    )

    with op.batch_alter_table('pairing_activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pairing_activities_date'), ['date'], unique=False)
        batch_op.create_index(batch_op.f('ix_pairing_activities_plan_item_id'), ['plan_item_id'], unique=False)

    with op.batch_alter_table('mentor_pairs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_mentor_pairs_group_id_education_groups'), 'education_groups', ['group_id'], ['id'])


def downgrade():
    with op.batch_alter_table('mentor_pairs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_mentor_pairs_group_id_education_groups'), type_='foreignkey')
        batch_op.drop_column('group_id')

    with op.batch_alter_table('pairing_activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pairing_activities_plan_item_id'))
        batch_op.drop_index(batch_op.f('ix_pairing_activities_date'))

    op.drop_table('pairing_activities')

    with op.batch_alter_table('mentoring_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentoring_sessions_pair_id'))
        batch_op.drop_index(batch_op.f('ix_mentoring_sessions_date'))

    op.drop_table('mentoring_sessions')

    with op.batch_alter_table('mentor_proposal_confirmations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_proposal_confirmations_school_id'))

    op.drop_table('mentor_proposal_confirmations')

    with op.batch_alter_table('pairing_plan_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pairing_plan_items_pairing_id'))

    op.drop_table('pairing_plan_items')

    op.drop_table('pairing_agreements')

    with op.batch_alter_table('mentor_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_proposals_mentor_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_proposals_mentee_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_proposals_group_id'))

    op.drop_table('mentor_proposals')
