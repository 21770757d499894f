"""Replacing a user's secrets: the login hash and the SIP digest HA1 values, in one transaction.

One password serves the API and SIP (the desktop app keeps one password for both), so a password
change writes both; the SIP credentials held in the store's memory are replaced after the commit,
so the next REGISTER is checked against the new password.
"""

from __future__ import annotations

from pbx_core.errors import StoreError
from pbx_core.store.models import SipCredentialRow, UserRow
from pbx_core.store.records import SipCredentials
from pbx_core.store.store import Store

__all__ = ["set_user_secrets"]


def set_user_secrets(store: Store, user_id: int, password_hash: str, sip: SipCredentials) -> None:
    """Replace the login hash of user ``user_id`` and the SIP credentials of its extension."""
    with store.transaction() as session:
        row = session.get(UserRow, user_id)
        if row is None:
            raise StoreError(f"no user with id {user_id}")
        row.password_hash = password_hash
        cred = session.get(SipCredentialRow, sip.extension)
        if cred is None:
            raise StoreError(f"no SIP credentials for {sip.extension}")
        cred.realm = sip.realm
        cred.ha1_md5 = sip.ha1_md5
        cred.ha1_sha256 = sip.ha1_sha256
    user = store.user_by_id(user_id)
    if user is not None:
        store._open_cache().put_user(user, sip)
