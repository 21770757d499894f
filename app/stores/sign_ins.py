"""The user's sign-ins, for Settings → Signed in (``GET /api/v1/me/sessions``), filled by
:class:`app.controllers.sign_ins.SignInsController`."""

from __future__ import annotations

from app.bus import ChangeHub
from app.sign_ins import SignIn
from app.stores._base import Store

__all__ = ["SignInsStore"]


class SignInsStore(Store):
    """Publishes ``Changes("sign_ins", {"sign_ins"})``; ``sign_ins`` newest first."""

    name = "sign_ins"

    def __init__(self, hub: ChangeHub | None = None) -> None:
        super().__init__(hub)
        self.sign_ins: list[SignIn] = []

    def set_sign_ins(self, sign_ins: list[SignIn]) -> None:
        if sign_ins != self.sign_ins:
            self.sign_ins = list(sign_ins)
            self._publish({"sign_ins"})
