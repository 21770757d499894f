"""The calendar's actions: load a window of plans, save (create or change) and delete one.

The window on view is reloaded when the server says the plans changed (``plans.changed``, also
when another device of the user changed them). A refused save (a bad repeat rule, an end before
the start) is put in the store as its error, for the dialog to show; an accepted one is put in
the store with the names of the plans it overlaps, for the warning.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QTimeZone

from app.connection import Connection
from app.errors import ServerRejected
from app.server_events import PlansChanged
from app.stores.calendar import CalendarStore, PlanDraft, PlanEntry, SavedPlan
from app.tasks import TaskRunner

__all__ = ["CalendarController", "local_zone"]

_log = logging.getLogger(__name__)


def local_zone() -> str:
    """The IANA name of this computer's time zone (plans are kept in wall-clock time there)."""
    name = bytes(QTimeZone.systemTimeZoneId().data()).decode() or "UTC"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name


class CalendarController:
    def __init__(self, store: CalendarStore, connection: Connection, runner: TaskRunner) -> None:
        self._store = store
        self._conn = connection
        self._runner = runner
        # the window asked for last, and a count of loads: answers can arrive out of order
        # (next month, then back to today), and only the answer to the latest load is shown
        self._wanted: tuple[dt.datetime, dt.datetime] | None = None
        self._loads = 0

    def load(self, start: dt.datetime, end: dt.datetime) -> None:
        """Load the plans running in [start, end) (aware times)."""
        self._wanted = (start, end)
        self._loads += 1
        self._runner.spawn(self._load(start, end, self._loads), "loading the calendar")

    def reload(self) -> None:
        window = self._wanted or self._store.window
        if window is not None:
            self.load(*window)

    def on_plans_changed(self, _event: PlansChanged) -> None:
        self.reload()

    def save(self, draft: PlanDraft, plan_id: int | None = None) -> None:
        """Create a plan (``plan_id`` None) or change one."""
        self._runner.spawn(self._save(draft, plan_id), "saving a plan")

    def delete(self, plan_id: int) -> None:
        self._runner.spawn(self._delete(plan_id), "deleting a plan")

    async def _load(self, start: dt.datetime, end: dt.datetime, load: int) -> None:
        params = {
            "from": start.astimezone(dt.UTC).isoformat(),
            "to": end.astimezone(dt.UTC).isoformat(),
        }
        try:
            rows = await self._conn.require_api().request("GET", "/api/v1/me/plans", params=params)
        except ServerRejected as exc:
            if exc.status != 404:
                raise
            _log.info("the server keeps no plans (404): %s", exc)
            rows = []
        plans = []
        for row in rows if isinstance(rows, list) else []:
            try:
                plans.append(PlanEntry.from_api(row))
            except ValueError as exc:
                _log.warning("skipping a plan: %s", exc)
        if load != self._loads:
            _log.debug("a later load of the calendar is on its way; dropping this answer")
            return
        self._store.set_plans((start, end), plans)

    async def _save(self, draft: PlanDraft, plan_id: int | None) -> None:
        api = self._conn.require_api()
        try:
            if plan_id is None:
                row = await api.request("POST", "/api/v1/me/plans", json=draft.to_api())
            else:
                row = await api.request("PUT", f"/api/v1/me/plans/{plan_id}", json=draft.to_api())
        except ServerRejected as exc:
            self._store.set_error(str(exc))
            return
        entry = PlanEntry.from_api(row)
        names = tuple(
            p.draft.name for i in entry.overlaps if (p := self._store.plan(i)) is not None
        )
        self._store.set_saved(SavedPlan(entry, names))
        self.reload()

    async def _delete(self, plan_id: int) -> None:
        await self._conn.require_api().request("DELETE", f"/api/v1/me/plans/{plan_id}")
        self.reload()
