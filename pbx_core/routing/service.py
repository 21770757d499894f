"""Each user's forwarding and call flows, kept in memory and in the store, and the executor of
the routing decision (:mod:`pbx_core.routing.decision`) for new calls and the feature codes
``*21*<number>*`` / ``#21#*``."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pbx_core.bus import EventBus
from pbx_core.contacts import ContactService
from pbx_core.events import Event
from pbx_core.media import MediaEngine
from pbx_core.media.player import WavPlayer
from pbx_core.media.prompts import prompt_path
from pbx_core.media.tones import Silence
from pbx_core.presence import STATUSES, PresenceService, is_status
from pbx_core.routing import repository
from pbx_core.routing.b2bua import Routed
from pbx_core.routing.decision import (
    VOICEMAIL_DELAY_S,
    CalleeState,
    CallFlow,
    Plan,
    follow_forwarding,
    format_call_flow,
    parse_call_flow,
    route_call,
    valid_number,
)
from pbx_core.routing.effective import effective_rules
from pbx_core.routing.events import ForwardingChanged, ForwardingCodeAnswered
from pbx_core.routing.rulebook import RuleBook
from pbx_core.routing.runner import StepRunner
from pbx_core.routing.schedule import schedule
from pbx_core.signaling.callmachine import CallMachine
from pbx_core.signaling.features import Dial, parse_target
from pbx_core.store import Store

__all__ = ["Forwarding", "RoutingService"]

_log = logging.getLogger(__name__)
_WATCH_S = 0.1
_MAX_PROMPT_S = 15.0


@dataclass(frozen=True, slots=True)
class Forwarding:
    """A user's unconditional forwarding; ``number`` is kept while it is off."""

    enabled: bool = False
    number: str | None = None


class RoutingService:
    """Forwarding and call flows per user; decides where each new call goes."""

    def __init__(
        self,
        store: Store,
        bus: EventBus,
        presence: PresenceService,
        contacts: ContactService,
        *,
        machine: CallMachine,
        is_registered: Callable[[str], bool],
        media: MediaEngine | None = None,
        end_call: Callable[[str], None] | None = None,
        language: str = "en",
        runner: StepRunner | None = None,
        rules: RuleBook | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._store = store
        self._bus = bus
        self._presence = presence
        self._contacts = contacts
        self._machine = machine
        self._is_registered = is_registered
        self._media = media
        self._end_call = end_call
        self._language = language
        self._forwarding: dict[str, Forwarding] = {}
        self._flows: dict[str, dict[str, CallFlow]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._runner = runner
        self._clock = clock
        self.rules = rules or RuleBook(store, STATUSES)  # routing rules (P5)
        bus.subscribe(self._on_event)

    def load(self) -> None:
        """Read every user's forwarding and call flows into memory (once, at start)."""
        found = repository.all_forwarding(self._store)
        self._forwarding = {ext: Forwarding(on, number) for ext, (on, number) in found.items()}
        self._flows = {
            ext: {status: parse_call_flow(text) for status, text in by_status.items()}
            for ext, by_status in repository.all_call_flows(self._store).items()
        }
        self.rules.load()

    # -- settings ------------------------------------------------------------------------

    def forwarding(self, extension: str) -> Forwarding:
        return self._forwarding.get(extension, Forwarding())

    def forwarding_target(self, extension: str) -> str | None:
        """Where ``extension``'s calls are forwarded now (None: not forwarded)."""
        found = self.forwarding(extension)
        return found.number if found.enabled else None

    async def set_forwarding(self, extension: str, enabled: bool, number: str | None) -> Forwarding:
        """Switch ``extension``'s forwarding; ValueError for a bad or missing number."""
        if number is not None:
            number = number.strip()
            if not valid_number(number):
                raise ValueError(f"not a number to forward to: {number!r}")
            if number == extension:
                raise ValueError("calls cannot be forwarded to your own extension")
        elif enabled:
            number = self.forwarding(extension).number
            if number is None:
                raise ValueError("forwarding needs a number")
        await self._store.aio.call(
            repository.set_forwarding, self._store, extension, enabled, number
        )
        before = self.forwarding(extension)
        now = Forwarding(enabled, number)
        self._forwarding[extension] = now
        if now != before:
            self._bus.publish(ForwardingChanged(extension, enabled, number if enabled else None))
        return now

    def call_flows(self, extension: str) -> dict[str, str]:
        """Every status with its call flow text ("default" when not set)."""
        mine = self._flows.get(extension, {})
        return {s: format_call_flow(mine.get(s, CallFlow())) for s in STATUSES}

    async def set_call_flows(self, extension: str, flows: dict[str, str]) -> dict[str, str]:
        """Set the call flow of the given statuses; ValueError for an unknown status or flow."""
        parsed = dict(self._flows.get(extension, {}))
        for status, text in flows.items():
            if not is_status(status):
                raise ValueError(f"no such status: {status!r}")
            flow = parse_call_flow(text)
            if flow.kind == "forward" and flow.number == extension:
                raise ValueError("calls cannot be forwarded to your own extension")
            parsed[status] = flow
        texts = {status: format_call_flow(flow) for status, flow in parsed.items()}
        await self._store.aio.call(repository.set_call_flows, self._store, extension, texts)
        self._flows[extension] = {s: f for s, f in parsed.items() if f.kind != "default"}
        return self.call_flows(extension)

    def effective_rules(self, extension: str) -> list[dict[str, object]]:
        """Every row that may decide a call to ``extension``, in order (the API's view)."""
        routing = self._machine.voicemail
        return effective_rules(
            self.rules.rules_for(extension),
            forwarding=self.forwarding_target(extension),
            call_flows=self._flows.get(extension, {}),
            voicemail=routing is not None and routing.takes(extension),
            delay_s=routing.delay_seconds if routing is not None else VOICEMAIL_DELAY_S,
            flow_delay_s=self.rules.org.call_flow_delay_s,
        )

    # -- new calls -----------------------------------------------------------------------

    def _state(self, extension: str) -> CalleeState:
        status = self._presence.get(extension).status
        routing = self._machine.voicemail
        return CalleeState(
            extension,
            registered=self._is_registered(extension),
            line_busy=self._machine.registry.line_state(extension) == "busy",
            status=status,
            forwarding=self.forwarding_target(extension),
            call_flow=self._flows.get(extension, {}).get(status, CallFlow()),
            voicemail=routing is not None and routing.takes(extension),
        )

    def _is_user(self, extension: str) -> bool:
        return self._store.user_by_extension(extension) is not None

    async def _is_vip(self, callee: str, caller: str) -> bool:
        user = self._store.user_by_extension(callee)
        if user is None or not caller:
            return False
        vips = await self._contacts.contacts(user, "vip")
        return any(n.number == caller for c in vips for n in c.numbers)

    def _plan(self, extension: str, state: CalleeState, vip: bool, bypass: bool) -> Plan:
        routing = self._machine.voicemail
        delay = routing.delay_seconds if routing is not None else VOICEMAIL_DELAY_S
        local = self.rules.local_time(self._clock())
        rules = self.rules.rules_for(extension)
        return route_call(
            state,
            rules,
            caller_vip=vip,
            bypass=bypass,
            delay_s=delay,
            local=local,
            flow_delay_s=self.rules.org.call_flow_delay_s,
        )

    async def reroute(self, caller: str, dialled: str) -> str | None:
        """Where a call from ``caller`` dialling ``dialled`` goes instead (None: as dialled)."""
        return (await self.route(caller, dialled)).number

    async def route(self, caller: str, dialled: str) -> Routed:
        """Where a call from ``caller`` dialling ``dialled`` goes: the end of the forwarding
        chain, ``*1*<ext>*`` (voicemail) when the plan starts there, and the schedule of the
        rule that decided (None: the built-in rows, which the call machine carries out)."""
        target = parse_target(dialled)
        if not isinstance(target, Dial) or not self._is_user(target.extension):
            return Routed()
        start = target.extension

        def next_of(extension: str) -> str | None:
            if not self._is_user(extension):
                return None  # an outside number: the dial plan takes it from there
            bypass = target.bypass and extension == start
            forward = self._plan(extension, self._state(extension), False, bypass).forward_to
            return None if forward == caller else forward

        chain = follow_forwarding(start, next_of)
        final = chain[-1]
        if not self._is_user(final):
            return Routed(final)
        state = self._state(final)
        if len(chain) > 1:  # the end of the chain rings (its own forwarding ends there)
            state = dataclasses.replace(state, forwarding=None)
            if state.call_flow.kind == "forward":
                state = dataclasses.replace(state, call_flow=CallFlow())
        bypass = target.bypass and final == start
        vip = state.status == "dnd" or state.call_flow.kind == "voicemail"
        vip = vip or any(r.rule.when.caller_vip is not None for r in self.rules.rules_for(final))
        vip = vip and await self._is_vip(final, caller)
        plan = self._plan(final, state, vip, bypass)
        same = final if final != start else None
        if not plan.timed or self._runner is None:
            first = plan.destinations(final)[0]
            if first.kind == "voicemail" and state.registered and not bypass:
                return Routed(f"*1*{final}*")  # Do not disturb, or the status's flow: voicemail
            if first.kind == "refuse" and state.registered and not bypass:
                return Routed(same, unavailable=True)  # the same, without voicemail: 486
            return Routed(same)
        runner = self._runner
        steps = schedule(plan.steps, lambda key: bool(runner.rings(final, caller, key)))
        name = plan.rule.name if plan.rule is not None else plan.row
        _log.info("call from %s to %s: rule %r (%s)", caller, final, name, plan.scope)
        if not steps.phases:  # nothing the rule rings can ring now
            if steps.queue is not None:
                return Routed(steps.queue)  # the queue takes the call at once
            if steps.voicemail_at is not None and state.registered:
                return Routed(f"*1*{final}*")
            return Routed(same)
        return Routed(same, steps, final)

    # -- feature codes -------------------------------------------------------------------

    def _on_event(self, event: Event) -> None:
        if isinstance(event, ForwardingCodeAnswered):
            self._spawn(self._feature_code(event))

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _feature_code(self, event: ForwardingCodeAnswered) -> None:
        """Apply ``*21*<number>*`` / ``#21#*``, confirm (a tone, then goodbye) and hang up."""
        prompts = ("beep", "goodbye")
        try:
            if not self._is_user(event.caller):
                raise ValueError("not a user")
            if event.number is None:
                await self.set_forwarding(event.caller, False, self.forwarding(event.caller).number)
            else:
                await self.set_forwarding(event.caller, True, event.number)
        except ValueError as exc:
            _log.info("forwarding code of %s refused: %s", event.caller, exc)
            prompts = ("not-allowed", "goodbye")
        except Exception:
            _log.exception("forwarding code of %s failed", event.caller)
            prompts = ("not-allowed", "goodbye")
        await self._play(event.leg_id, prompts)
        if self._end_call is not None:
            self._end_call(event.call_id)

    async def _play(self, leg_id: str, names: tuple[str, ...]) -> None:
        leg = self._media.get_leg(leg_id) if self._media is not None else None
        if leg is None or leg.closed:
            return
        files = [prompt_path(name, self._language) for name in names]
        player = WavPlayer([f for f in files if f is not None], then=Silence())
        leg.feed(player)
        waited = 0.0
        while not player.finished and not leg.closed and waited < _MAX_PROMPT_S:
            await asyncio.sleep(_WATCH_S)
            waited += _WATCH_S
        await asyncio.sleep(0.3)  # the last packets of the prompt reach the phone
