"""What the signed-in session talks to right now; replaced on every (re)connect."""

from __future__ import annotations

from dataclasses import dataclass

from app.api import ApiClient
from app.errors import ServerUnreachable
from app.stores._base import tr

__all__ = ["Connection"]


@dataclass(slots=True)
class Connection:
    """The REST client of the current sign-in (None while offline or signed out)."""

    api: ApiClient | None = None
    extension: str | None = None

    def require_api(self) -> ApiClient:
        if self.api is None:
            raise ServerUnreachable(tr("Not connected to the server."))
        return self.api
