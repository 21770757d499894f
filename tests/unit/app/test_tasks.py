"""Background work of the controllers (app/tasks.py): a task cancelled before it ran."""

from __future__ import annotations

import asyncio
import gc
import warnings

from app.notices import Notices
from app.tasks import TaskRunner


async def test_work_cancelled_before_it_ran_is_not_reported_as_never_awaited() -> None:
    runner = TaskRunner(asyncio.get_running_loop(), Notices())
    ran: list[str] = []

    async def work() -> None:
        ran.append("work")

    task = runner.spawn(work(), "some work")
    task.cancel()  # the app quits before the loop runs it
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "coroutine ... was never awaited" would raise here
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        gc.collect()
    assert task.cancelled() and ran == []


async def test_work_that_runs_is_not_touched() -> None:
    runner = TaskRunner(asyncio.get_running_loop(), Notices())

    async def work() -> str:
        await asyncio.sleep(0)
        return "done"

    assert await runner.spawn(work(), "some work") == "done"
