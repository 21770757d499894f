"""An idle engine has no timer running: the 20 ms ticker lives only while legs exist."""

from __future__ import annotations

from pbx_core.media import MediaEngine


async def test_ticker_stops_when_the_last_leg_closes(engine: MediaEngine) -> None:
    first = await engine.open_leg("a")
    second = await engine.open_leg("b")
    assert engine._ticker is not None
    await first.close()
    assert engine._ticker is not None, "one leg is still open"
    await second.close()
    assert engine._ticker is None
    again = await engine.open_leg("c")
    assert engine._ticker is not None
    await again.close()
    assert engine._ticker is None
