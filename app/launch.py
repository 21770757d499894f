"""``--dial`` and links: the number in a ``sip:``/``tel:``/``callto:`` link, dialled when online.

Browsers, CRMs and the desktop hand the app links such as ``tel:+31-20-123-4567``,
``callto://+31201234567``, ``sip:203@pbx.example.com`` or ``tel:%2B31201234567``;
:func:`dial_text` turns them into the text :func:`app.numbers.extract_number` understands.
:class:`LaunchRequests` keeps a number asked for before the session is online (a link that
started the app) and dials it once the session is online.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote

from app.bus import Changes
from app.numbers import extract_number
from app.protocols import CallActions
from app.stores import ConnectionState, SessionStore

__all__ = ["LaunchRequests", "dial_text", "number_of"]

_log = logging.getLogger(__name__)
_CALLTO = re.compile(r"^\s*callto:(//)?", re.IGNORECASE)
_PARAMS = re.compile(r"[;?].*$")


def dial_text(link: str) -> str:
    """The dialable part of a link or a plain number (URI parameters and escapes removed)."""
    text = unquote(link.strip())
    text = _CALLTO.sub("", text)
    lowered = text.lower()
    if lowered.startswith("tel:"):
        text = "tel:" + _PARAMS.sub("", text[4:])
    elif lowered.startswith(("sip:", "sips:")):
        scheme, rest = text.split(":", 1)
        user = _PARAMS.sub("", rest.split("@", 1)[0])
        text = f"{scheme}:{user}@" + rest.split("@", 1)[1] if "@" in rest else user
    else:
        text = _PARAMS.sub("", text)
    return text.strip()


def number_of(link: str, region: str = "NL") -> str | None:
    """The number to dial for ``link`` (E.164 or an extension), or None."""
    return extract_number(dial_text(link), region)


class LaunchRequests:
    """Dials the number a start or a link asked for, at once or when the session is online."""

    def __init__(self, session: SessionStore, calls: CallActions) -> None:
        self._session = session
        self._calls = calls
        self.pending: str | None = None
        session.hub.subscribe(self.on_changes)

    def dial(self, link: str) -> None:
        text = dial_text(link)
        if not text:
            return
        if self._session.state is ConnectionState.ONLINE:
            self._calls.dial(text)
        else:
            _log.info("dialling %s once signed in", text)
            self.pending = text

    def on_changes(self, changes: Changes) -> None:
        """A session change (on the hub): dial what waited once the session is online."""
        if not changes.touches("session"):
            return
        if self.pending is not None and self._session.state is ConnectionState.ONLINE:
            text, self.pending = self.pending, None
            self._calls.dial(text)
