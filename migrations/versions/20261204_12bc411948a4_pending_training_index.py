"""An index of the training records awaiting verification: the home page counts them on every
visit, and the count scanned every record of the county

Revision ID: 12bc411948a4
Revises: b09366f54527
Create Date: 2026-12-04 04:15:27.122738

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '12bc411948a4'
down_revision = 'b09366f54527'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('training_records', schema=None) as batch_op:
        batch_op.create_index('ix_training_records_pending', ['teacher_id'], unique=False, sqlite_where=sa.text('verified IS 0 AND rejected_at IS NULL'), postgresql_where=sa.text('verified IS false AND rejected_at IS NULL'))


def downgrade():
    with op.batch_alter_table('training_records', schema=None) as batch_op:
        batch_op.drop_index('ix_training_records_pending')
