"""走教 solves queued for the scheduler process: the queue's order, the solving child's pid, when it started

Revision ID: c9a53857ea91
Revises: 0a39c361b2d1
Create Date: 2026-12-04 03:58:59.742538

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c9a53857ea91'
down_revision = '0a39c361b2d1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('itinerant_solve_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('queued_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('pid', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('started_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_itinerant_solve_runs_queued_at'), ['queued_at'],
                              unique=False)
    # Runs from before the queue were queued when they were created.
    op.execute("UPDATE itinerant_solve_runs SET queued_at = created_at, started_at = created_at")


def downgrade():
    with op.batch_alter_table('itinerant_solve_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_itinerant_solve_runs_queued_at'))
        batch_op.drop_column('started_at')
        batch_op.drop_column('pid')
        batch_op.drop_column('queued_at')
