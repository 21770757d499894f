"""Voicemail messages and each user's voicemail switch.

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "voicemail_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mailbox", sa.String(length=32), nullable=False),
        sa.Column("inbox", sa.String(length=64), nullable=False),
        sa.Column("caller", sa.String(length=100), nullable=False),
        sa.Column("caller_name", sa.String(length=200), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("heard", sa.Boolean(), nullable=False),
        sa.Column("audio", sa.String(length=500), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voicemail_messages")),
    )
    op.create_index(
        "ix_voicemail_messages_mailbox_received",
        "voicemail_messages",
        ["mailbox", "received_at"],
        unique=False,
    )
    op.create_table(
        "voicemail_settings",
        sa.Column("extension", sa.String(length=32), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("extension", name=op.f("pk_voicemail_settings")),
    )


def downgrade() -> None:
    op.drop_table("voicemail_settings")
    op.drop_index("ix_voicemail_messages_mailbox_received", table_name="voicemail_messages")
    op.drop_table("voicemail_messages")
