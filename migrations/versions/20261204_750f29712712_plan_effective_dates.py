"""走教 plans in force from a date: publishing a new plan keeps the weeks before it

Revision ID: 750f29712712
Revises: 6b1f0c2d9e41
Create Date: 2026-12-04 03:49:36.647737

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '750f29712712'
down_revision = '6b1f0c2d9e41'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('itinerant_lesson_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('spans', sa.JSON(), nullable=True))
    with op.batch_alter_table('itinerant_plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('effective_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('effective_until', sa.Date(), nullable=True))
    # The plan published until now was in force over the whole term; the ones it replaced were
    # replaced entirely, so they keep no days (effective_from stays NULL).
    op.execute(sa.text(
        "UPDATE itinerant_plans SET effective_from = (SELECT first_day FROM itinerant_terms "
        "WHERE itinerant_terms.id = itinerant_plans.term_id) WHERE status = 'published'"))


def downgrade():
    with op.batch_alter_table('itinerant_plans', schema=None) as batch_op:
        batch_op.drop_column('effective_until')
        batch_op.drop_column('effective_from')
    with op.batch_alter_table('itinerant_lesson_events', schema=None) as batch_op:
        batch_op.drop_column('spans')
