"""One voicemail call as a pure state machine: leaving a message, or listening by phone.

Fed what happened (``start``, a playback ``played`` to its end, a ``key`` pressed, the recorder
``recorded`` its maximum, ``hangup``) and returns actions for its driver
(:mod:`pbx_core.voicemail.service`): ``Play``, ``StartRecording``, ``StopRecording``,
``HangUp`` and the store's ``MarkHeard``, ``Delete`` and ``Keep``; ``timeout`` when the menu
waited long for a key. Every move is one row of
``TABLE``: ``(state, event) -> (next state, handler)``; a key with no row is ignored (a caller
may press anything), any other event without a row raises :class:`VoicemailStateError`.

Leaving a message: greeting, tone, recording until ``#``, the maximum length or hang-up, then
"saved, goodbye" and the PBX hangs up. ``#`` during the greeting skips it. After the greeting
the options are said: "press 1 for personal assistance" when the user set an assistance number,
"press 2 to bypass voicemail" when offered; ``1`` or ``2`` during the greeting, the options or
the tone leave voicemail (``Reroute``): the call rings the assistance number or the user's
phones again.

Listening (``9100``): "you have N new messages", then each message, new ones first; after
each the menu: ``1`` replay, ``7`` delete, ``9`` save (kept as heard); keys work during the
message too. A message played to its end counts as heard. ``0`` records the user's greeting
(tone, until ``#`` or 60 s), then the messages go on.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, TypeAlias

from pbx_core.voicemail.spoken import greeting_prompts

__all__ = [
    "Delete",
    "HangUp",
    "Keep",
    "MarkHeard",
    "Play",
    "Reroute",
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
    OPTIONS = "options"  # "press 1 for personal assistance, press 2 to bypass voicemail"
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
    REROUTED = "rerouted"  # 1 or 2: the call left voicemail and rings elsewhere
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


@dataclass(frozen=True, slots=True)
class Reroute:
    """Leave voicemail: ring ``number`` (1, personal assistance), or with None the user's own
    phones again (2, bypass voicemail)."""

    number: str | None


SessionAction: TypeAlias = (
    Play | StartRecording | StopRecording | HangUp | MarkHeard | Delete | Keep | Reroute
)


@dataclass(frozen=True, slots=True)
class SessionMessage:
    """A message to play by phone."""

    id: int
    audio: Path
    heard: bool


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
        assistance: str | None = None,
        bypass: bool = False,
    ) -> None:
        self.state = state
        self.greeting = tuple(greeting)
        self.assistance = assistance  # 1: ring this number ("personal assistance")
        self.bypass = bypass  # 2: ring the user's phones again
        self.previous = state
        self.max_seconds = max_seconds
        self.messages = list(messages)
        self.index = 0
        self.repeats = 0
        self._first = state

    @classmethod
    def deposit(
        cls,
        greeting: Sequence[str | Path],
        max_seconds: float,
        *,
        assistance: str | None = None,
        bypass: bool = False,
    ) -> Session:
        """Leave a message after ``greeting`` (prompt names or a recorded greeting file);
        ``assistance`` offers 1, ``bypass`` offers 2."""
        return cls(
            State.GREETING,
            greeting=greeting,
            max_seconds=max_seconds,
            assistance=assistance,
            bypass=bypass,
        )

    @property
    def options(self) -> tuple[str, ...]:
        """The prompts said after the greeting for the keys on offer."""
        assist = ("vm-press-1-assist",) if self.assistance else ()
        return (*assist, *(("vm-press-2-bypass",) if self.bypass else ()))

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
        self.previous = self.state
        self.state, handler = row
        return handler(self, arg)

    # -- handlers --------------------------------------------------------------------------

    def _nothing(self, arg: str) -> list[SessionAction]:
        return []

    def _tone(self, arg: str) -> list[SessionAction]:
        return [Play(("beep",))]

    def _greeting_played(self, arg: str) -> list[SessionAction]:
        if self.options:
            self.state = State.OPTIONS
            return [Play(self.options)]
        return self._tone(arg)

    def _assist(self, arg: str) -> list[SessionAction]:
        if not self.assistance:  # not on offer: the key is ignored
            self.state = self.previous
            return []
        return [Reroute(self.assistance)]

    def _bypass(self, arg: str) -> list[SessionAction]:
        if not self.bypass:
            self.state = self.previous
            return []
        return [Reroute(None)]

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
        (_S.GREETING, "played"): (_S.TONE, _greeting_played),
        (_S.GREETING, "key:#"): (_S.TONE, _tone),
        (_S.GREETING, "key:1"): (_S.REROUTED, _assist),
        (_S.GREETING, "key:2"): (_S.REROUTED, _bypass),
        (_S.GREETING, "hangup"): (_S.ENDED, _nothing),
        (_S.OPTIONS, "played"): (_S.TONE, _tone),
        (_S.OPTIONS, "key:#"): (_S.TONE, _tone),
        (_S.OPTIONS, "key:1"): (_S.REROUTED, _assist),
        (_S.OPTIONS, "key:2"): (_S.REROUTED, _bypass),
        (_S.OPTIONS, "hangup"): (_S.ENDED, _nothing),
        (_S.TONE, "key:1"): (_S.REROUTED, _assist),
        (_S.TONE, "key:2"): (_S.REROUTED, _bypass),
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
        (_S.REROUTED, "played"): (_S.REROUTED, _nothing),
        (_S.REROUTED, "recorded"): (_S.REROUTED, _nothing),
        (_S.REROUTED, "hangup"): (_S.ENDED, _nothing),
        (_S.ENDED, "played"): (_S.ENDED, _nothing),
        (_S.ENDED, "recorded"): (_S.ENDED, _nothing),
        (_S.ENDED, "hangup"): (_S.ENDED, _nothing),
    }
