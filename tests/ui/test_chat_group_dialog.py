"""The group dialog (seed 000 "Chat": a group with a name, a picture and members): colleagues
found while typing, a picture file turned into a small inline image, and the changes it asks
the page to make for a new and for an existing group."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.stores.chat import ChatConversation, ChatMember, ChatStore
from ui.avatars import PICTURE_PX, image_data_url, initials, picture_image
from ui.chat_group_dialog import GroupChanges, GroupDialog
from ui.chat_page import ChatPage

PEOPLE = [("202", "Bram Jansen"), ("203", "Carla Bakker"), ("204", "Daan Visser")]


def _colleagues(text: str) -> list[tuple[str, str]]:
    low = text.lower()
    return [(e, n) for e, n in PEOPLE if low in n.lower() or e.startswith(text)]


def _group(picture: str | None = None) -> ChatConversation:
    members = (ChatMember("201", "Anna de Vries"), ChatMember("202", "Bram Jansen"))
    return ChatConversation(
        7, "group", "Inkoop", members, 0, dt.datetime(2026, 12, 4, tzinfo=dt.UTC), picture=picture
    )


def _photo(tmp_path: Path) -> Path:
    image = QImage(640, 480, QImage.Format.Format_RGB32)
    image.fill(QColor("#2a9d8f"))
    path = tmp_path / "team.png"
    assert image.save(str(path))
    return path


def test_a_new_group_finds_colleagues_while_typing(qtbot: QtBot) -> None:
    dialog = GroupDialog("201", _colleagues)
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()  # no name, nobody else yet
    dialog.name.setText("Inkoop")
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.people_field, "car")
    assert not dialog.suggestions.isHidden() and dialog.suggestions.count() == 1
    assert dialog.suggestions.item(0).text() == "Carla Bakker (203)"
    qtbot.keyClick(dialog.people_field, Qt.Key.Key_Return)
    assert dialog.members() == ["201", "203"] and dialog.people_field.text() == ""
    assert dialog.member_list.item(0).text() == "You (you)"
    dialog.people_field.setText("204")  # an extension typed whole
    dialog.add_typed()
    dialog.people_field.setText("Zoë")
    dialog.add_typed()
    assert dialog.error.text() == "No colleague matches \u201cZoë\u201d."
    assert dialog.ok_button.isEnabled()
    changes = dialog.changes()
    assert changes == GroupChanges("Inkoop", None, added=["203", "204"])


def test_a_picture_file_becomes_a_small_inline_image(qtbot: QtBot, tmp_path: Path) -> None:
    url = image_data_url(_photo(tmp_path))
    assert url.startswith("data:image/jpeg;base64,") and len(url) < 32_000
    image = picture_image(url)
    assert image is not None and (image.width(), image.height()) == (PICTURE_PX, PICTURE_PX)
    got = QColor(image.pixel(48, 48))
    want = QColor("#2a9d8f")  # JPEG is lossy: within a few steps per channel
    assert max(abs(got.red() - want.red()), abs(got.green() - want.green())) <= 3
    assert abs(got.blue() - want.blue()) <= 3
    dialog = GroupDialog("201", _colleagues, _group())
    qtbot.addWidget(dialog)
    assert not dialog.remove_picture.isEnabled()
    assert dialog.use_picture_file(str(_photo(tmp_path)))
    assert dialog.remove_picture.isEnabled()
    assert dialog.changes().picture_changed and dialog.changes().picture == url
    assert initials("Inkoop NL") == "IN"


def test_a_file_that_is_no_picture_is_refused_in_plain_words(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = tmp_path / "notes.png"
    text.write_text("not a picture")
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, message: said.append(message))
    dialog = GroupDialog("201", _colleagues, _group())
    qtbot.addWidget(dialog)
    assert not dialog.use_picture_file(str(text))
    assert said == ["notes.png is not a picture this app can read"]
    assert not dialog.changes().picture_changed


def test_group_info_removes_a_member_and_can_leave(qtbot: QtBot) -> None:
    dialog = GroupDialog("201", _colleagues, _group())
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Group info" and dialog.name.text() == "Inkoop"
    assert dialog.leave_button is not None
    dialog.member_list.item(0).setSelected(True)  # yourself: not selectable
    assert not dialog.remove_member.isEnabled()
    dialog.member_list.item(1).setSelected(True)
    dialog.remove_member.click()
    assert dialog.members() == ["201"]
    assert not dialog.ok_button.isEnabled()  # a group needs someone besides you
    dialog.people_field.setText("Daan")
    dialog.finder.suggest("Daan")
    dialog.add_typed()
    dialog.name.setText("Inkoop NL")
    assert dialog.changes() == GroupChanges("Inkoop NL", None, added=["204"], removed=["202"])
    dialog.leave_button.click()
    assert dialog.changes().leave


class _Actions:
    def __init__(self) -> None:
        self.calls: list[tuple[object, ...]] = []
        self.viewing = False

    def __getattr__(self, name: str) -> object:
        return lambda *args: self.calls.append((name, *args))


def test_the_page_opens_the_dialog_and_applies_its_answer(qtbot: QtBot, qapp: QApplication) -> None:
    store = ChatStore()
    store.me = "201"
    store.put_conversation(_group())
    actions = _Actions()
    page = ChatPage(store, actions)  # type: ignore[arg-type]
    qtbot.addWidget(page)
    page.colleagues = _colleagues
    store.open_id = 7
    page._ask_info()
    dialog = page.group_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.name.setText("Inkoop NL")
    dialog.member_list.item(1).setSelected(True)
    dialog.remove_member.click()
    dialog.add_member("203", "Carla Bakker")
    dialog.ok_button.click()
    assert actions.calls == [
        ("rename", 7, "Inkoop NL"),
        ("add_members", 7, ["203"]),
        ("remove_member", 7, "202"),
    ]
    assert page.group_dialog is None


def test_new_chat_finds_the_colleague_by_name(qtbot: QtBot, qapp: QApplication) -> None:
    store = ChatStore()
    store.me = "201"
    actions = _Actions()
    page = ChatPage(store, actions)  # type: ignore[arg-type]
    qtbot.addWidget(page)
    page.colleagues = lambda text: [("201", "Anna de Vries"), *_colleagues(text)]
    page._ask_direct()
    dialog = page.chat_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.finder.field, "an")  # Anna is you: not offered
    found = dialog.finder.suggestions
    shown = [found.item(i).text() for i in range(found.count())]
    assert shown == ["Bram Jansen (202)", "Daan Visser (204)"]
    found.setCurrentRow(1)
    qtbot.keyClick(dialog.finder.field, Qt.Key.Key_Return)
    assert actions.calls == [("start_direct", "204")]
    assert page.chat_dialog is None
