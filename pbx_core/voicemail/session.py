"""One voicemail call as a pure state machine: leaving a message, or listening by phone.

Fed what happened (``start``, a playback ``played`` to its end, a ``key`` pressed, the recorder
``recorded`` its maximum, ``hangup``) and returns actions for its driver
(:mod:`pbx_core.voicemail.service`): ``Play``, ``StartRecording``, ``StopRecording``,
``HangUp`` and the store's ``MarkHeard``, ``Delete`` and ``Keep``; ``timeout`` when the menu
waited long for a key. Every move is one row of
``TABLE``: ``(state, event) -> (next state, handler)``; a key with no row is ignored (a caller
may press anything), any other event without a row raises :class:`VoicemailStateError`.

Leaving a message: greeting, tone, recording until ``#``, the maximum length or hang-up, then
"saved, goodbye" and the PBX hangs up. ``#`` during the greeting skips it.

Listening (``9100``): "you have N new messages", then each message, new ones first; after
each the menu: ``1`` replay, ``7`` delete, ``9`` save (kept as heard); keys work during the
message too. A message played to its end counts as heard. ``0`` records the user's greeting
(tone, until ``#`` or 60 s), then the messages go on.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, TypeAlias

__all__ = [
    "Delete",
    "HangUp",
    "Keep",
    "MarkHeard",
    "Play",
    "Session",
    "SessionAction",
    "SessionMessage",
    "StartRecording",
    "State",
    "StopRecording",
    "VoicemailStateError",
    "greeting_prompts",
]


class VoicemailStateError(ValueError):
    """An event the session cannot take in its state (a bug in the driver)."""


class State(enum.Enum):
    GREETING = "greeting"
    TONE = "tone"
    RECORDING = "recording"
    INTRO = "intro"
    MESSAGE = "message"
    MENU = "menu"
    CONFIRM = "confirm"
    GREETING_TONE = "greeting-tone"  # listening: "record your greeting after the tone"
    GREETING_RECORDING = "greeting-recording"
    GREETING_SAVED = "greeting-saved"
    GOODBYE = "goodbye"
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class Play:
    """Play these in order (a prompt name, or a message's WAV file), replacing what plays."""

    items: tuple[str | Path, ...]


@dataclass(frozen=True, slots=True)
class StartRecording:
    """Record a message (or, ``greeting``, the user's own greeting)."""

    max_seconds: float
    greeting: bool = False


@dataclass(frozen=True, slots=True)
class StopRecording:
    reason: str  # "dtmf" or "hangup"


@dataclass(frozen=True, slots=True)
class HangUp:
    """The PBX ends the call."""


@dataclass(frozen=True, slots=True)
class MarkHeard:
    message_id: int


@dataclass(frozen=True, slots=True)
class Delete:
    message_id: int


@dataclass(frozen=True, slots=True)
class Keep:
    """``9``: save the message (it stays, as heard)."""

    message_id: int


SessionAction: TypeAlias = (
    Play | StartRecording | StopRecording | HangUp | MarkHeard | Delete | Keep
)


@dataclass(frozen=True, slots=True)
class SessionMessage:
    """A message to play by phone."""

    id: int
    audio: Path
    heard: bool


def greeting_prompts(
    extension: str,
    status: str = "available",
    until: dt.datetime | None = None,
    *,
    language: str = "en",
    now: dt.datetime | None = None,
) -> tuple[str, ...]:
    """The default greeting: "The person at extension 2 0 2 is not available...", or with the
    user's activity (seed 004): "... is in a meeting until 3 15 p m. Please leave a message
    ...". The end is said when it is later today (local time of the PBX)."""
    digits = tuple(f"digit-{c}" for c in extension if c.isdigit())
    if status not in _ACTIVITIES:
        return ("vm-extension", *digits, "vm-unavailable")
    ends = _until_prompts(until, language, now or dt.datetime.now(dt.UTC))
    activity = f"vm-is-{status.replace('_', '-')}"  # prompt names have no "_"
    return ("vm-extension", *digits, activity, *ends, "vm-leave")


_ACTIVITIES = frozenset({"meeting", "not_present", "vacation", "lunch", "business_trip", "dnd"})


def _until_prompts(until: dt.datetime | None, language: str, now: dt.datetime) -> tuple[str, ...]:
    """The end said as "until 3 15 p m" (English) or "tot 15 uur 15" (Dutch); nothing unless
    it is later today."""
    if until is None or until <= now:
        return ()
    local = until.astimezone()
    if local.date() != now.astimezone().date():
        return ()
    hour, minute = local.hour, local.minute
    if language == "nl":
        minutes = (f"number-{minute}",) if minute else ()
        return ("vm-until", f"number-{hour}", "time-uur", *minutes)
    if minute == 0:
        minutes = ()
    else:
        minutes = (f"minute-0{minute}",) if minute < 10 else (f"number-{minute}",)
    half = "time-pm" if hour >= 12 else "time-am"
    return ("vm-until", f"number-{hour % 12 or 12}", *minutes, half)


def _count_prompts(count: int) -> tuple[str, ...]:
    return tuple(f"digit-{c}" for c in str(count))


_GOODBYE = ("goodbye",)
GREETING_MAX_S = 60.0
_Handler = Callable[["Session", str], list[SessionAction]]


class Session:
    """One call: ``Session.deposit(...)`` or ``Session.listen(...)``, then feed events."""

    def __init__(
        self,
        state: State,
        *,
        greeting: Sequence[str | Path] = (),
        max_seconds: float = 120.0,
        messages: Sequence[SessionMessage] = (),
    ) -> None:
        self.state = state
        self.greeting = tuple(greeting)
        self.max_seconds = max_seconds
        self.messages = list(messages)
        self.index = 0
        self.repeats = 0
        self._first = state

    @classmethod
    def deposit(cls, greeting: Sequence[str | Path], max_seconds: float) -> Session:
        """Leave a message after ``greeting`` (prompt names or a recorded greeting file)."""
        return cls(State.GREETING, greeting=greeting, max_seconds=max_seconds)

    @classmethod
    def listen(cls, messages: Sequence[SessionMessage]) -> Session:
        """Listen to ``messages``; new ones are played first, oldest first."""
        new = [m for m in messages if not m.heard]
        old = [m for m in messages if m.heard]
        return cls(State.INTRO, messages=new + old)

    @property
    def current(self) -> SessionMessage | None:
        return self.messages[self.index] if self.index < len(self.messages) else None

    # -- events ----------------------------------------------------------------------------

    def start(self) -> list[SessionAction]:
        if self._first is State.GREETING:
            return [Play(self.greeting)]
        new = sum(1 for m in self.messages if not m.heard)
        if not self.messages:
            return [Play(("vm-no-messages", "vm-greeting-hint"))]
        if new == 0:
            return [Play(("vm-no-messages", "vm-greeting-hint"))]
        return [Play(("vm-you-have", *_count_prompts(new), "vm-new-messages", "vm-greeting-hint"))]

    def played(self) -> list[SessionAction]:
        return self._event("played")

    def key(self, digit: str) -> list[SessionAction]:
        row = self.TABLE.get((self.state, f"key:{digit}")) or self.TABLE.get((self.state, "key"))
        if row is None:
            return []
        return self._move(row, digit)

    def recorded(self) -> list[SessionAction]:
        """The recorder stopped at the maximum length."""
        return self._event("recorded")

    def hangup(self) -> list[SessionAction]:
        return self._event("hangup")

    def timeout(self) -> list[SessionAction]:
        """No key for a while after the menu: say it again, at most ``MENU_REPEATS`` times."""
        return self._event("timeout")

    def _event(self, event: str) -> list[SessionAction]:
        row = self.TABLE.get((self.state, event))
        if row is None:
            raise VoicemailStateError(f"voicemail: {event} not allowed in {self.state.name}")
        return self._move(row, event)

    def _move(self, row: tuple[State, _Handler], arg: str) -> list[SessionAction]:
        self.state, handler = row
        return handler(self, arg)

    # -- handlers --------------------------------------------------------------------------

    def _nothing(self, arg: str) -> list[SessionAction]:
        return []

    def _tone(self, arg: str) -> list[SessionAction]:
        return [Play(("beep",))]

    def _record(self, arg: str) -> list[SessionAction]:
        return [StartRecording(self.max_seconds)]

    def _stop_and_thank(self, arg: str) -> list[SessionAction]:
        return [StopRecording("dtmf"), Play(("vm-saved", *_GOODBYE))]

    def _thank(self, arg: str) -> list[SessionAction]:
        return [Play(("vm-saved", *_GOODBYE))]

    def _hang_up(self, arg: str) -> list[SessionAction]:
        return [HangUp()]

    def _stop_recording(self, arg: str) -> list[SessionAction]:
        return [StopRecording("hangup")]

    def _play_current(self, arg: str) -> list[SessionAction]:
        message = self.current
        if message is None:  # nothing (left) to play
            self.state = State.GOODBYE
            return [Play(("vm-no-more", *_GOODBYE))]
        return [Play((message.audio,))]

    def _menu(self, arg: str) -> list[SessionAction]:
        message = self.current
        assert message is not None
        return [MarkHeard(message.id), Play(("vm-menu",))]

    def _delete(self, arg: str) -> list[SessionAction]:
        message = self.current
        assert message is not None
        return [Delete(message.id), Play(("vm-deleted",))]

    def _keep(self, arg: str) -> list[SessionAction]:
        message = self.current
        assert message is not None
        return [Keep(message.id), Play(("vm-kept",))]

    def _repeat_menu(self, arg: str) -> list[SessionAction]:
        self.repeats += 1
        if self.repeats > self.MENU_REPEATS:
            self.state = State.GOODBYE
            return [Play(_GOODBYE)]
        return [Play(("vm-menu",))]

    def _greeting_tone(self, arg: str) -> list[SessionAction]:
        return [Play(("vm-greeting-record", "beep"))]

    def _record_greeting(self, arg: str) -> list[SessionAction]:
        return [StartRecording(GREETING_MAX_S, greeting=True)]

    def _greeting_saved(self, arg: str) -> list[SessionAction]:
        stop: list[SessionAction] = [StopRecording("dtmf")] if arg == "#" else []
        return [*stop, Play(("vm-greeting-saved",))]

    def _after_greeting(self, arg: str) -> list[SessionAction]:
        self.state = State.MESSAGE
        return self._play_current(arg)

    def _next(self, arg: str) -> list[SessionAction]:
        self.index += 1
        self.state = State.MESSAGE
        return self._play_current(arg)

    MENU_REPEATS: ClassVar[int] = 2
    _S = State
    TABLE: ClassVar[dict[tuple[State, str], tuple[State, _Handler]]] = {
        # leaving a message
        (_S.GREETING, "played"): (_S.TONE, _tone),
        (_S.GREETING, "key:#"): (_S.TONE, _tone),
        (_S.GREETING, "hangup"): (_S.ENDED, _nothing),
        (_S.TONE, "played"): (_S.RECORDING, _record),
        (_S.TONE, "hangup"): (_S.ENDED, _nothing),
        (_S.RECORDING, "key:#"): (_S.GOODBYE, _stop_and_thank),
        (_S.RECORDING, "recorded"): (_S.GOODBYE, _thank),
        (_S.RECORDING, "hangup"): (_S.ENDED, _stop_recording),
        # listening
        (_S.INTRO, "played"): (_S.MESSAGE, _play_current),
        (_S.INTRO, "hangup"): (_S.ENDED, _nothing),
        (_S.MESSAGE, "played"): (_S.MENU, _menu),
        (_S.MESSAGE, "timeout"): (_S.MESSAGE, _nothing),
        (_S.MESSAGE, "key:1"): (_S.MESSAGE, _play_current),
        (_S.MESSAGE, "key:7"): (_S.CONFIRM, _delete),
        (_S.MESSAGE, "key:9"): (_S.CONFIRM, _keep),
        (_S.MESSAGE, "hangup"): (_S.ENDED, _nothing),
        (_S.MENU, "played"): (_S.MENU, _nothing),
        (_S.MENU, "key:1"): (_S.MESSAGE, _play_current),
        (_S.MENU, "key:7"): (_S.CONFIRM, _delete),
        (_S.MENU, "key:9"): (_S.CONFIRM, _keep),
        (_S.MENU, "hangup"): (_S.ENDED, _nothing),
        (_S.MENU, "timeout"): (_S.MENU, _repeat_menu),
        (_S.CONFIRM, "played"): (_S.MESSAGE, _next),
        (_S.CONFIRM, "hangup"): (_S.ENDED, _nothing),
        # listening: 0 records the greeting
        (_S.INTRO, "key:0"): (_S.GREETING_TONE, _greeting_tone),
        (_S.MESSAGE, "key:0"): (_S.GREETING_TONE, _greeting_tone),
        (_S.MENU, "key:0"): (_S.GREETING_TONE, _greeting_tone),
        (_S.GREETING_TONE, "played"): (_S.GREETING_RECORDING, _record_greeting),
        (_S.GREETING_TONE, "hangup"): (_S.ENDED, _nothing),
        (_S.GREETING_RECORDING, "key:#"): (_S.GREETING_SAVED, _greeting_saved),
        (_S.GREETING_RECORDING, "recorded"): (_S.GREETING_SAVED, _greeting_saved),
        (_S.GREETING_RECORDING, "hangup"): (_S.ENDED, _stop_recording),
        (_S.GREETING_SAVED, "played"): (_S.MESSAGE, _after_greeting),
        (_S.GREETING_SAVED, "recorded"): (_S.GREETING_SAVED, _nothing),
        (_S.GREETING_SAVED, "hangup"): (_S.ENDED, _nothing),
        # both
        (_S.GOODBYE, "played"): (_S.ENDED, _hang_up),
        (_S.GOODBYE, "recorded"): (_S.GOODBYE, _nothing),
        (_S.GOODBYE, "hangup"): (_S.ENDED, _nothing),
        (_S.ENDED, "played"): (_S.ENDED, _nothing),
        (_S.ENDED, "recorded"): (_S.ENDED, _nothing),
        (_S.ENDED, "hangup"): (_S.ENDED, _nothing),
    }
