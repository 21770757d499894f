"""ACD queues (P9): the queues' settings as JSON, the agents' login states and the queue call log.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "queues",
        sa.Column("number", sa.String(length=15), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_queues")),
    )
    op.create_table(
        "queue_agents",
        sa.Column("queue", sa.String(length=15), nullable=False),
        sa.Column("extension", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("queue", "extension", name=op.f("pk_queue_agents")),
    )
    op.create_table(
        "queue_calls",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("call_id", sa.String(length=128), nullable=False),
        sa.Column("queue", sa.String(length=15), nullable=False),
        sa.Column("caller", sa.String(length=64), nullable=False),
        sa.Column("caller_name", sa.String(length=128), nullable=True),
        sa.Column("arrived_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("agent", sa.String(length=32), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("overflow_reason", sa.String(length=16), nullable=True),
        sa.Column("forwarded_to", sa.String(length=32), nullable=True),
        sa.Column("waited_s", sa.Float(), nullable=False),
        sa.Column("handling", sa.String(length=16), nullable=False, server_default="unhandled"),
        sa.Column("assigned_to", sa.String(length=32), nullable=True),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_calls")),
    )
    op.create_index(
        "ix_queue_calls_queue_arrived_at", "queue_calls", ["queue", "arrived_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_queue_calls_queue_arrived_at", table_name="queue_calls")
    op.drop_table("queue_calls")
    op.drop_table("queue_agents")
    op.drop_table("queues")
