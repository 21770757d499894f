"""The rules of desktop notifications: what is shown, what is taken back, when to stay quiet."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import QCoreApplication

from app import server_events
from app.call_rows import ActiveCall, CallAdded, CallChanged, CallRemoved
from app.notifications import (
    Note,
    Situation,
    VoicemailReceived,
    Withdraw,
    chat_note,
    missed_call_notes,
    notes_for_calls,
    register_voicemail_events,
    voicemail_note,
)
from app.stores.history import HistoryEntry
from ui.i18n import Translations

RINGING = ActiveCall("c1", "incoming", "202", "Bram Jansen", "incoming")
AT = dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.UTC)


def test_an_incoming_call_shows_answer_and_decline() -> None:
    [note] = notes_for_calls([CallAdded(RINGING)], Situation())
    assert isinstance(note, Note)
    assert (note.key, note.title, note.body, note.target) == (
        "call:c1",
        "Incoming call",
        "Bram Jansen (202)",
        "c1",
    )
    assert [a.name for a in note.actions] == ["answer", "decline"]
    assert note.urgent and note.reply is None


def test_a_queue_call_says_via_the_queue() -> None:
    queued = ActiveCall("c3", "incoming", "0612345678", None, "incoming", queue="Support")
    [note] = notes_for_calls([CallAdded(queued)], Situation())
    assert isinstance(note, Note) and note.body == "0612345678\nvia Support"


def test_an_outgoing_call_shows_nothing() -> None:
    out = ActiveCall("c2", "outgoing", "202", None, "calling")
    assert notes_for_calls([CallAdded(out)], Situation()) == []


def test_the_call_is_taken_back_once_answered_or_gone() -> None:
    answering = replace(RINGING, state="answering")
    assert notes_for_calls([CallChanged(RINGING, answering)], Situation()) == [Withdraw("call:c1")]
    ended = replace(RINGING, state="ended", outcome="caller_gave_up")
    assert notes_for_calls([CallChanged(RINGING, ended)], Situation()) == [Withdraw("call:c1")]
    assert notes_for_calls([CallRemoved("c1")], Situation()) == [Withdraw("call:c1")]
    connected = replace(RINGING, state="connected")
    assert notes_for_calls([CallChanged(answering, connected)], Situation()) == []


def test_do_not_disturb_and_the_switch_keep_it_quiet() -> None:
    assert notes_for_calls([CallAdded(RINGING)], Situation(status="dnd")) == []
    assert notes_for_calls([CallAdded(RINGING)], Situation(enabled=False)) == []
    # taking back still happens
    ended = replace(RINGING, state="ended")
    assert notes_for_calls([CallChanged(RINGING, ended)], Situation(status="dnd")) == [
        Withdraw("call:c1")
    ]


def _entry(eid: int, direction: str = "missed", seen: bool = False) -> HistoryEntry:
    return HistoryEntry(eid, direction, "202", "Bram Jansen", AT, 0, seen)  # type: ignore[arg-type]


def test_missed_calls_come_from_the_history_after_the_first_load() -> None:
    notes, known = missed_call_notes([_entry(1), _entry(2, "incoming")], None, Situation())
    assert notes == [] and known == frozenset({1})
    entries = [_entry(3), _entry(4, seen=True), _entry(1), _entry(5, "outgoing")]
    notes, known = missed_call_notes(entries, known, Situation())
    assert [(n.key, n.title, n.body, n.target) for n in notes] == [
        ("missed:3", "Missed call", "Bram Jansen (202)", "202")
    ]
    assert [a.name for a in notes[0].actions] == ["call_back"]
    assert known == frozenset({1, 3, 4})
    again, _ = missed_call_notes(entries, known, Situation())
    assert again == []
    quiet, known_quiet = missed_call_notes([_entry(6)], known, Situation(status="dnd"))
    assert quiet == [] and 6 in known_quiet


def test_a_chat_message_has_a_reply_field_unless_that_chat_is_in_view() -> None:
    note = chat_note(
        9,
        "202",
        "Lunch?",
        me="201",
        sender_name="Bram Jansen",
        chat_title=None,
        situation=Situation(),
    )
    assert note is not None
    assert (note.key, note.title, note.body, note.target) == (
        "chat:9",
        "Bram Jansen",
        "Lunch?",
        "9",
    )
    assert note.reply == "Reply"
    group = chat_note(
        9,
        "202",
        "Lunch?",
        me="201",
        sender_name="Bram Jansen",
        chat_title="Inkoop",
        situation=Situation(chat_in_view=8),
    )
    assert group is not None and group.title == "Bram Jansen · Inkoop"
    for situation in (Situation(chat_in_view=9), Situation(status="dnd")):
        assert (
            chat_note(
                9, "202", "x", me="201", sender_name="B", chat_title=None, situation=situation
            )
            is None
        )
    own = chat_note(
        9, "201", "x", me="201", sender_name="A", chat_title=None, situation=Situation()
    )
    assert own is None


def test_a_voicemail_event_parses_and_shows_listen() -> None:
    register_voicemail_events()
    data = {
        "id": 7,
        "mailbox": "201",
        "caller": "0612345678",
        "caller_name": None,
        "received_at": "2026-12-03T09:30:00Z",
        "duration_s": 12.5,
        "inbox": "personal",
    }
    event = server_events.parse_event({"type": "voicemail.new", "data": data})
    assert isinstance(event, VoicemailReceived)
    assert event == VoicemailReceived(7, "201", "0612345678", None, 12.5)
    note = voicemail_note(event, Situation())
    assert note is not None
    assert (note.key, note.title, note.body) == ("voicemail:7", "New voicemail", "0612345678")
    assert [a.name for a in note.actions] == ["listen"]
    assert voicemail_note(event, Situation(status="dnd")) is None


def test_a_voicemail_event_without_an_id_is_a_value_error() -> None:
    register_voicemail_events()
    bad = {"type": "voicemail.new", "data": {"mailbox": "201"}}
    try:
        server_events.parse_event(bad)
    except ValueError as exc:
        assert "id" in str(exc)
    else:
        raise AssertionError("parsed an event without an id")


def test_the_notifications_speak_dutch(qapp: object) -> None:
    app = QCoreApplication.instance()
    assert app is not None
    translations = Translations(app)
    try:
        translations.install("nl")
        [note] = notes_for_calls([CallAdded(RINGING)], Situation())
        assert isinstance(note, Note)
        assert note.title == "Inkomende oproep"
        assert [a.label for a in note.actions] == ["Opnemen", "Weigeren"]
        chat = chat_note(
            9, "202", "Hoi", me="201", sender_name="Bram", chat_title=None, situation=Situation()
        )
        assert chat is not None and chat.reply == "Beantwoorden"
        [missed], _ = missed_call_notes([_entry(2)], frozenset(), Situation())
        assert (missed.title, missed.actions[0].label) == ("Gemiste oproep", "Terugbellen")
    finally:
        translations.install("en")
