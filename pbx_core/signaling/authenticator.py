"""Digest authentication of requests from phones (RFC 3261 §22, RFC 8760).

Decides, for one request, whether it carries valid credentials; if not, which answer to give:
401 with a fresh challenge (no credentials; with ``stale=true`` the right password with a nonce
that is expired, used again, sent to another address or not issued by this process), or 403
(wrong password and unknown user alike, whatever the nonce; also while the user name or the
source is blocked after too many failures, see :class:`pbx_core.guard.FailureGuard`). Nonces are
bound to the address they were sent to and each nonce-count is accepted once (RFC 7616 §3.4.5),
so a captured Authorization header cannot register anyone again. The stored secrets are HA1
values only, one per algorithm, so no password is kept in clear.

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

from pbx_core.config import DIGEST_SHA256_AGENTS
from pbx_core.guard import FailureGuard, GuardPolicy
from pbx_core.signaling.auth import (
    NonceCounter,
    NonceManager,
    compute_ha1,
    make_challenge,
    parse_authorization,
    verify,
)
from pbx_core.signaling.message import SipParseError, SipRequest
from pbx_core.signaling.transport import Address

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
    reason: str | None = None

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
        guard: GuardPolicy | None = None,
        sha256_agents: tuple[str, ...] = DIGEST_SHA256_AGENTS,
    ) -> None:
        if not algorithms or any(a not in ("MD5", "SHA-256") for a in algorithms):
            raise ValueError(f"digest algorithms must be MD5 and/or SHA-256: {algorithms}")
        self.realm = realm
        self.algorithms = algorithms
        self.sha256_agents = tuple(agent.lower() for agent in sha256_agents)
        self._lookup = lookup
        self._clock = clock
        self._nonces = NonceManager(secret or secrets.token_bytes(32))
        self._counts = NonceCounter(self._nonces.lifetime)
        self.guard = FailureGuard(guard)
        self._dummy = {a: compute_ha1("-", realm, secrets.token_hex(8), a) for a in algorithms}

    def challenge(
        self, source: Address | None = None, *, stale: bool = False, user_agent: str = ""
    ) -> AuthOutcome:
        """A 401 with one challenge per algorithm offered, in the configured order (RFC 8760
        §2.4). The nonce is bound to ``source``'s transport and host.

        SHA-256 is offered only to phones known to handle it (``sha256_agents``, matched in
        their User-Agent) or when it is the only algorithm configured: some deployed phones
        give up on a 401 that carries any other challenge than MD5 (Debian 12's baresip ends
        the registration with "Function not implemented"), and many read only the first one.
        """
        now = self._clock()
        nonce = self._nonces.issue(now, _bound(source))
        self._counts.issued(nonce, now)
        headers = tuple(
            ("WWW-Authenticate", make_challenge(self.realm, nonce, algorithm, stale=stale))
            for algorithm in self.offered(user_agent)
        )
        return AuthOutcome(None, 401, headers)

    def offered(self, user_agent: str) -> tuple[str, ...]:
        """The algorithms a phone with this User-Agent is challenged with."""
        agent = user_agent.lower()
        if "*" in self.sha256_agents or any(known in agent for known in self.sha256_agents):
            return self.algorithms
        return tuple(a for a in self.algorithms if a != "SHA-256") or self.algorithms

    def check(self, request: SipRequest, source: Address | None = None) -> AuthOutcome:
        """Authenticate ``request`` received from ``source`` (default: its top Via, which the
        transaction layer stamps with ``received``)."""
        if source is None:
            source = _via_source(request)
        agent = request.headers.get("User-Agent") or ""
        values = request.headers.get_lines("Authorization")
        # Credentials of a scheme other than Digest are as good as none (RFC 4475 §3.3.7).
        digest = [v for v in values if v.lstrip()[:7].lower() == "digest "]
        mine = [v for v in digest if f'realm="{self.realm}"' in v or "realm=" not in v]
        if not mine:
            return self.challenge(source, user_agent=agent)
        try:
            creds = parse_authorization(mine[0])
        except ValueError as exc:
            _log.info("bad Authorization header from %s: %s", request.from_addr.uri, exc)
            return AuthOutcome(None, 400)
        if creds.realm != self.realm:
            return self.challenge(source, user_agent=agent)
        now = self._clock()
        keys = _keys(creds.username, source)
        wait = self.guard.retry_after(keys, now)
        if wait is not None:
            _log.debug(
                "%s: %r from %s refused while blocked", request.method, creds.username, source
            )
            return AuthOutcome(None, 403, reason="Forbidden - too many failed attempts")
        algorithm = creds.algorithm.upper()
        if algorithm not in self.algorithms:
            return self.challenge(source, user_agent=agent)
        account = self._lookup(creds.username)
        if account is None:
            ha1 = self._dummy[algorithm]  # same work and answer as a wrong password
        else:
            ha1 = account.ha1_sha256 if algorithm == "SHA-256" else account.ha1_md5
        if not verify(creds, request.method, ha1, request.body) or account is None:
            _log.info(
                "%s: wrong credentials for SIP user %r from %s",
                request.method,
                creds.username,
                source,
            )
            for key in self.guard.failed(keys, now):
                _log.warning(
                    "SIP sign-in: %s blocked for %.0f s after %d failures",
                    key,
                    self.guard.policy.block_seconds,
                    self.guard.policy.max_failures,
                )
            return AuthOutcome(None, 403)
        # The password is right: whatever is wrong with the nonce (expired, never issued here or
        # before a restart, sent to another address), a fresh one is the fix (RFC 7616 §3.3).
        if self._nonces.check(creds.nonce, now, _bound(source)) != "ok":
            return self.challenge(source, stale=True, user_agent=agent)
        use = self._counts.use(creds.nonce, creds.nc)
        if use != "ok":
            if use == "replayed":
                _log.info(
                    "%s: nonce count %s of SIP user %r used again, from %s",
                    request.method,
                    creds.nc,
                    creds.username,
                    source,
                )
            return self.challenge(source, stale=True, user_agent=agent)
        self.guard.succeeded(keys[0])
        return AuthOutcome(account.extension)


def _keys(username: str, source: Address | None) -> tuple[str, str]:
    return (f"user:{username}", f"source:{source.host if source else '-'}")


def _bound(source: Address | None) -> str:
    return "" if source is None else f"{source.transport}:{source.host}"


def _via_source(request: SipRequest) -> Address | None:
    try:
        via = request.top_via
    except SipParseError:
        return None
    host = via.params.get("received") or via.host
    return Address(via.transport.lower(), host, via.port or 5060)
