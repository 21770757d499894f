"""Address books: card details on company contacts, books with group access, personal contacts
and each user's type of a contact (favourite / VIP / blocked).

Revision ID: 0005
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("department", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("job_title", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("address", sa.String(length=500), nullable=True))
    op.create_table(
        "address_books",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_address_books")),
        sa.UniqueConstraint("name", name=op.f("uq_address_books_name")),
    )
    op.create_table(
        "address_book_groups",
        sa.Column("book_id", sa.Integer(), nullable=False),
        sa.Column("group_name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["book_id"],
            ["address_books.id"],
            name=op.f("fk_address_book_groups_book_id_address_books"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("book_id", "group_name", name=op.f("pk_address_book_groups")),
    )
    op.create_table(
        "address_book_contacts",
        sa.Column("book_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["book_id"],
            ["address_books.id"],
            name=op.f("fk_address_book_contacts_book_id_address_books"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_address_book_contacts_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("book_id", "contact_id", name=op.f("pk_address_book_contacts")),
    )
    op.create_table(
        "personal_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("company", sa.String(length=200), nullable=True),
        sa.Column("department", sa.String(length=200), nullable=True),
        sa.Column("job_title", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_personal_contacts_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_contacts")),
    )
    with op.batch_alter_table("personal_contacts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_personal_contacts_owner_id"), ["owner_id"], unique=False
        )
    op.create_table(
        "personal_contact_numbers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=64), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["personal_contacts.id"],
            name=op.f("fk_personal_contact_numbers_contact_id_personal_contacts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_contact_numbers")),
    )
    with op.batch_alter_table("personal_contact_numbers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_personal_contact_numbers_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_personal_contact_numbers_number"), ["number"], unique=False
        )
    op.create_table(
        "contact_marks",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_contact_marks_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "kind", "contact_id", name=op.f("pk_contact_marks")),
    )


def downgrade() -> None:
    op.drop_table("contact_marks")
    with op.batch_alter_table("personal_contact_numbers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_personal_contact_numbers_number"))
        batch_op.drop_index(batch_op.f("ix_personal_contact_numbers_contact_id"))
    op.drop_table("personal_contact_numbers")
    with op.batch_alter_table("personal_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_personal_contacts_owner_id"))
    op.drop_table("personal_contacts")
    op.drop_table("address_book_contacts")
    op.drop_table("address_book_groups")
    op.drop_table("address_books")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("address")
        batch_op.drop_column("job_title")
        batch_op.drop_column("department")
