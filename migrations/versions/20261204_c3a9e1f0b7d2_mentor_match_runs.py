"""Mentor matching runs: computed by the scheduler process, not in a web request.

Revision ID: c3a9e1f0b7d2
Revises: e4b1c7a9d2f3
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "c3a9e1f0b7d2"
down_revision = "e4b1c7a9d2f3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mentor_match_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), server_default="queued", nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("mentee_ids", sa.JSON(), nullable=False),
        sa.Column("mentor_ids", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("message", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["group_id"], ["education_groups.id"],
                                name=op.f("fk_mentor_match_runs_group_id_education_groups")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_mentor_match_runs_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_match_runs")),
    )
    with op.batch_alter_table("mentor_match_runs") as batch:
        batch.create_index(batch.f("ix_mentor_match_runs_group_id"), ["group_id"])
        batch.create_index(batch.f("ix_mentor_match_runs_user_id"), ["user_id"])
        batch.create_index(batch.f("ix_mentor_match_runs_status"), ["status"])


def downgrade():
    op.drop_table("mentor_match_runs")
