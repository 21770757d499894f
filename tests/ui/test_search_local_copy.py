"""The search box answers from the desktop's copy of the directory, in the same turn as the key.

A real DirectoryStore and DirectoryController (its copy already synchronised; no server) behind
the real main window: typed text shows matching rows with the matched text in bold, accents
folded both ways, numbers in any format; a change to the copy shows at the next keystroke.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from app.connection import Connection
from app.controllers.directory import DirectoryController
from app.directory_index import SyncPage
from app.notices import Notices
from app.stores.directory import DirectoryEntry, DirectoryStore
from app.tasks import TaskRunner
from tests.ui.fakes import FakeContext
from ui.main_window import MainWindow
from ui.models import SearchModel


def _contact(cid: int, name: str, company: str | None, *numbers: str) -> DirectoryEntry:
    return DirectoryEntry("contact", name, None, numbers, None, company, None, None, id=cid)


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.run_until_complete(asyncio.sleep(0.01))  # background refreshes end (no server)
    loop.close()


@pytest.fixture
def store() -> DirectoryStore:
    store = DirectoryStore()
    store.index.apply(
        SyncPage(
            "e1",
            7,
            True,
            (
                DirectoryEntry("user", "Bram Jansen", "202", ("202",), "Sales", None,
                               "available", "idle", id=2),
                _contact(1, "Søren Sørensen", "Grøn Energi A/S", "+4533123456"),
                _contact(2, "Sanne de Vries", "Bakkerij Ons Brood B.V.", "+31205550134"),
                DirectoryEntry("queue", "Support", "1500", ("1500",), None, None, None, None,
                               metadata="Support NL"),
            ),
            (),
        )
    )  # fmt: skip
    return store


@pytest.fixture
def ctx(store: DirectoryStore, loop: asyncio.AbstractEventLoop) -> FakeContext:
    ctl = DirectoryController(store, Connection(), TaskRunner(loop, Notices()))
    return FakeContext(directory=store, directory_ctl=ctl)  # type: ignore[arg-type]


@pytest.fixture
def window(qtbot, ctx: FakeContext) -> MainWindow:
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.hide_on_close = True
    w.show()
    return w


def _rows(window: MainWindow) -> list[str]:
    model = window.top_bar.search.model
    return [model.data(model.index(r), SearchModel.HtmlRole) for r in range(model.rowCount())]


def test_typing_is_answered_from_the_copy_with_bold_matches(qtbot, window: MainWindow) -> None:
    field = window.top_bar.search
    field.setFocus()
    qtbot.keyClicks(field, "sorensen")
    assert _rows(window) == ["Søren <b>Sørensen</b>"]
    assert field.panel.isVisible()
    field.reset()
    qtbot.keyClicks(field, "Bakkerij")
    model = field.model
    assert _rows(window) == ["Sanne de Vries"]
    assert "<b>Bakkerij</b>" in model.data(model.index(0), SearchModel.DetailHtmlRole)


@pytest.mark.parametrize("typed", ["+31 20 555", "0031 20 555", "+31 (0)20 555", "020-555"])
def test_numbers_in_any_format(qtbot, window: MainWindow, typed: str) -> None:
    field = window.top_bar.search
    qtbot.keyClicks(field, typed)
    model = field.model
    assert _rows(window) == ["Sanne de Vries"]
    assert model.data(model.index(0), SearchModel.NumberRole) == "+31205550134"


def test_extension_and_no_match(qtbot, window: MainWindow) -> None:
    field = window.top_bar.search
    qtbot.keyClicks(field, "202")
    assert _rows(window) == ["Bram Jansen"]
    field.reset()
    qtbot.keyClicks(field, "qxzv")
    assert _rows(window) == []


def test_a_change_to_the_copy_shows_at_the_next_key(
    qtbot, window: MainWindow, store: DirectoryStore
) -> None:
    field = window.top_bar.search
    qtbot.keyClicks(field, "ørst")
    assert _rows(window) == []
    store.index.apply(
        SyncPage("e1", 8, False, (_contact(3, "Ida Ørsted", None, "+4570101010"),), ())
    )
    qtbot.keyClicks(field, "e")
    assert _rows(window) == ["Ida <b>Ørste</b>d"]
    assert store.name_for("+45 70 10 10 10") == "Ida Ørsted"


def test_a_queue_row_with_its_icon_card_and_call_button(
    qtbot, window: MainWindow, ctx: FakeContext
) -> None:
    field = window.top_bar.search
    qtbot.keyClicks(field, "supp")
    model = field.model
    assert _rows(window) == ["<b>Supp</b>ort"]
    first = model.index(0)
    assert model.data(first, SearchModel.DetailHtmlRole) == "Queue · 1500"
    assert model.data(first, SearchModel.PresenceRole) is None
    assert model.data(first, SearchModel.PresenceLineRole) is None  # no presence for a queue
    rect = field.list.visualRect(first)
    assert (
        field.delegate.tooltip_at(rect, QPoint(rect.left() + 17, rect.top() + 15), 14, first) == ""
    )
    QTest.mouseClick(
        field.list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(rect.left() + 60, rect.center().y()),
    )
    card = field.card
    assert card.isVisible() and card.name.text() == "Support"
    assert card.department.text() == "Queue · 1500" and card.note.text() == "Support NL"
    assert card.numbers.text() == "★ 1500" and not card.chat_button.isVisible()
    card.call_button.click()
    calls = ctx.calls_ctl.calls
    assert calls == [("dial", ("1500",))]
    qtbot.keyClicks(field, "1500")
    assert _rows(window) == ["Support"]
    assert model.data(model.index(0), SearchModel.DetailHtmlRole) == "Queue · <b>1500</b>"
    rect = field.list.visualRect(model.index(0))
    QTest.mouseClick(
        field.list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(rect.right() - 25, rect.center().y()),
    )
    assert calls[1:] == [("dial", ("1500",))]
