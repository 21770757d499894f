"""Desktop notifications (T10): what to show, what to take back, and when to stay quiet.

Pure: no Qt widgets, no D-Bus, no clock. The rules turn what the app learns (call changes,
a chat message, a new voicemail) into :class:`Note` (show) and :class:`Withdraw` (take back)
for the driver (:mod:`app.notifications_driver`), which hands them to the operating system's
notification centre. Quiet when the user asked for it: notifications off, the status "Do not
disturb", or the app's window focused on the chat the message belongs to.

Every note has a ``key`` (``call:<key>``, ``missed:<key>``, ``chat:<cid>``,
``voicemail:<id>``): a newer note with the same key replaces the older one, and a withdraw
names the key to take back (an incoming call answered, here or elsewhere, or ended).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, cast

from app import server_events
from app.call_rows import CallAdded, CallChange, CallChanged, CallRemoved
from app.stores._base import tr
from app.stores.history import HistoryEntry

__all__ = [
    "Note",
    "NoteAction",
    "NoteKind",
    "Situation",
    "VoicemailReceived",
    "Withdraw",
    "chat_note",
    "missed_call_notes",
    "notes_for_calls",
    "register_voicemail_events",
    "voicemail_note",
]

NoteKind = Literal["call", "missed", "chat", "voicemail"]
ActionName = Literal["answer", "decline", "call_back", "listen"]


@dataclass(frozen=True, slots=True)
class NoteAction:
    """One button of a notification: what it does (``name``) and its label."""

    name: ActionName
    label: str


@dataclass(frozen=True, slots=True)
class Note:
    """One notification to show. ``target``: the call key, the number to call back, the
    conversation id or the voicemail id, as text. ``reply``: a reply field's placeholder
    (None: no reply field)."""

    key: str
    kind: NoteKind
    title: str
    body: str
    target: str
    actions: tuple[NoteAction, ...] = ()
    reply: str | None = None
    urgent: bool = False


@dataclass(frozen=True, slots=True)
class Withdraw:
    """Take the notification with this key back (nothing happens when none is shown)."""

    key: str


@dataclass(frozen=True, slots=True)
class Situation:
    """What decides whether to notify now: the user's switch, their status, and which chat
    the app's focused window shows (None: no chat in view or the window not focused)."""

    enabled: bool = True
    status: str = "available"
    chat_in_view: int | None = None

    @property
    def quiet(self) -> bool:
        return not self.enabled or self.status == "dnd"


def _who(name: str | None, number: str) -> str:
    return f"{name} ({number})" if name and name != number else number


def _via(queue: str | None) -> str:
    """ "\nvia Support" under the caller of a queue's call ("" for any other call)."""
    return "\n" + tr("via {queue}").format(queue=queue) if queue else ""


def notes_for_calls(changes: Sequence[CallChange], situation: Situation) -> list[Note | Withdraw]:
    """Incoming call shown (Answer / Decline) while it rings here; taken back once answered
    (here or elsewhere) or ended."""
    out: list[Note | Withdraw] = []
    for change in changes:
        if isinstance(change, CallRemoved):
            out.append(Withdraw(f"call:{change.key}"))
            continue
        call = change.call
        if isinstance(change, CallAdded):
            if call.direction == "incoming" and call.state == "incoming" and not situation.quiet:
                out.append(
                    Note(
                        f"call:{call.key}",
                        "call",
                        tr("Incoming call"),
                        _who(call.name, call.number) + _via(call.queue),
                        call.key,
                        (
                            NoteAction("answer", tr("Answer")),
                            NoteAction("decline", tr("Decline")),
                        ),
                        urgent=True,
                    )
                )
            continue
        assert isinstance(change, CallChanged)
        if change.before.state == "incoming" and call.state != "incoming":
            out.append(Withdraw(f"call:{call.key}"))
    return out


def missed_call_notes(
    entries: Sequence[HistoryEntry], known: frozenset[int] | None, situation: Situation
) -> tuple[list[Note], frozenset[int]]:
    """Missed calls new in the history since ``known`` (the missed ids seen before; None at the
    first load, which only sets what is known), each with Call back; and the ids now known.

    The history, not the call's end, says "missed": a call answered on another phone of the
    user ends here with the caller's CANCEL too, but the PBX records it as answered."""
    missed = [e for e in entries if e.direction == "missed"]
    ids = frozenset(e.id for e in missed)
    if known is None:
        return [], ids
    fresh = [e for e in missed if e.id not in known and not e.seen]
    notes = [
        Note(
            f"missed:{e.id}",
            "missed",
            tr("Missed call"),
            _who(e.name, e.number),
            e.number,
            (NoteAction("call_back", tr("Call back")),),
        )
        for e in fresh
        if not situation.quiet
    ]
    return notes, known | ids


def chat_note(
    cid: int,
    sender: str,
    text: str,
    *,
    me: str | None,
    sender_name: str,
    chat_title: str | None,
    situation: Situation,
) -> Note | None:
    """A new chat message of someone else, with a reply field; None when the user sees that
    chat already, wrote it themselves, or wants quiet. ``chat_title``: a group's name (None
    in a 1:1 chat)."""
    if sender == me or situation.quiet or situation.chat_in_view == cid:
        return None
    title = f"{sender_name} · {chat_title}" if chat_title else sender_name
    return Note(f"chat:{cid}", "chat", title, text, str(cid), reply=tr("Reply"))


@dataclass(frozen=True, slots=True)
class VoicemailReceived:
    """A ``voicemail.new`` event of the server: a message was kept in a mailbox."""

    kind: ClassVar[str] = "voicemail.new"
    id: int
    mailbox: str
    caller: str
    caller_name: str | None
    duration_s: float


def _parse_voicemail(data: Any) -> VoicemailReceived:
    """``data`` is the event parser's reader of one event (``kind``, ``data``)."""
    row: Mapping[str, object] = dict(data.data)
    name = row.get("caller_name")
    duration = row.get("duration_s")
    vid, mailbox = row.get("id"), row.get("mailbox")
    if not isinstance(vid, int) or not isinstance(mailbox, str):
        raise ValueError("voicemail.new event: id must be a number and mailbox a string")
    return VoicemailReceived(
        vid,
        mailbox,
        str(row.get("caller") or ""),
        name if isinstance(name, str) else None,
        float(duration) if isinstance(duration, int | float) else 0.0,
    )


def register_voicemail_events() -> None:
    """Let the event stream's parser turn ``voicemail.new`` into :class:`VoicemailReceived`."""
    parsers = cast(dict[str, Callable[[Any], object]], server_events._PARSERS)
    parsers.setdefault(VoicemailReceived.kind, _parse_voicemail)


def voicemail_note(event: VoicemailReceived, situation: Situation) -> Note | None:
    if situation.quiet:
        return None
    return Note(
        f"voicemail:{event.id}",
        "voicemail",
        tr("New voicemail"),
        _who(event.caller_name, event.caller),
        str(event.id),
        (NoteAction("listen", tr("Listen…")),),
    )
