"""Initial schema: users, SIP credentials, bindings, call records, contacts, presence.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "call_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=300), nullable=False),
        sa.Column("caller", sa.String(length=100), nullable=False),
        sa.Column("callee", sa.String(length=100), nullable=False),
        sa.Column("caller_name", sa.String(length=200), nullable=True),
        sa.Column("callee_name", sa.String(length=200), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=False),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_records")),
    )
    with op.batch_alter_table("call_records", schema=None) as batch_op:
        batch_op.create_index(
            "ix_call_records_callee_started", ["callee", "started_at"], unique=False
        )
        batch_op.create_index(
            "ix_call_records_caller_started", ["caller", "started_at"], unique=False
        )

    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("company", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("extension", sa.String(length=32), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
        sa.UniqueConstraint("extension", name=op.f("uq_users_extension")),
    )
    op.create_table(
        "bindings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("extension", sa.String(length=32), nullable=False),
        sa.Column("contact", sa.String(length=1000), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("call_id", sa.String(length=300), nullable=False),
        sa.Column("cseq", sa.Integer(), nullable=False),
        sa.Column("user_agent", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["extension"],
            ["users.extension"],
            name=op.f("fk_bindings_extension_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bindings")),
        sa.UniqueConstraint("extension", "contact", name=op.f("uq_bindings_extension")),
    )
    with op.batch_alter_table("bindings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bindings_expires_at"), ["expires_at"], unique=False)

    op.create_table(
        "contact_numbers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=64), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_contact_numbers_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_numbers")),
    )
    with op.batch_alter_table("contact_numbers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contact_numbers_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_contact_numbers_number"), ["number"], unique=False)

    op.create_table(
        "presence",
        sa.Column("extension", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("until", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["extension"],
            ["users.extension"],
            name=op.f("fk_presence_extension_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("extension", name=op.f("pk_presence")),
    )
    op.create_table(
        "sip_credentials",
        sa.Column("username", sa.String(length=32), nullable=False),
        sa.Column("realm", sa.String(length=200), nullable=False),
        sa.Column("ha1_md5", sa.String(length=32), nullable=False),
        sa.Column("ha1_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["username"],
            ["users.extension"],
            name=op.f("fk_sip_credentials_username_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_sip_credentials")),
    )
    op.create_table(
        "user_roles",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_roles_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "role", name=op.f("pk_user_roles")),
    )


def downgrade() -> None:
    op.drop_table("user_roles")
    op.drop_table("sip_credentials")
    op.drop_table("presence")
    with op.batch_alter_table("contact_numbers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_numbers_number"))
        batch_op.drop_index(batch_op.f("ix_contact_numbers_contact_id"))

    op.drop_table("contact_numbers")
    with op.batch_alter_table("bindings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bindings_expires_at"))

    op.drop_table("bindings")
    op.drop_table("users")
    op.drop_table("contacts")
    with op.batch_alter_table("call_records", schema=None) as batch_op:
        batch_op.drop_index("ix_call_records_caller_started")
        batch_op.drop_index("ix_call_records_callee_started")

    op.drop_table("call_records")
