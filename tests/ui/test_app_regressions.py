"""Widget bugs the real app and its screenshots showed, pinned down."""

from __future__ import annotations

from ui.side_bar import SideBar


def test_missed_call_badge_keeps_its_size_over_many_updates(qtbot) -> None:
    bar = SideBar()
    qtbot.addWidget(bar)
    bar.add_section("calls", "history")
    bar.add_section("settings", "settings", at_bottom=True)
    bar.resize(84, 600)
    bar.show()
    bar.set_badge("calls", 0)
    bar.set_badge("calls", 1)
    first = bar.badges["calls"].width()
    for _ in range(10):  # the history store changes many times while calls come and go
        bar.set_badge("calls", 1)
    assert bar.badges["calls"].width() == first
    for count in (1, 12, 150):
        bar.set_badge("calls", count)
        badge, button = bar.badges["calls"], bar.buttons["calls"]
        assert badge.isVisible() and badge.x() + badge.width() <= button.width()
    assert bar.badges["calls"].text() == "99+"
    bar.set_badge("calls", 0)
    assert not bar.badges["calls"].isVisible()
