"""A user for a test's store: what ``Store.add_user`` takes, with placeholder credentials."""

from __future__ import annotations

from pbx_core.store import NewUser

__all__ = ["new_user"]


def new_user(
    extension: str,
    department: str | None = "Sales",
    roles: tuple[str, ...] = (),
    name: str | None = None,
) -> NewUser:
    """User ``extension`` ("User 201" unless ``name``), ``user201@acme.example``; the password
    hash and the digest HA1s are placeholders (no test signs in with them)."""
    return NewUser(
        extension=extension,
        display_name=name or f"User {extension}",
        email=f"user{extension}@acme.example",
        department=department,
        roles=roles,
        password_hash="$argon2id$fake",
        realm="acme.local",
        ha1_md5="0" * 32,
        ha1_sha256="1" * 64,
    )
