"""pjsua2 Account subclass and the AccountConfig built from :class:`AccountSettings`.

Registration follows RFC 3261 section 10 (digest credentials for realm "*",
i.e. whatever realm the registrar challenges with); pjsua refreshes bindings and
re-registers after ``handleIpChange``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pjsua2 as pj

from sip.config import AccountSettings
from sip.types import AccountId

__all__ = ["PjAccount", "build_account_config"]

_log = logging.getLogger(__name__)


def build_account_config(
    settings: AccountSettings, transport_id: int, rtp_address: str, rtp_port: int
) -> Any:
    """The pjsua2 AccountConfig for one profile."""
    cfg = pj.AccountConfig()
    name = f'"{settings.display_name}" ' if settings.display_name else ""
    cfg.idUri = f"{name}<{settings.aor}>"
    if settings.register:
        cfg.regConfig.registrarUri = settings.server_uri
        cfg.regConfig.timeoutSec = settings.expires
        cfg.regConfig.registerOnAdd = True
        cfg.sipConfig.proxies.append(settings.server_uri + ";lr")
    cred = pj.AuthCredInfo("digest", settings.realm, settings.user, 0, settings.password)
    cfg.sipConfig.authCreds.append(cred)
    cfg.sipConfig.transportId = transport_id
    cfg.natConfig.iceEnabled = False
    cfg.natConfig.sipStunUse = pj.PJSUA_STUN_USE_DISABLED
    cfg.natConfig.mediaStunUse = pj.PJSUA_STUN_USE_DISABLED
    cfg.natConfig.sdpNatRewriteUse = 0
    cfg.mediaConfig.transportConfig.port = rtp_port
    if rtp_address != "0.0.0.0":
        cfg.mediaConfig.transportConfig.boundAddress = rtp_address
    cfg.callConfig.timerUse = pj.PJSUA_SIP_TIMER_OPTIONAL
    if settings.transport == "tls":  # keys travel in the SDP: only over TLS, then required
        cfg.mediaConfig.srtpUse = pj.PJMEDIA_SRTP_MANDATORY
        cfg.mediaConfig.srtpSecureSignaling = 1
    return cfg


class PjAccount(pj.Account):  # type: ignore[misc]
    """Forwards registration and incoming-call callbacks to the engine core."""

    def __init__(
        self,
        account_id: AccountId,
        on_reg_state: Callable[[PjAccount, int, str], None],
        on_incoming: Callable[[PjAccount, int, str], None],
    ) -> None:
        super().__init__()
        self.account_id = account_id
        self._on_reg_state = on_reg_state
        self._on_incoming = on_incoming

    def onRegState(self, prm: Any) -> None:  # noqa: N802 - pjsua2 callback name
        try:
            self._on_reg_state(self, int(prm.code), str(prm.reason))
        except Exception:
            _log.exception("registration state handler failed")

    def onIncomingCall(self, prm: Any) -> None:  # noqa: N802 - pjsua2 callback name
        try:
            self._on_incoming(self, int(prm.callId), str(prm.rdata.wholeMsg))
        except Exception:
            _log.exception("incoming call handler failed")
