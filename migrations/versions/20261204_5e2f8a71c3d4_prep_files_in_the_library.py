"""集体备课 files in the resource library: the version links become foreign keys

The 定稿 and each 二次备课 are now published as resource versions, so the links that were plain
integers until the library existed point at resource_versions (set to NULL if a version goes).
The 初稿 never joins the library: its unused link is dropped.

Revision ID: 5e2f8a71c3d4
Revises: a5d5a11accf3
Create Date: 2026-12-04 06:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e2f8a71c3d4'
down_revision = 'a5d5a11accf3'
branch_labels = None
depends_on = None

LINKS = (("prep_sessions", "final_version_id"), ("prep_adaptations", "version_id"),
         ("prep_documents", "resource_version_id"))


def _name(table, column):
    return f"fk_{table}_{column}_resource_versions"


def upgrade():
    # Links written before the library held these files point nowhere: cleared first.
    for table, column in LINKS:
        op.execute(f"UPDATE {table} SET {column} = NULL WHERE {column} IS NOT NULL AND "
                   f"{column} NOT IN (SELECT id FROM resource_versions)")
    with op.batch_alter_table('prep_sessions') as batch:
        batch.drop_column('draft_version_id')
    for table, column in LINKS:
        with op.batch_alter_table(table) as batch:
            batch.create_foreign_key(_name(table, column), 'resource_versions', [column], ['id'],
                                     ondelete='SET NULL')


def downgrade():
    for table, column in LINKS:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(_name(table, column), type_='foreignkey')
    with op.batch_alter_table('prep_sessions') as batch:
        batch.add_column(sa.Column('draft_version_id', sa.Integer(), nullable=True))
