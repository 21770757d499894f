"""Message waiting (MWI): the counts a phone's lamp shows, as a bus event and an RFC 3842 body.

:func:`publish` puts :class:`~pbx_core.events.VoicemailCountsChanged` on the bus after every
change of a mailbox (new message, heard, deleted, expired). A ``message-summary`` event
package (SUBSCRIBE/NOTIFY, RFC 6665) subscribes to that event and NOTIFYs the body of
:func:`message_summary`; the current counts for a new subscription come from
``VoicemailService.counts(extension)``.
"""

from __future__ import annotations

from pbx_core.bus import EventBus
from pbx_core.events import VoicemailCountsChanged
from pbx_core.ids import Extension

__all__ = ["CONTENT_TYPE", "message_summary", "publish"]

CONTENT_TYPE = "application/simple-message-summary"


def publish(bus: EventBus, extension: str, new: int, old: int) -> None:
    """``extension`` has ``new`` unheard and ``old`` heard messages now."""
    bus.publish(VoicemailCountsChanged(Extension(extension), new, old))


def message_summary(new: int, old: int, account: str | None = None) -> str:
    """The RFC 3842 body: ``Messages-Waiting``, ``Message-Account``, ``Voice-Message``."""
    lines = [f"Messages-Waiting: {'yes' if new else 'no'}"]
    if account:
        lines.append(f"Message-Account: {account}")
    lines.append(f"Voice-Message: {new}/{old}")
    return "\r\n".join(lines) + "\r\n"
