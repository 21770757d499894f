"""What the signed-in session talks to right now; replaced on every (re)connect."""

from __future__ import annotations

from dataclasses import dataclass

from app.api import ApiClient
from app.errors import ServerUnreachable
from app.stores._base import tr
from sip import AccountId, AccountSettings

__all__ = ["Connection"]


@dataclass(slots=True)
class Connection:
    """The REST client and SIP account of the current sign-in (None while offline or out)."""

    api: ApiClient | None = None
    extension: str | None = None
    account: AccountSettings | None = None
    account_id: AccountId | None = None

    def require_api(self) -> ApiClient:
        if self.api is None:
            raise ServerUnreachable(tr("Not connected to the server."))
        return self.api

    def require_account(self) -> tuple[AccountSettings, AccountId]:
        if self.account is None or self.account_id is None:
            raise ServerUnreachable(tr("Not connected to the server."))
        return self.account, self.account_id
