"""Counties say how many days before an exchange's start its arrival may be confirmed.

Revision ID: 0a39c361b2d1
Revises: 784916468c33
Create Date: 2026-12-04 04:52:09.468771

"""
from alembic import op
import sqlalchemy as sa


revision = '0a39c361b2d1'
down_revision = '784916468c33'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('counties', schema=None) as batch_op:
        batch_op.add_column(sa.Column('arrival_early_days', sa.Integer(), server_default='0',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('counties', schema=None) as batch_op:
        batch_op.drop_column('arrival_early_days')
