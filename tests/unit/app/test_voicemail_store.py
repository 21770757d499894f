"""The voicemail store, the message matching of missed calls, the event, the playback clip."""

from __future__ import annotations

import datetime as dt
import io
import wave

import numpy as np
import pytest

from app.controllers.voicemail_playback import Clip
from app.server_events import VoicemailChanged, parse_event
from app.stores.voicemail import PERSONAL, VoicemailMessage, VoicemailStore, match_call

T0 = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


def _row(
    ident: int, minutes: int, heard: bool = False, inbox: str = "personal"
) -> dict[str, object]:
    return {
        "id": ident,
        "caller": "0612345678",
        "caller_name": None,
        "received_at": (T0 + dt.timedelta(minutes=minutes)).isoformat(),
        "duration_s": 4.5,
        "heard": heard,
        "inbox": inbox,
    }


def test_a_message_parses_from_the_api_row() -> None:
    m = VoicemailMessage.from_api(_row(3, 1))
    assert m == VoicemailMessage(3, "0612345678", None, T0 + dt.timedelta(minutes=1), 4.5, False)


@pytest.mark.parametrize(
    ("field", "value", "text"),
    [
        ("id", "x", "voicemail message: id must be a number"),
        ("caller", None, "voicemail message: caller must be a string"),
        ("received_at", None, "voicemail message: received_at must be an ISO-8601 time"),
        ("duration_s", True, "voicemail message: duration_s must be a number"),
    ],
)
def test_a_bad_row_names_its_field(field: str, value: object, text: str) -> None:
    row = _row(1, 0)
    row[field] = value
    with pytest.raises(ValueError) as exc:
        VoicemailMessage.from_api(row)
    assert str(exc.value) == text


def test_newest_first_per_inbox_and_the_unheard_count() -> None:
    store = VoicemailStore()
    seen: list[set[str]] = []
    store.changed.connect(seen.append)
    rows = [_row(1, 0, heard=True), _row(2, 5), _row(3, 2, inbox="sales")]
    store.set_messages(VoicemailMessage.from_api(r) for r in rows)
    assert [m.id for m in store.messages] == [2, 3, 1]
    assert [m.id for m in store.in_inbox(PERSONAL)] == [2, 1]
    assert store.inboxes == [PERSONAL, "sales"]
    assert store.unheard == 2
    assert seen[-1] == {"messages", "unheard"}
    store.set_heard(2, True)
    assert (store.unheard, seen[-1]) == (1, {"messages", "unheard"})
    store.set_heard(2, True)  # no change, no signal
    assert len(seen) == 2
    store.set_playing(3)
    assert store.remove(3) is not None
    assert (store.unheard, store.playing, seen[-1]) == (0, None, {"messages", "playing", "unheard"})
    assert store.remove(3) is None


def test_a_missed_call_finds_the_message_it_left() -> None:
    messages = [VoicemailMessage.from_api(_row(i, m)) for i, m in ((1, 1), (2, 30), (3, -1))]
    assert match_call(messages, "0612345678", T0) == messages[0]
    assert match_call(messages, "0612345678", T0 + dt.timedelta(minutes=10)) is None
    assert match_call(messages, "201", T0) is None


def test_the_changed_event_parses() -> None:
    data = {"id": 7, "mailbox": "201", "heard": True, "deleted": False}
    event = parse_event({"type": "voicemail.changed", "data": data})
    assert event == VoicemailChanged(7, "201", True, False)
    with pytest.raises(ValueError) as exc:
        parse_event({"type": "voicemail.changed", "data": {**data, "deleted": None}})
    assert str(exc.value) == "voicemail.changed event: deleted must be true or false"


def _wav(seconds: float, rate: int = 16000) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    pcm = (0.5 * 32767 * np.sin(2 * np.pi * 1000 * t)).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return buf.getvalue()


def test_the_clip_plays_from_its_cursor_seeks_and_ends_in_silence() -> None:
    clip = Clip.from_wav(_wav(1.0))
    assert clip.duration_s == pytest.approx(1.0)
    block = clip.block(0, 4800, 48000)  # resampled to the device's rate
    assert clip.position_s == pytest.approx(0.1)
    assert float(np.max(np.abs(block[100:]))) > 0.4
    clip.seek(0.95)
    tail = clip.block(0, 4800, 48000)
    assert clip.at_end
    assert float(np.max(np.abs(tail[-1000:]))) == 0.0
    clip.seek(-3)
    assert clip.position_s == 0.0


def test_a_clip_that_is_no_wav_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="not a WAV file"):
        Clip.from_wav(b"nope")


def test_clearing_forgets_everything() -> None:
    store = VoicemailStore()
    store.set_messages([VoicemailMessage.from_api(_row(1, 0))])
    store.set_playing(1)
    seen: list[set[str]] = []
    store.changed.connect(seen.append)
    store.clear()
    assert (store.messages, store.loaded, store.playing, store.unheard) == ([], False, None, 0)
    assert seen == [{"messages", "playing", "unheard"}]
