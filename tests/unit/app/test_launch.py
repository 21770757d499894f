"""``--dial`` links: the number in sip:/tel:/callto: links, and a dial kept until online."""

from __future__ import annotations

import pytest

from app.launch import LaunchRequests, dial_text, number_of
from app.stores import ConnectionState, SessionStore
from tests.ui.fakes import FakeCallActions


@pytest.mark.parametrize(
    ("link", "number"),
    [
        ("tel:+31-20-123-4567", "+31201234567"),
        ("tel:%2B31201234567", "+31201234567"),
        ("TEL:203;phone-context=example.com", "203"),
        ("callto://+31201234567", "+31201234567"),
        ("callto:020 123 4567", "+31201234567"),
        ("sip:203@pbx.example.com", "203"),
        ("sips:+31201234567@pbx.example.com;transport=tls", "+31201234567"),
        ("0201234567", "+31201234567"),
        ("203", "203"),
        ("sip:anna@pbx.example.com", None),
        ("callto:", None),
    ],
)
def test_number_of_a_link(link: str, number: str | None) -> None:
    assert number_of(link) == number


def test_dial_text_drops_parameters_and_escapes() -> None:
    assert dial_text(" tel:%2B3120;ext=1 ") == "tel:+3120"
    assert dial_text("callto://203") == "203"


def test_a_dial_waits_until_the_session_is_online() -> None:
    session = SessionStore()
    session.set_state(ConnectionState.SIGNING_IN, "")
    calls = FakeCallActions()
    launch = LaunchRequests(session, calls)
    launch.dial("tel:%2B31201234567")
    assert calls.calls == []
    assert launch.pending == "tel:+31201234567"
    session.set_state(ConnectionState.ONLINE, "")
    assert calls.calls == [("dial", ("tel:+31201234567",))]
    session.set_state(ConnectionState.OFFLINE, "")
    session.set_state(ConnectionState.ONLINE, "")
    assert len(calls.calls) == 1  # dialled once


def test_a_dial_when_online_goes_at_once() -> None:
    session = SessionStore()
    session.set_state(ConnectionState.ONLINE, "")
    calls = FakeCallActions()
    LaunchRequests(session, calls).dial("callto:203")
    assert calls.calls == [("dial", ("203",))]
