"""Routing rules (P5): the organisation's and each user's rules, and their routing settings.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "routing_rules",
        sa.Column("owner", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("owner", "scope", "position", name=op.f("pk_routing_rules")),
    )
    op.create_table(
        "routing_settings",
        sa.Column("owner", sa.String(length=32), nullable=False),
        sa.Column("mobile", sa.String(length=32), nullable=True),
        sa.Column("time_zone", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("owner", name=op.f("pk_routing_settings")),
    )


def downgrade() -> None:
    op.drop_table("routing_settings")
    op.drop_table("routing_rules")
