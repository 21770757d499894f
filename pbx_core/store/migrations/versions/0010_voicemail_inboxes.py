"""Voicemail: group inboxes (a department's inbox at its own number), the call that left each
message, and each user's "press 1 for personal assistance" number.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "voicemail_groups",
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("number"),
        sa.UniqueConstraint("department", name=op.f("uq_voicemail_groups_department")),
    )
    with op.batch_alter_table("voicemail_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("call_id", sa.String(length=100), nullable=True))
    with op.batch_alter_table("voicemail_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assistance_number", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("voicemail_settings", schema=None) as batch_op:
        batch_op.drop_column("assistance_number")
    with op.batch_alter_table("voicemail_messages", schema=None) as batch_op:
        batch_op.drop_column("call_id")
    op.drop_table("voicemail_groups")
