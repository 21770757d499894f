"""The voicemail session's keys for leaving voicemail: 1 (personal assistance, only when the
user set a number) and 2 (bypass: ring the user again), said after the greeting."""

from __future__ import annotations

from pathlib import Path

import pytest

from pbx_core.media.prompts import prompt_path
from pbx_core.voicemail.session import Play, Reroute, Session, StartRecording, State
from pbx_core.voicemail.spoken import GROUP_GREETING

_GREETING = ("vm-extension", "digit-2", "digit-0", "digit-2", "vm-unavailable")


def test_the_options_are_said_after_the_greeting_only_when_offered() -> None:
    plain = Session.deposit(_GREETING, 60.0)
    assert plain.start() == [Play(_GREETING)]
    assert plain.played() == [Play(("beep",))]
    both = Session.deposit(_GREETING, 60.0, assistance="204", bypass=True)
    both.start()
    assert both.played() == [Play(("vm-press-1-assist", "vm-press-2-bypass"))]
    assert both.state is State.OPTIONS
    assert both.played() == [Play(("beep",))]
    assert both.played() == [StartRecording(60.0)]
    bypass_only = Session.deposit((Path("greeting.wav"),), 60.0, bypass=True)
    bypass_only.start()
    assert bypass_only.played() == [Play(("vm-press-2-bypass",))]


def test_one_during_the_greeting_reroutes_to_the_assistance_number() -> None:
    session = Session.deposit(_GREETING, 60.0, assistance="204", bypass=True)
    session.start()
    assert session.key("1") == [Reroute("204")]
    assert session.state is State.REROUTED
    assert session.played() == [] and session.hangup() == []
    assert session.state is State.ENDED


def test_two_during_the_options_or_the_tone_rings_the_user_again() -> None:
    session = Session.deposit(_GREETING, 60.0, bypass=True)
    session.start()
    session.played()  # the options
    assert session.key("2") == [Reroute(None)]
    tone = Session.deposit(_GREETING, 60.0, bypass=True)
    tone.start()
    tone.played()
    tone.played()  # the tone plays
    assert tone.state is State.TONE
    assert tone.key("2") == [Reroute(None)]


def test_keys_not_on_offer_are_ignored() -> None:
    session = Session.deposit(_GREETING, 60.0)
    session.start()
    assert session.key("1") == [] and session.key("2") == []
    assert session.state is State.GREETING
    assert session.played() == [Play(("beep",))]
    session.played()
    assert session.state is State.RECORDING
    assert session.key("1") == []  # while recording: part of the message
    assert session.state is State.RECORDING


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_option_and_group_prompts_exist(language: str) -> None:
    options = Session.deposit(_GREETING, 60.0, assistance="204", bypass=True).options
    missing = [n for n in (*options, *GROUP_GREETING) if prompt_path(n, language) is None]
    assert missing == []
