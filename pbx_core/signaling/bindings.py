"""Bindings as the registrar keeps them: typed values, parsed once (RFC 3261 §10.3).

A binding is parsed at the edge (from a REGISTER, or from the store's record when the PBX
starts) and kept typed in memory: the Contact URI to send requests to, and the address the
REGISTER came from (transport, host and port; over TCP that address names the phone's open
connection, which the transport reuses). It is written back to text only for the store
(:class:`pbx_core.store.BindingRecord`).

A REGISTER that came through proxies carrying ``Path`` (RFC 3327 §5.3) leaves its Path values
in the binding, in order: requests to that phone carry them as a pre-loaded Route set (§5.4),
so they go back through the same proxy (Kamailio in front of a cluster, docs/scale-out.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pbx_core.signaling.headers import split_header_values
from pbx_core.signaling.transport import Address
from pbx_core.signaling.uri import SipUri
from pbx_core.store import BindingRecord

__all__ = ["Binding", "BindingKey"]

BindingKey = tuple[str, str]
"""(extension, contact URI as text): one binding of the store and of the registrar."""


@dataclass(frozen=True, slots=True)
class Binding:
    """A registered phone of an extension, with its absolute expiry."""

    extension: str
    contact: SipUri
    destination: Address
    expires_at: datetime
    call_id: str
    cseq: int
    user_agent: str | None = None
    # the phone's ``+sip.instance`` (RFC 5626 §4.1), kept in memory only: a REGISTER of the
    # same instance from another Contact replaces this binding
    instance: str | None = None
    # the REGISTER's Path values (RFC 3327), first hop first: the Route set towards the phone
    path: tuple[str, ...] = ()

    @property
    def key(self) -> BindingKey:
        return (self.extension, str(self.contact))

    @classmethod
    def from_record(cls, record: BindingRecord) -> Binding:
        """Parse a stored binding; raises ``ValueError`` when its contact or source is bad."""
        return cls(
            extension=record.extension,
            contact=SipUri.parse(record.contact),
            destination=Address.parse(record.source),
            expires_at=record.expires_at,
            call_id=record.call_id,
            cseq=record.cseq,
            user_agent=record.user_agent,
            path=tuple(split_header_values(record.path or "")),
        )

    def record(self) -> BindingRecord:
        """The store's text form (the only place a binding becomes a string again)."""
        return BindingRecord(
            extension=self.extension,
            contact=str(self.contact),
            expires_at=self.expires_at,
            source=str(self.destination),
            call_id=self.call_id,
            cseq=self.cseq,
            user_agent=self.user_agent,
            path=", ".join(self.path) or None,
        )
