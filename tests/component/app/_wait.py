"""Wait on the running loop until a condition on app state holds (fails with a message)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

STEP_S = 0.05


async def until(predicate: Callable[[], object], within: float = 20.0, what: str = "") -> None:
    """Let the loop run until ``predicate()`` is true; AssertionError after ``within`` s."""
    for _ in range(round(within / STEP_S)):
        if predicate():
            return
        await asyncio.sleep(STEP_S)
    if not predicate():
        raise AssertionError(f"condition not reached within {within} s: {what or predicate}")
