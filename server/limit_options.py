"""Command-line options for :class:`pbx_core.config.Limits`: one ``--NAME`` per field.

``--calls-per-user 8`` sets ``Limits.calls_per_user``; every option defaults to the field's
default and is listed in docs/server.md, "Security".
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Callable

from pbx_core.config import Limits

__all__ = ["add_limit_options", "limits_from"]

_HELP: dict[str, str] = {
    "auth_max_failures": "SIP digest failures per extension or source before a block",
    "auth_window_seconds": "failures count within this many seconds",
    "auth_block_seconds": "a SIP block lifts after this many seconds",
    "api_max_failures": "API sign-in failures per user name before a block (x4 per source)",
    "api_block_seconds": "an API sign-in block lifts after this many seconds",
    "login_concurrency": "passwords hashed at once (API sign-in and password change)",
    "calls_per_user": "concurrent calls one extension may place",
    "calls_per_source": "concurrent calls placed from one source address",
    "bindings_per_extension": "registered phones per extension (the oldest goes)",
    "sip_tcp_idle_seconds": "close a SIP/TCP connection silent this long",
    "sip_tcp_header_seconds": "a started SIP/TCP message must be complete within this",
    "sip_tcp_per_source": "SIP/TCP connections from one source address",
    "http_idle_seconds": "close an idle HTTP connection after this many seconds",
    "http_header_seconds": "seconds for an HTTP request head; the longest pause in its body",
    "http_per_source": "HTTP connections from one source address",
    "http_max_body": "bytes of one HTTP request body (413 beyond) or WebSocket message",
    "event_sockets_per_user": "signed-in event WebSockets of one user",
}


def _positive(kind: Callable[[str], float]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be above 0: {text!r}")
        return value

    return parse


def add_limit_options(parser: argparse.ArgumentParser) -> None:
    """Add one option per limit, in a "security limits" group."""
    group = parser.add_argument_group("security limits (docs/server.md, Security)")
    defaults = Limits()
    for f in dataclasses.fields(Limits):
        default = getattr(defaults, f.name)
        group.add_argument(
            "--" + f.name.replace("_", "-"),
            dest="limit_" + f.name,
            type=_positive(type(default)),
            default=default,
            metavar="N",
            help=f"{_HELP[f.name]} (default {default})",
        )


def limits_from(ns: argparse.Namespace) -> Limits:
    """The limits the parsed command line names."""
    return Limits(**{f.name: getattr(ns, "limit_" + f.name) for f in dataclasses.fields(Limits)})
