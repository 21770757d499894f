"""MWI bodies (RFC 3842) and the e-mail notification, built without a network."""

from __future__ import annotations

from datetime import UTC, datetime

from pbx_core.bus import EventBus
from pbx_core.events import Event, VoicemailCountsChanged
from pbx_core.voicemail import mwi
from pbx_core.voicemail.notify import build_email
from pbx_core.voicemail.repository import VoicemailMessage


def test_message_summary_and_the_bus_event() -> None:
    assert mwi.message_summary(2, 5, "sip:202@acme.local") == (
        "Messages-Waiting: yes\r\nMessage-Account: sip:202@acme.local\r\nVoice-Message: 2/5\r\n"
    )
    assert mwi.message_summary(0, 1) == "Messages-Waiting: no\r\nVoice-Message: 0/1\r\n"
    bus = EventBus()
    seen: list[Event] = []
    bus.subscribe(seen.append)
    mwi.publish(bus, "202", 1, 0)
    assert seen == [VoicemailCountsChanged("202", 1, 0)]  # type: ignore[arg-type]


def test_the_email_carries_the_audio() -> None:
    message = VoicemailMessage(
        7,
        "202",
        "personal",
        "201",
        "Anna",
        datetime(2026, 12, 3, 9, 30, tzinfo=UTC),
        12.4,
        False,
        "voicemail/202/x.wav",
        4,
    )
    mail = build_email("vm@acme.local", "bram@acme.local", message, b"RIFF")
    assert mail["Subject"] == "New voicemail from Anna (201)"
    (part,) = list(mail.iter_attachments())
    assert part.get_content_type() == "audio/wav"
    assert part.get_filename() == "voicemail-7.wav"
    assert part.get_content() == b"RIFF"
    assert "12 s" in mail.get_body().get_content()  # type: ignore[union-attr]
