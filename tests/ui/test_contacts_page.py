"""The Contacts section on the real app (embedded PBX, demo organisation, signed in as 201):
company contacts are listed read-only and one becomes a favourite; a personal contact added
through the form is listed and its card calls it through the calls controller (a real call to
the echo test); a broken import file is reported line by line with nothing imported, and a good
one comes in. Each test runs in a fresh app (own process)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication

from tests.ui._app_harness import RealApp
from ui.contacts_page import ContactsPage

pytestmark = [pytest.mark.pjsua, pytest.mark.own_process, pytest.mark.timeout(240)]


@pytest.fixture(scope="module")
def real_app(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealApp]:
    app = RealApp(tmp_path_factory.mktemp("app") / "data", demo=True)
    try:
        app.start_session()
        app.run(
            app.until(
                lambda: app.online() and app.ctx.contacts.loaded,
                60,
                "signed in as 201, registered, contacts loaded",
            )
        )
        yield app
    finally:
        app.close()


def _click(button: QAbstractButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text() or button.toolTip()
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def _page(app: RealApp) -> ContactsPage:
    """The Contacts section, opened from the side bar (each test runs in a fresh app)."""
    page = app.window.contacts_page
    assert page is not None
    if app.window.pages.currentWidget() is not page:
        _click(app.window.side_bar.buttons["contacts"])
    assert app.window.pages.currentWidget() is page
    return page


def _rows(page: ContactsPage) -> list[str]:
    return [page.list.item(r).text() for r in range(page.list.count())]


def _select(app: RealApp, name: str) -> None:
    page = _page(app)
    row = _rows(page).index(name)
    page.list.setCurrentRow(row)
    QApplication.processEvents()  # lay the card out before clicking in it
    assert page.card.contact is not None and page.card.contact.name == name


def test_company_contacts_are_read_only_and_one_becomes_a_favourite(real_app: RealApp) -> None:
    page = _page(real_app)
    assert "Jan Visser" in _rows(page)
    _select(real_app, "Jan Visser")
    card = page.card
    assert card.book.text() == "Company address book"
    assert not card.edit_button.isVisible() and not card.delete_button.isVisible()
    assert card.read_only.isVisible()
    star, number, _call = card.number_rows[0]
    assert star.text() == "★" and number.text() == "020 555 0134"
    assert card.number_rows[1][0].text() == ""  # only the primary number is starred
    _click(card.favourite)
    real_app.run(
        real_app.until(
            lambda: page.card.contact is not None and page.card.contact.type == "favourite",
            10,
            "marked as a favourite",
        )
    )
    _click(page.view_buttons["favorites"])
    assert _rows(page) == ["Jan Visser"]
    _click(page.view_buttons["vip"])
    assert _rows(page) == [] and page.empty.isVisible()


def test_add_a_personal_contact_and_call_it_from_its_card(real_app: RealApp) -> None:
    page = _page(real_app)
    dialog = page.add_contact()
    dialog.name.setText("Echo Friend")
    dialog.company.setText("Acme test lab")
    dialog.numbers["mobile"].setText("06 1234 5678")
    dialog.numbers["work"].setText("9000")
    dialog.primary["work"].setChecked(True)
    _click(dialog.buttons.button(dialog.buttons.StandardButton.Save))
    real_app.run(real_app.until(lambda: "Echo Friend" in _rows(page), 10, "the new contact listed"))
    card = page.card
    assert card.contact is not None and card.contact.name == "Echo Friend"
    assert card.book.text() == "Personal address book"
    assert card.edit_button.isVisible() and card.delete_button.isVisible()
    assert [(s.text(), n.text()) for s, n, _ in card.number_rows] == [
        ("★", "9000"),
        ("", "06 12345678"),
    ]

    _click(card.call_button)
    layer = real_app.window.calls_layer
    assert layer is not None
    real_app.run(real_app.until(lambda: len(layer.windows) == 1, 20, "a call window"))
    (call_window,) = layer.windows.values()
    real_app.run(
        real_app.until(lambda: call_window.call.state == "connected", 20, "the echo test answers")
    )
    assert call_window.call.number == "9000"
    real_app.ctx.calls_ctl.hangup(call_window.key)
    real_app.run(real_app.until(lambda: call_window.call.state == "ended", 20, "hung up"))


def test_a_broken_import_is_reported_by_line_and_a_good_one_comes_in(
    real_app: RealApp, tmp_path: Path
) -> None:
    page = _page(real_app)
    before = _rows(page)
    broken = tmp_path / "broken.csv"
    broken.write_text("name,mobile\nGood,0612345678\n,0612345679\nBad,12ab\n", encoding="utf-8")
    page.import_from(broken)
    real_app.run(real_app.until(page.report.isVisible, 10, "the import report"))
    assert page.report.text().splitlines() == [
        "Nothing was imported. Fix these lines and import the file again:",
        "Line 3: a contact needs a name",
        "Line 4: mobile: not a phone number: '12ab'",
    ]
    assert _rows(page) == before
    good = tmp_path / "good.vcf"
    good.write_text(
        "BEGIN:VCARD\nVERSION:4.0\nFN:Vera Card\nTEL;TYPE=cell:+31 6 5555 1234\nEND:VCARD\n",
        encoding="utf-8",
    )
    page.import_from(good)
    real_app.run(real_app.until(lambda: "Vera Card" in _rows(page), 10, "the imported contact"))
    assert not page.report.isVisible()


def test_a_long_company_directory_is_listed_a_page_at_a_time(real_app: RealApp) -> None:
    """450 company contacts more in the embedded PBX's store: the list holds the first page
    (200) and asks for the next ones as it is scrolled to its end, until every one is there."""
    database = real_app.paths.pbx_dir / "pbx.sqlite3"
    with closing(sqlite3.connect(database)) as con, con:
        (start,) = con.execute("SELECT COALESCE(MAX(id), 0) FROM contacts").fetchone()
        con.executemany(
            "INSERT INTO contacts (id, name, company, email) VALUES (?, ?, ?, NULL)",
            [(start + 1 + i, f"Paged {i:03d}", "Long Directory BV") for i in range(450)],
        )
    store = real_app.ctx.contacts
    page = _page(real_app)
    _click(page.view_buttons["all"])
    real_app.ctx.contacts_ctl.load()
    real_app.run(
        real_app.until(lambda: len(store.contacts) == 200, 20, "the first page of contacts")
    )
    assert store.has_more and page.list.count() == 200

    def grown(had: int) -> Callable[[], bool]:
        return lambda: len(store.contacts) > had

    for _ in range(10):
        if not store.has_more:
            break
        had = len(store.contacts)
        page.list.scrollToBottom()
        real_app.run(real_app.until(grown(had), 20, "the next page as it scrolls"))
    rows = _rows(page)
    paged = [name for name in rows if name.startswith("Paged ")]
    assert paged == [f"Paged {i:03d}" for i in range(450)]
    assert not store.has_more and len({c.id for c in store.contacts}) == len(rows)
    assert "Jan Visser" in rows and rows == sorted(rows, key=str.casefold)
