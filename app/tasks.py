"""Background work started by controllers: kept referenced, errors turned into notices.

A controller method is a plain call from the GUI thread; its work runs as an asyncio task here.
An :class:`app.errors.AppError` becomes a notice with its message; anything else is logged and
shown as a generic failure, never raised into a widget.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Coroutine
from typing import Any

from app.errors import AppError
from app.notices import Notices
from app.stores._base import tr
from sip import SipEngineError

__all__ = ["TaskRunner", "cancel_pending"]

_log = logging.getLogger(__name__)


def _close_unstarted(coro: Coroutine[Any, Any, Any]) -> None:
    """Close a coroutine whose task was cancelled before it started, so it is not reported
    as never awaited; a coroutine that ran (or runs) is left alone."""
    if inspect.getcoroutinestate(coro) == inspect.CORO_CREATED:
        coro.close()


class TaskRunner:
    """Runs coroutines on the loop and reports how they failed."""

    def __init__(self, loop: asyncio.AbstractEventLoop, notices: Notices) -> None:
        self.loop = loop
        self._notices = notices
        self._tasks: set[asyncio.Task[Any]] = set()
        self._lasting: set[asyncio.Task[Any]] = set()

    def spawn(self, coro: Awaitable[Any], what: str, *, lasting: bool = False) -> asyncio.Task[Any]:
        """Run ``coro``; ``lasting``: it runs as long as the app (a service, not a piece of
        work :meth:`settle` waits for)."""
        task = self.loop.create_task(self._guard(coro, what), name=what)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        if asyncio.iscoroutine(coro):  # cancelled before it ran (the app quitting): let it go
            task.add_done_callback(lambda _task: _close_unstarted(coro))
        if lasting:
            self._lasting.add(task)
            task.add_done_callback(self._lasting.discard)
        return task

    async def _guard(self, coro: Awaitable[Any], what: str) -> Any:
        try:
            return await coro
        except asyncio.CancelledError:
            raise
        except AppError as exc:
            self._notices.post("error", str(exc))
        except SipEngineError as exc:
            _log.warning("%s failed: %s", what, exc)
            self._notices.post("error", tr("The phone could not do that: {0}").format(exc))
        except Exception:
            _log.exception("%s failed", what)
            self._notices.post("error", tr("Something went wrong; the log file has the details."))
        return None

    async def settle(self, timeout_s: float) -> bool:
        """Wait until the work started so far is done (at most ``timeout_s``); True if it is.
        A harness that lets Qt process events outside the loop waits for this first, so no
        task is stepped while no loop runs."""
        current = asyncio.current_task()
        tasks = [t for t in self._tasks if t is not current and t not in self._lasting]
        if not tasks:
            return True
        _done, pending = await asyncio.wait(tasks, timeout=timeout_s)
        if pending:
            _log.info("still running after %g s: %s", timeout_s, ", ".join(
                sorted(t.get_name() for t in pending)))  # fmt: skip
        return not pending

    async def cancel_all(self) -> None:
        tasks = [t for t in self._tasks if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def cancel_pending(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel what is still pending on ``loop`` and let it unwind, before the loop closes (as
    ``asyncio.run`` does): a task that never got to run (a connection attempt started just
    before quitting) is then closed instead of being collected half-made."""
    if loop.is_closed() or loop.is_running():
        return
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    if not pending:
        return
    for task in pending:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
