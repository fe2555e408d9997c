"""Rejected training records stay with their reason; travel times between schools

Revision ID: 43507d8a1f1e
Revises: 2d28e4f2e988
Create Date: 2026-11-23 16:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '43507d8a1f1e'
down_revision = '2d28e4f2e988'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('travel_times',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_a_id', sa.Integer(), nullable=False),
    sa.Column('school_b_id', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.CheckConstraint('minutes >= 0', name=op.f('ck_travel_times_minutes_non_negative')),
    sa.CheckConstraint('school_a_id < school_b_id', name=op.f('ck_travel_times_ordered_pair')),
    sa.ForeignKeyConstraint(['school_a_id'], ['schools.id'], name=op.f('fk_travel_times_school_a_id_schools')),
    sa.ForeignKeyConstraint(['school_b_id'], ['schools.id'], name=op.f('fk_travel_times_school_b_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_travel_times')),
    sa.UniqueConstraint('school_a_id', 'school_b_id', name=op.f('uq_travel_times_school_a_id_school_b_id'))
    )
    with op.batch_alter_table('travel_times', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_travel_times_school_a_id'), ['school_a_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_travel_times_school_b_id'), ['school_b_id'], unique=False)

    with op.batch_alter_table('training_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rejected_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('rejected_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rejection_reason', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_training_records_rejected_by_id_users'), 'users', ['rejected_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('training_records', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_training_records_rejected_by_id_users'), type_='foreignkey')
        batch_op.drop_column('rejection_reason')
        batch_op.drop_column('rejected_by_id')
        batch_op.drop_column('rejected_at')

    with op.batch_alter_table('travel_times', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_travel_times_school_b_id'))
        batch_op.drop_index(batch_op.f('ix_travel_times_school_a_id'))

    op.drop_table('travel_times')
