"""Group pictures as text without a length of 2,000: a small image inline as a data: URL.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("chat_conversations") as batch:
        batch.alter_column(
            "picture", existing_type=sa.String(length=2000), type_=sa.Text(), nullable=True
        )


def downgrade() -> None:
    with op.batch_alter_table("chat_conversations") as batch:
        batch.alter_column(
            "picture", existing_type=sa.Text(), type_=sa.String(length=2000), nullable=True
        )
