"""Puts the configured :class:`pbx_core.config.Limits` into the SIP side of a running PBX.

The parts keep safe defaults of their own; this sets the administrator's values: the digest
guard (failures per extension and per source), the source shield (scanners, untrusted rates),
bindings per extension, call admission (calls per user and per source, free RTP ports) and the
SIP/TCP connection policy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pbx_core.config import Limits
from pbx_core.guard import FailureGuard, GuardPolicy
from pbx_core.shield import ShieldPolicy
from pbx_core.signaling.admission import AdmissionPolicy
from pbx_core.signaling.transport import TcpPolicy

if TYPE_CHECKING:
    from pbx_core.telephony import Telephony

__all__ = ["apply_limits", "sip_guard_policy"]


def sip_guard_policy(limits: Limits) -> GuardPolicy:
    return GuardPolicy(
        max_failures=limits.auth_max_failures,
        window=limits.auth_window_seconds,
        block_seconds=limits.auth_block_seconds,
    )


def apply_limits(telephony: Telephony, limits: Limits) -> None:
    """Configure ``telephony``'s authenticator, registrar, B2BUA and transports."""
    telephony.authenticator.guard = FailureGuard(sip_guard_policy(limits))
    telephony.endpoint.shield.policy = ShieldPolicy(
        max_strikes=limits.sip_scan_max_strikes,
        window=limits.auth_window_seconds,
        block_seconds=limits.sip_scan_block_seconds,
        rate=limits.sip_untrusted_rate,
        burst=2 * limits.sip_untrusted_rate,
    )
    telephony.registrar.max_bindings = limits.bindings_per_extension
    telephony.b2bua.admission = AdmissionPolicy(
        calls_per_user=limits.calls_per_user, calls_per_source=limits.calls_per_source
    )
    media = telephony.media
    telephony.b2bua.free_port_pairs = lambda: media.free_port_pairs
    telephony.endpoint.transport.tcp_policy = TcpPolicy(
        header_seconds=limits.sip_tcp_header_seconds,
        idle_seconds=limits.sip_tcp_idle_seconds,
        per_source=limits.sip_tcp_per_source,
    )
