"""挂牌整改 rectification items with their log, and 巡课 patrols with their observations.

Revision ID: b09366f54527
Revises: c0642f97deb7
Create Date: 2026-12-04 04:08:05.340782

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b09366f54527'
down_revision = 'c0642f97deb7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('patrols',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('patroller_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], name=op.f('fk_patrols_county_id_counties')),
    sa.ForeignKeyConstraint(['patroller_id'], ['users.id'], name=op.f('fk_patrols_patroller_id_users')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_patrols_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_patrols'))
    )
    with op.batch_alter_table('patrols', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_patrols_county_id'), ['county_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_patrols_on'), ['on'], unique=False)
        batch_op.create_index(batch_op.f('ix_patrols_school_id'), ['school_id'], unique=False)

    op.create_table('patrol_observations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patrol_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('itinerant', 'exchange', name='observation_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('demand_id', sa.Integer(), nullable=True),
    sa.Column('period', sa.Integer(), nullable=True),
    sa.Column('weekday', sa.Integer(), nullable=True),
    sa.Column('exchange_id', sa.Integer(), nullable=True),
    sa.Column('teacher_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('as_planned', 'someone_else', 'not_held', name='observation_outcome', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('file_name', sa.String(length=200), nullable=True),
    sa.Column('file_path', sa.String(length=100), nullable=True),
    sa.Column('file_type', sa.String(length=100), nullable=True),
    sa.Column('file_size', sa.Integer(), nullable=True),
    sa.CheckConstraint("(kind = 'itinerant' AND demand_id IS NOT NULL AND period IS NOT NULL) OR (kind = 'exchange' AND exchange_id IS NOT NULL)", name=op.f('ck_patrol_observations_observed_lesson')),
    sa.ForeignKeyConstraint(['demand_id'], ['itinerant_demands.id'], name=op.f('fk_patrol_observations_demand_id_itinerant_demands')),
    sa.ForeignKeyConstraint(['exchange_id'], ['exchanges.id'], name=op.f('fk_patrol_observations_exchange_id_exchanges')),
    sa.ForeignKeyConstraint(['patrol_id'], ['patrols.id'], name=op.f('fk_patrol_observations_patrol_id_patrols'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['teacher_id'], ['teachers.id'], name=op.f('fk_patrol_observations_teacher_id_teachers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_patrol_observations'))
    )
    with op.batch_alter_table('patrol_observations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_patrol_observations_demand_id'), ['demand_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_patrol_observations_exchange_id'), ['exchange_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_patrol_observations_patrol_id'), ['patrol_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_patrol_observations_teacher_id'), ['teacher_id'], unique=False)

    op.create_table('rectification_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('responsible', sa.String(length=100), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('evidence_required', sa.Text(), nullable=False),
    sa.Column('source', sa.Enum('indicator', 'patrol', 'manual', name='rectification_source', native_enum=False, create_constraint=True), server_default='manual', nullable=False),
    sa.Column('raised_by_role', sa.String(length=10), nullable=False),
    sa.Column('raised_by_id', sa.Integer(), nullable=True),
    sa.Column('indicator_key', sa.String(length=40), nullable=True),
    sa.Column('indicator_value', sa.String(length=40), nullable=True),
    sa.Column('indicator_threshold', sa.String(length=40), nullable=True),
    sa.Column('evidence_link', sa.String(length=300), nullable=True),
    sa.Column('observation_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'in_progress', 'submitted', 'closed', name='rectification_status', native_enum=False, create_constraint=True), server_default='pending', nullable=False),
    sa.Column('passing_since', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status <> 'closed' OR closed_at IS NOT NULL", name=op.f('ck_rectification_items_closed_has_time')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_rectification_items_closed_by_id_users')),
    sa.ForeignKeyConstraint(['county_id'], ['counties.id'], name=op.f('fk_rectification_items_county_id_counties')),
    sa.ForeignKeyConstraint(['group_id'], ['education_groups.id'], name=op.f('fk_rectification_items_group_id_education_groups')),
    sa.ForeignKeyConstraint(['observation_id'], ['patrol_observations.id'], name=op.f('fk_rectification_items_observation_id_patrol_observations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['raised_by_id'], ['users.id'], name=op.f('fk_rectification_items_raised_by_id_users')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_rectification_items_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification_items'))
    )
    with op.batch_alter_table('rectification_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_items_county_id'), ['county_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_items_deadline'), ['deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_items_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_items_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_items_status'), ['status'], unique=False)

    op.create_table('rectification_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('step', 'start', 'submit', 'return', 'close', name='rectification_step', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=True),
    sa.Column('file_path', sa.String(length=100), nullable=True),
    sa.Column('file_type', sa.String(length=100), nullable=True),
    sa.Column('file_size', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['rectification_items.id'], name=op.f('fk_rectification_steps_item_id_rectification_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_rectification_steps_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification_steps'))
    )
    with op.batch_alter_table('rectification_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_steps_item_id'), ['item_id'], unique=False)



def downgrade():
    with op.batch_alter_table('rectification_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_steps_item_id'))

    op.drop_table('rectification_steps')
    with op.batch_alter_table('rectification_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_items_status'))
        batch_op.drop_index(batch_op.f('ix_rectification_items_school_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_items_group_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_items_deadline'))
        batch_op.drop_index(batch_op.f('ix_rectification_items_county_id'))

    op.drop_table('rectification_items')
    with op.batch_alter_table('patrol_observations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_patrol_observations_teacher_id'))
        batch_op.drop_index(batch_op.f('ix_patrol_observations_patrol_id'))
        batch_op.drop_index(batch_op.f('ix_patrol_observations_exchange_id'))
        batch_op.drop_index(batch_op.f('ix_patrol_observations_demand_id'))

    op.drop_table('patrol_observations')
    with op.batch_alter_table('patrols', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_patrols_school_id'))
        batch_op.drop_index(batch_op.f('ix_patrols_on'))
        batch_op.drop_index(batch_op.f('ix_patrols_county_id'))

    op.drop_table('patrols')
