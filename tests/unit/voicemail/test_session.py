"""The voicemail call's state machine, event by event: leaving a message and listening."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pbx_core.media.prompts import prompt_path
from pbx_core.presence import STATUSES
from pbx_core.voicemail.session import (
    Delete,
    HangUp,
    Keep,
    MarkHeard,
    Play,
    Session,
    SessionMessage,
    StartRecording,
    State,
    StopRecording,
    VoicemailStateError,
    greeting_prompts,
)


def test_greeting_names_the_extension_digit_by_digit() -> None:
    assert greeting_prompts("202") == (
        "vm-extension",
        "digit-2",
        "digit-0",
        "digit-2",
        "vm-unavailable",
    )


def test_leave_a_message_and_end_it_with_hash() -> None:
    s = Session.deposit(greeting_prompts("202"), max_seconds=60)
    assert s.start() == [Play(greeting_prompts("202"))]
    assert s.key("5") == []  # nothing to do during the greeting
    assert s.played() == [Play(("beep",))]
    assert s.played() == [StartRecording(60)]
    assert s.state is State.RECORDING
    assert s.key("#") == [StopRecording("dtmf"), Play(("vm-saved", "goodbye"))]
    assert s.played() == [HangUp()]
    assert s.hangup() == []


def test_hash_skips_the_greeting_and_the_maximum_length_ends_the_message() -> None:
    s = Session.deposit(("vm-unavailable",), max_seconds=5)
    s.start()
    assert s.key("#") == [Play(("beep",))]
    s.played()
    assert s.recorded() == [Play(("vm-saved", "goodbye"))]
    assert s.key("#") == []


def test_hanging_up_while_recording_keeps_the_message() -> None:
    s = Session.deposit(("vm-unavailable",), max_seconds=5)
    s.start()
    s.played()
    s.played()
    assert s.hangup() == [StopRecording("hangup")]
    assert s.played() == []  # a playback that ends late changes nothing


def test_listen_new_first_then_replay_delete_save() -> None:
    old = SessionMessage(1, Path("a.wav"), heard=True)
    new1 = SessionMessage(2, Path("b.wav"), heard=False)
    new2 = SessionMessage(3, Path("c.wav"), heard=False)
    s = Session.listen([old, new1, new2])
    assert s.start() == [Play(("vm-you-have", "digit-2", "vm-new-messages", "vm-greeting-hint"))]
    assert s.played() == [Play((Path("b.wav"),))]
    assert s.played() == [MarkHeard(2), Play(("vm-menu",))]
    assert s.played() == []  # the menu waits for a key
    assert s.key("1") == [Play((Path("b.wav"),))]  # replay
    assert s.key("7") == [Delete(2), Play(("vm-deleted",))]  # keys work during the message
    assert s.played() == [Play((Path("c.wav"),))]
    assert s.played() == [MarkHeard(3), Play(("vm-menu",))]
    assert s.key("9") == [Keep(3), Play(("vm-kept",))]
    assert s.played() == [Play((Path("a.wav"),))]
    assert s.key("9") == [Keep(1), Play(("vm-kept",))]
    assert s.played() == [Play(("vm-no-more", "goodbye"))]
    assert s.played() == [HangUp()]


def test_an_empty_mailbox_says_so_and_hangs_up() -> None:
    s = Session.listen([])
    assert s.start() == [Play(("vm-no-messages", "vm-greeting-hint"))]
    assert s.played() == [Play(("vm-no-more", "goodbye"))]
    assert s.played() == [HangUp()]


def test_only_old_messages() -> None:
    s = Session.listen([SessionMessage(4, Path("d.wav"), heard=True)])
    assert s.start() == [Play(("vm-no-messages", "vm-greeting-hint"))]
    assert s.played() == [Play((Path("d.wav"),))]


def test_an_event_the_state_cannot_take_raises() -> None:
    s = Session.listen([SessionMessage(4, Path("d.wav"), heard=False)])
    s.start()
    with pytest.raises(VoicemailStateError, match="recorded not allowed in INTRO"):
        s.recorded()


def test_the_menu_is_said_again_then_goodbye() -> None:
    s = Session.listen([SessionMessage(4, Path("d.wav"), heard=False)])
    s.start()
    s.played()
    s.played()
    assert s.timeout() == [Play(("vm-menu",))]
    assert s.timeout() == [Play(("vm-menu",))]
    assert s.timeout() == [Play(("goodbye",))]
    assert s.played() == [HangUp()]


def test_zero_records_the_greeting_by_phone_then_the_messages_go_on() -> None:
    s = Session.listen([SessionMessage(4, Path("d.wav"), heard=False)])
    s.start()
    assert s.key("0") == [Play(("vm-greeting-record", "beep"))]
    assert s.played() == [StartRecording(60.0, greeting=True)]
    assert s.key("#") == [StopRecording("dtmf"), Play(("vm-greeting-saved",))]
    assert s.played() == [Play((Path("d.wav"),))]
    s.key("0")
    s.played()
    assert s.recorded() == [Play(("vm-greeting-saved",))]  # 60 s reached
    assert s.hangup() == []


def test_the_greeting_says_the_activity_and_its_end_today() -> None:
    now = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC).astimezone()
    today = now.replace(hour=15, minute=5)
    assert greeting_prompts("202", "meeting", today, now=now) == (
        *("vm-extension", "digit-2", "digit-0", "digit-2", "vm-is-meeting"),
        *("vm-until", "number-3", "minute-05", "time-pm", "vm-leave"),
    )
    assert greeting_prompts("202", "lunch", today.replace(minute=30), language="nl", now=now) == (
        *("vm-extension", "digit-2", "digit-0", "digit-2", "vm-is-lunch"),
        *("vm-until", "number-15", "time-uur", "number-30", "vm-leave"),
    )
    noon = today.replace(hour=12, minute=0)
    assert greeting_prompts("7", "dnd", noon, now=now)[-4:] == (
        "vm-until", "number-12", "time-pm", "vm-leave"
    )  # fmt: skip
    tomorrow = now + dt.timedelta(days=1)
    assert greeting_prompts("7", "vacation", tomorrow, now=now) == (
        "vm-extension", "digit-7", "vm-is-vacation", "vm-leave"
    )  # fmt: skip
    assert greeting_prompts("7", "available", today, now=now)[-1] == "vm-unavailable"


@pytest.mark.parametrize("language", ["en", "nl"])
def test_every_greeting_prompt_exists(language: str) -> None:
    """Each status, each end time of a day: the prompts named are all in resources/prompts."""
    now = dt.datetime(2026, 12, 3, 0, 0).astimezone()
    names: set[str] = set()
    for status in STATUSES:
        for minutes in range(1, 24 * 60):
            until = now + dt.timedelta(minutes=minutes)
            names.update(greeting_prompts("0123456789", status, until, language=language, now=now))
    missing = sorted(n for n in names if prompt_path(n, language) is None)
    assert missing == []
