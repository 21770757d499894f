"""An index in name order on the company contacts, for keyset paging of 100,000 of them.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_contacts_sort", "contacts", [sa.text("lower(name)"), "id"])


def downgrade() -> None:
    op.drop_index("ix_contacts_sort", table_name="contacts")
