"""Call recordings on demand: one row per recording, kept for the user who started it.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import pbx_core.recording.models  # noqa: F401  (the table's model joins the store's metadata)

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "call_recordings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=32), nullable=False),
        sa.Column("call_id", sa.String(length=200), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("audio", sa.String(length=500), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_recordings")),
    )
    op.create_index(
        "ix_call_recordings_owner_started",
        "call_recordings",
        ["owner", "started_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_call_recordings_owner_started", table_name="call_recordings")
    op.drop_table("call_recordings")
