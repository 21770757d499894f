"""Group inboxes and personal assistance on the Voicemail page (real store and controller, no
server): the tabs name the user's group inboxes even while empty, a group message's row says
its inbox, and the "…" menu sets the personal assistance number."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.test_voicemail_page import Parts, _message
from ui.voicemail_list import detail_text


@pytest.fixture
def parts(qapp: QApplication, tmp_path: Path) -> Iterator[Parts]:
    p = Parts(tmp_path)
    try:
        yield p
    finally:
        p.ctl.stop()
        p.page.take_player_back()
        p.page.deleteLater()
        p.devices.close()
        p.loop.close()


def test_group_inboxes_are_tabs_even_while_empty_and_rows_say_their_inbox(parts: Parts) -> None:
    page = parts.page
    parts.store.set_messages([_message(1, "202", 0, False)])
    assert not page.tabs.isVisibleTo(page)  # only the personal inbox
    parts.store.set_inboxes({"Support": "9102"})
    assert page.tabs.isVisibleTo(page) and page.tabs.count() == 2
    assert (page.tabs.tabText(0), page.tabs.tabText(1)) == ("Personal", "Support")
    page.tabs.setCurrentIndex(1)
    assert page.model.inbox == "Support" and page.stack.currentWidget() is page.empty
    parts.store.put(_message(2, "201", 3, False, inbox="Support"))
    assert page.model.rowCount() == 1
    group = page.model.message(0)
    assert detail_text(group).startswith("Support · ")
    assert "Support" not in detail_text(parts.store.in_inbox("personal")[0])
    accessible = page.model.index(0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert "Support" in str(accessible)
    assert parts.store.group_numbers == frozenset({"9102"})


def test_the_menu_sets_the_personal_assistance_number(
    parts: Parts, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str | None] = []
    monkeypatch.setattr(parts.ctl, "set_assistance_number", asked.append)
    parts.store.set_settings(True, False, "204")
    page = parts.page
    assert page.assistance_action.text() == "Personal assistance number…"
    page.assistance_action.trigger()
    dialog = page.assistance_dialog
    assert dialog is not None and dialog.textValue() == "204"
    dialog.setTextValue(" 200 ")
    dialog.accept()
    dialog.setTextValue("")
    dialog.accept()
    assert asked == ["200", None]
    assert parts.store.assistance_number == "204"  # until the server answers
