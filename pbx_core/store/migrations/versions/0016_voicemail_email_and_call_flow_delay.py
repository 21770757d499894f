"""Voicemail: each user's e-mail notification of a new message (with the audio, without it,
or none; NULL: with the audio, as before). Routing: the organisation's ring delay before a
status's call flow applies (seconds; NULL: at once).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("voicemail_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_notification", sa.String(length=16), nullable=True))
    with op.batch_alter_table("routing_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("call_flow_delay_s", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("routing_settings", schema=None) as batch_op:
        batch_op.drop_column("call_flow_delay_s")
    with op.batch_alter_table("voicemail_settings", schema=None) as batch_op:
        batch_op.drop_column("email_notification")
