"""Call records say who ended the call and the caller's final SIP status; users hide calls.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("call_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ended_by", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("sip_status", sa.Integer(), nullable=True))
    op.create_table(
        "call_hidden",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("call_record_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_record_id"],
            ["call_records.id"],
            name=op.f("fk_call_hidden_call_record_id_call_records"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_call_hidden_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "call_record_id", name=op.f("pk_call_hidden")),
    )


def downgrade() -> None:
    op.drop_table("call_hidden")
    with op.batch_alter_table("call_records", schema=None) as batch_op:
        batch_op.drop_column("sip_status")
        batch_op.drop_column("ended_by")
