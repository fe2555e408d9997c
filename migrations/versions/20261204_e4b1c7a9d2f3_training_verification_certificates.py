"""Training verification at scale: when a record was verified, and the teacher's certificate

Plain ADD COLUMN (no batch copy of the table): the training_hours triggers on
training_records stay in place on SQLite. There the triggers are replaced by those of
webapp/models/training_hours.py, which add a verified record's hours instead of recomputing
five windows per row (a bulk verification of 4,600 records took 18 s, now well under one);
they are as right for the earlier schema, so the downgrade leaves them.

Revision ID: e4b1c7a9d2f3
Revises: e4a7c2d9b1f3
Create Date: 2026-12-04 06:30:00

"""
from alembic import op
import sqlalchemy as sa

from webapp.models.training_hours import sqlite_ddl


# revision identifiers, used by Alembic.
revision = 'e4b1c7a9d2f3'
down_revision = 'e4a7c2d9b1f3'
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
    if op.get_bind().dialect.name == "sqlite":
        for statement in sqlite_ddl():
            op.execute(statement)


def downgrade():
    for column in reversed(COLUMNS):
        op.drop_column('training_records', column)
