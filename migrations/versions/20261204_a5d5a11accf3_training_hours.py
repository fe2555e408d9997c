"""Verified training hours per teacher and 5-year window, kept by triggers on training_records

The province roll-up summed every training record of five years at read time; the indicator
now reads one row per teacher. The triggers' SQL lives with the model
(webapp/models/training_hours.py), which create_all uses too, so both ways to a schema get
the same triggers.

Revision ID: a5d5a11accf3
Revises: c9a53857ea91
Create Date: 2026-12-04 04:14:38.303822

"""
from alembic import op
import sqlalchemy as sa

from webapp.models.training_hours import (postgresql_drop_ddl, rebuild_sql, sqlite_drop_ddl,
                                          trigger_ddl)


# revision identifiers, used by Alembic.
revision = 'a5d5a11accf3'
down_revision = 'c9a53857ea91'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('training_hours',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('teacher_id', sa.Integer(), nullable=False),
    sa.Column('hours', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['teacher_id'], ['teachers.id'], name=op.f('fk_training_hours_teacher_id_teachers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('year', 'teacher_id', name=op.f('pk_training_hours'))
    )
    dialect = op.get_bind().dialect.name
    for statement in rebuild_sql(dialect) + trigger_ddl(dialect):
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    for statement in postgresql_drop_ddl() if dialect == "postgresql" else sqlite_drop_ddl():
        op.execute(statement)
    op.drop_table('training_hours')
