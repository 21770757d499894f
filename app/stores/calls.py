"""Live calls for the UI: the :class:`app.call_model.CallModel`, its changes on the hub.

The model owns every call's state and moves it on SIP engine events only; this store feeds it
those events and tells the views what changed. An ended call stays listed with state
``"ended"`` (so its window can say why) until it is dismissed; :attr:`CallsStore.idle` is True
when no call is live.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from app.bus import ChangeHub, Changes
from app.call_model import ActiveCall, CallChange, CallDirection, CallModel, LiveState
from app.stores._base import Store
from sip import EngineEvent

__all__ = ["ActiveCall", "CallDirection", "CallsStore", "LiveState"]


class CallsStore(Store):
    """Publishes ``Changes("calls", {"calls"}, calls=(change,))`` with the model's change
    (``CallAdded``, ``CallChanged`` or ``CallRemoved``)."""

    name = "calls"

    def __init__(
        self,
        model: CallModel | None = None,
        clock: Callable[[], float] = time.monotonic,
        hub: ChangeHub | None = None,
    ) -> None:
        super().__init__(hub)
        self.model = model or CallModel()
        self._clock = clock

    @property
    def calls(self) -> list[ActiveCall]:
        return self.model.calls

    @property
    def idle(self) -> bool:
        return self.model.idle

    def get(self, key: str) -> ActiveCall | None:
        return self.model.get(key)

    def focus_call(self) -> ActiveCall | None:
        """The call the user's actions go to (:func:`app.call_model.focus_call`)."""
        return self.model.focus_call()

    def apply(self, event: EngineEvent) -> CallChange | None:
        """Feed one engine event to the model; raises ``CallModelError`` for an illegal one."""
        change = self.model.apply(event, self._clock())
        more, self.model.pending = self.model.pending, []
        for each in more:
            self._announce(each)
        if change is not None:
            self._announce(change)
        return change

    def note(self, changes: list[CallChange] | CallChange | None) -> None:
        """Announce changes the controller made by noting what the user asked for."""
        items = changes if isinstance(changes, list) else [changes]
        for change in items:
            if change is not None:
                self._announce(change)

    def fill_names(self) -> None:
        for change in self.model.fill_names():
            self._announce(change)

    def dismiss(self, key: str) -> None:
        change = self.model.dismiss(key)
        if change is not None:
            self._announce(change)

    def _announce(self, change: CallChange) -> None:
        self.hub.publish(Changes("calls", frozenset({"calls"}), (change,)))
