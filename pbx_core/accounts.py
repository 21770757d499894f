"""User accounts: creating users with their secrets, and checking API logins.

Login passwords are kept as argon2id hashes (argon2-cffi); SIP passwords only as the digest HA1
values of RFC 3261 section 22.4 (MD5) and RFC 8760 (SHA-256), so neither is ever stored in clear.
Hashing costs tens of milliseconds, so it runs in a worker thread, off the event loop; sign-in
reads and writes the store through its gateway (``store.aio``). :meth:`Accounts.create_user`
is synchronous: it hashes and writes in the caller's thread (the store's worker at start-up).
"""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pbx_core.errors import AuthError, NotFound
from pbx_core.password_policy import require_valid_password
from pbx_core.signaling.auth import compute_ha1
from pbx_core.store import NewUser, SipCredentials, Store, UserRecord
from pbx_core.store.secrets import set_user_secrets

__all__ = ["Accounts"]

_WRONG = "wrong user name or password"


class Accounts:
    """Creates users and verifies sign-ins against the store."""

    def __init__(self, store: Store, realm: str, *, hasher: PasswordHasher | None = None) -> None:
        self._store = store
        self._realm = realm
        self._hasher = hasher or PasswordHasher()
        self._dummy_hash: str | None = None

    @property
    def realm(self) -> str:
        return self._realm

    def create_user(
        self,
        *,
        extension: str,
        display_name: str,
        email: str,
        password: str,
        department: str | None = None,
        roles: tuple[str, ...] = (),
    ) -> UserRecord:
        """Add a user whose SIP user name is ``extension``; one password for SIP and the API.

        The password must satisfy :mod:`pbx_core.password_policy` (PasswordPolicyError).
        """
        if not extension.isdigit():
            raise ValueError(f"extension must be digits: {extension!r}")
        require_valid_password(password)
        return self._store.add_user(
            NewUser(
                extension=extension,
                display_name=display_name,
                email=email,
                department=department,
                roles=roles,
                password_hash=self._hasher.hash(password),
                realm=self._realm,
                ha1_md5=compute_ha1(extension, self._realm, password, "MD5"),
                ha1_sha256=compute_ha1(extension, self._realm, password, "SHA-256"),
            )
        )

    async def authenticate(self, login: str, password: str) -> UserRecord:
        """The user signing in with extension or e-mail ``login``; AuthError otherwise."""
        record = await self._store.aio.login_record(login.strip())
        if record is None:
            # Spend the same time as for a real user so timing does not reveal who exists.
            await asyncio.to_thread(self._verify, self._dummy(), password)
            raise AuthError(_WRONG)
        if not await asyncio.to_thread(self._verify, record.password_hash, password):
            raise AuthError(_WRONG)
        if self._hasher.check_needs_rehash(record.password_hash):
            new_hash = await asyncio.to_thread(self._hasher.hash, password)
            await self._store.aio.set_password_hash(record.user.id, new_hash)
        return record.user

    async def change_password(self, user: UserRecord, current: str, new: str) -> None:
        """Set ``user``'s password (API and SIP) to ``new`` after checking ``current``.

        AuthError if ``current`` is wrong; PasswordPolicyError (every broken rule) if ``new``
        breaks the policy.
        """
        record = await self._store.aio.login_record(user.extension)
        if record is None or not await asyncio.to_thread(
            self._verify, record.password_hash, current
        ):
            raise AuthError("the current password is wrong")
        require_valid_password(new)
        new_hash = await asyncio.to_thread(self._hasher.hash, new)
        sip = SipCredentials(
            user.extension,
            self._realm,
            compute_ha1(user.extension, self._realm, new, "MD5"),
            compute_ha1(user.extension, self._realm, new, "SHA-256"),
        )
        await self._store.aio.call(set_user_secrets, self._store, user.id, new_hash, sip)

    def user(self, extension: str) -> UserRecord:
        user = self._store.user_by_extension(extension)
        if user is None:
            raise NotFound(f"no user with extension {extension}")
        return user

    def user_by_id(self, user_id: int) -> UserRecord:
        user = self._store.user_by_id(user_id)
        if user is None:
            raise NotFound(f"no user with id {user_id}")
        return user

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self._hasher.hash("not a password of anyone")
        return self._dummy_hash
