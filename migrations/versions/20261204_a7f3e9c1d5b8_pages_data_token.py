"""The "pages" data token gets its row here, not from whichever two writers come first.

Its row was inserted by the first transaction that wrote: two first writers at once would both
insert it and one commit would fail on the primary key.

Revision ID: a7f3e9c1d5b8
Revises: c3a9e1f0b7d2
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "a7f3e9c1d5b8"
down_revision = "c3a9e1f0b7d2"
branch_labels = None
depends_on = None

versions = sa.table("data_versions", sa.column("name", sa.String), sa.column("token", sa.String))


def upgrade():
    bind = op.get_bind()
    have = set(bind.scalars(sa.select(versions.c.name)))
    missing = [{"name": name, "token": "initial"} for name in ("indicators", "pages")
               if name not in have]
    if missing:
        op.bulk_insert(versions, missing)


def downgrade():
    pass  # the row is harmless to an older version, which would insert it itself
