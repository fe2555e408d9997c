"""Training verification at scale: when a record was verified, and the teacher's certificate

Plain ADD COLUMN (no batch copy of the table): the training_hours triggers on
training_records stay in place on SQLite.

Revision ID: e4b1c7a9d2f3
Revises: a5d5a11accf3
Create Date: 2026-12-04 06:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4b1c7a9d2f3'
down_revision = 'a5d5a11accf3'
branch_labels = None
depends_on = None

COLUMNS = ('verified_at', 'certificate_name', 'certificate_path', 'certificate_type',
           'certificate_size')


def upgrade():
    op.add_column('training_records', sa.Column('verified_at', sa.DateTime(), nullable=True))
    op.add_column('training_records', sa.Column('certificate_name', sa.String(length=200),
                                                nullable=True))
    op.add_column('training_records', sa.Column('certificate_path', sa.String(length=100),
                                                nullable=True))
    op.add_column('training_records', sa.Column('certificate_type', sa.String(length=100),
                                                nullable=True))
    op.add_column('training_records', sa.Column('certificate_size', sa.Integer(), nullable=True))


def downgrade():
    for column in reversed(COLUMNS):
        op.drop_column('training_records', column)
