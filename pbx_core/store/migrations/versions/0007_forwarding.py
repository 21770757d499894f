"""Call routing: each user's forwarding and the call flow of each status.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "forwarding",
        sa.Column("extension", sa.String(length=32), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("extension", name=op.f("pk_forwarding")),
    )
    op.create_table(
        "call_flows",
        sa.Column("extension", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("flow", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("extension", "status", name=op.f("pk_call_flows")),
    )


def downgrade() -> None:
    op.drop_table("call_flows")
    op.drop_table("forwarding")
