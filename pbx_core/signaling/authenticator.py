"""Digest authentication of requests from phones (RFC 3261 §22, RFC 8760).

Decides, for one request, whether it carries valid credentials; if not, which answer to give:
401 with a fresh challenge (no or stale credentials), or 403 (wrong password, wrong user). The
stored secrets are HA1 values only, one per algorithm, so no password is kept in clear.

The check runs on the event loop for every REGISTER and INVITE, so ``lookup`` must answer from
memory: the PBX passes :meth:`pbx_core.store.Store.sip_credentials`, which reads the store's
cache of credentials and never runs SQL.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from pbx_core.signaling.auth import (
    NonceManager,
    make_challenge,
    parse_authorization,
    verify,
)
from pbx_core.signaling.message import SipRequest

__all__ = ["AuthOutcome", "Credentials", "DigestAuthenticator"]

_log = logging.getLogger(__name__)


class Credentials(Protocol):
    """What the store knows of one SIP account."""

    @property
    def extension(self) -> str: ...

    @property
    def ha1_md5(self) -> str: ...

    @property
    def ha1_sha256(self) -> str: ...


@dataclass(frozen=True, slots=True)
class AuthOutcome:
    """``extension`` when the request is authenticated; else the status and headers to send."""

    extension: str | None
    status: int = 0
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        return self.extension is not None


class DigestAuthenticator:
    """Checks Authorization headers against stored HA1 values; issues challenges."""

    def __init__(
        self,
        realm: str,
        lookup: Callable[[str], Credentials | None],
        *,
        clock: Callable[[], float],
        secret: bytes | None = None,
        algorithms: tuple[str, ...] = ("MD5", "SHA-256"),
    ) -> None:
        if not algorithms or any(a not in ("MD5", "SHA-256") for a in algorithms):
            raise ValueError(f"digest algorithms must be MD5 and/or SHA-256: {algorithms}")
        self.realm = realm
        self.algorithms = algorithms
        self._lookup = lookup
        self._clock = clock
        self._nonces = NonceManager(secret or secrets.token_bytes(32))

    def challenge(self, *, stale: bool = False) -> AuthOutcome:
        """A 401 with one challenge per algorithm, in the configured order (RFC 8760 §2.4).

        MD5 comes first by default: many deployed phones (and SIPp) read only the first
        challenge and know only MD5; clients that prefer SHA-256 still find it in the list.
        """
        nonce = self._nonces.issue(self._clock())
        headers = tuple(
            ("WWW-Authenticate", make_challenge(self.realm, nonce, algorithm, stale=stale))
            for algorithm in self.algorithms
        )
        return AuthOutcome(None, 401, headers)

    def check(self, request: SipRequest) -> AuthOutcome:
        values = request.headers.get_lines("Authorization")
        mine = [v for v in values if f'realm="{self.realm}"' in v or "realm=" not in v]
        if not mine:
            return self.challenge()
        try:
            creds = parse_authorization(mine[0])
        except ValueError as exc:
            _log.info("bad Authorization header from %s: %s", request.from_addr.uri, exc)
            return AuthOutcome(None, 400)
        if creds.realm != self.realm:
            return self.challenge()
        nonce_state = self._nonces.check(creds.nonce, self._clock())
        if nonce_state == "invalid":
            return self.challenge()
        account = self._lookup(creds.username)
        if account is None:
            _log.info("%s: unknown SIP user %r", request.method, creds.username)
            return AuthOutcome(None, 403)
        algorithm = creds.algorithm.upper()
        if algorithm not in self.algorithms:
            return self.challenge()
        ha1 = account.ha1_sha256 if algorithm == "SHA-256" else account.ha1_md5
        if not verify(creds, request.method, ha1, request.body):
            _log.info("%s: wrong password for SIP user %r", request.method, creds.username)
            return AuthOutcome(None, 403)
        if nonce_state == "stale":
            return self.challenge(stale=True)
        return AuthOutcome(account.extension)
