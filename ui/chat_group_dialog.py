"""A group chat's info and settings (seed 000 "Chat": create a group with a name, a picture and
members; group info; leave): one dialog for a new group and for an existing one.

Colleagues are found as the user types (``colleagues``: the local directory's search), so
nobody needs to know an extension by heart; a typed extension is taken as well. The dialog only
collects the wishes (:class:`GroupChanges`); the page hands them to the chat controller.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.stores.chat import ChatConversation
from ui.avatars import avatar_pixmap, image_data_url
from ui.colleague_finder import ColleagueFinder, Colleagues

__all__ = ["Colleagues", "GroupChanges", "GroupDialog", "NewChatDialog"]

_AVATAR = 64


@dataclass
class GroupChanges:
    """What the user asked for in the dialog."""

    name: str
    picture: str | None
    picture_changed: bool = False
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    leave: bool = False


class GroupDialog(QDialog):
    """``conv`` None: a new group; else that group's info, editable by any member."""

    def __init__(
        self,
        me: str | None,
        colleagues: Colleagues,
        conv: ChatConversation | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("GroupDialog")
        self._me = me
        self._picture = conv.picture if conv is not None else None
        self._picture_changed = False
        self._names: dict[str, str] = (
            {m.extension: m.name or m.extension for m in conv.members} if conv else {}
        )
        self._before = [m.extension for m in conv.members] if conv is not None else []
        self._members = list(self._before) if conv is not None else ([me] if me else [])
        if me and me not in self._names:
            self._names[me] = self.tr("You")
        self.leave_requested = False
        self.setWindowTitle(self.tr("New group") if conv is None else self.tr("Group info"))
        self.setMinimumWidth(420)

        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        self.avatar = QLabel(self)
        self.avatar.setFixedSize(_AVATAR, _AVATAR)
        head.addWidget(self.avatar)
        picture_buttons = QVBoxLayout()
        self.choose_picture = QPushButton(self.tr("Choose picture…"), self)
        self.choose_picture.clicked.connect(self._choose_picture)
        self.remove_picture = QPushButton(self.tr("Remove picture"), self)
        self.remove_picture.clicked.connect(lambda: self.set_picture(None))
        picture_buttons.addWidget(self.choose_picture)
        picture_buttons.addWidget(self.remove_picture)
        head.addLayout(picture_buttons)
        head.addStretch(1)
        layout.addLayout(head)

        form = QFormLayout()
        self.name = QLineEdit(conv.name or "" if conv is not None else "", self)
        self.name.setMaxLength(100)
        self.name.setPlaceholderText(self.tr("For example: Sales team"))
        self.name.textChanged.connect(self._update)
        form.addRow(self.tr("Group name:"), self.name)
        layout.addLayout(form)

        layout.addWidget(QLabel(self.tr("Members"), self))
        self.member_list = QListWidget(self)
        self.member_list.itemSelectionChanged.connect(self._update)
        layout.addWidget(self.member_list, 1)
        self.remove_member = QPushButton(self.tr("Remove from the group"), self)
        self.remove_member.clicked.connect(self._remove_selected)
        layout.addWidget(self.remove_member, 0, Qt.AlignmentFlag.AlignLeft)

        layout.addWidget(QLabel(self.tr("Add people"), self))
        self.finder = ColleagueFinder(
            colleagues, self.tr("Add"), lambda ext: ext in self._members, self
        )
        self.finder.picked.connect(self.add_member)
        layout.addWidget(self.finder)
        self.people_field = self.finder.field
        self.suggestions = self.finder.suggestions
        self.error = self.finder.error

        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(
            self.tr("Create group") if conv is None else self.tr("Save"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.leave_button: QPushButton | None = None
        if conv is not None:
            self.leave_button = self.buttons.addButton(
                self.tr("Leave group"), QDialogButtonBox.ButtonRole.DestructiveRole
            )
            self.leave_button.clicked.connect(self._leave)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._fill_members()
        self._show_picture()
        self._update()

    # -- picture ----------------------------------------------------------------------------

    def _choose_picture(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose picture"),
            "",
            self.tr("Pictures (*.png *.jpg *.jpeg *.bmp *.gif)"),
        )
        if path:
            self.use_picture_file(path)

    def use_picture_file(self, path: str) -> bool:
        """Take the picture in ``path`` (scaled down); False, with the reason shown, if not."""
        try:
            self.set_picture(image_data_url(path))
        except ValueError as exc:
            QMessageBox.warning(self, self.tr("Choose picture"), str(exc))
            return False
        return True

    def set_picture(self, picture: str | None) -> None:
        self._picture = picture
        self._picture_changed = True
        self._show_picture()

    def _show_picture(self) -> None:
        self.avatar.setPixmap(avatar_pixmap(self.name.text() or "?", _AVATAR, self._picture))
        self.remove_picture.setEnabled(self._picture is not None)

    # -- members ----------------------------------------------------------------------------

    def _fill_members(self) -> None:
        self.member_list.clear()
        for ext in self._members:
            label = self._names.get(ext, ext)
            text = self.tr("{0} (you)").format(label) if ext == self._me else f"{label} ({ext})"
            item = QListWidgetItem(text, self.member_list)
            item.setData(Qt.ItemDataRole.UserRole, ext)
            if ext == self._me:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)

    def members(self) -> list[str]:
        return list(self._members)

    def _remove_selected(self) -> None:
        for item in self.member_list.selectedItems():
            ext = item.data(Qt.ItemDataRole.UserRole)
            if ext != self._me and ext in self._members:
                self._members.remove(ext)
        self._fill_members()
        self._update()

    def add_typed(self) -> None:
        """Enter or "Add": the highlighted match or a colleague's extension typed whole."""
        self.finder.take_typed()

    def add_member(self, extension: str, name: str) -> None:
        if extension not in self._members:
            self._members.append(extension)
            self._names[extension] = name
        self._fill_members()
        self._update()

    # -- result -----------------------------------------------------------------------------

    def _update(self) -> None:
        others = [m for m in self._members if m != self._me]
        self.ok_button.setEnabled(bool(self.name.text().strip()) and bool(others))
        self.remove_member.setEnabled(
            any(
                i.data(Qt.ItemDataRole.UserRole) != self._me
                for i in self.member_list.selectedItems()
            )
        )
        if self._picture is None:
            self._show_picture()  # the initials follow the name

    def _leave(self) -> None:
        self.leave_requested = True
        self.accept()

    def changes(self) -> GroupChanges:
        """What to do: the name, the picture, who joins and who goes (or leaving)."""
        return GroupChanges(
            name=self.name.text().strip(),
            picture=self._picture,
            picture_changed=self._picture_changed,
            added=[m for m in self._members if m not in self._before and m != self._me],
            removed=[m for m in self._before if m not in self._members],
            leave=self.leave_requested,
        )


class NewChatDialog(QDialog):
    """ "New chat": find the colleague by name or extension; :attr:`chosen` once picked."""

    def __init__(self, colleagues: Colleagues, me: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("NewChatDialog")
        self.setWindowTitle(self.tr("New chat"))
        self.setMinimumWidth(380)
        self.chosen: str | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Who do you want to chat with?"), self))
        self.finder = ColleagueFinder(colleagues, self.tr("Chat"), lambda ext: ext == me, self)
        self.finder.picked.connect(self._picked)
        layout.addWidget(self.finder)
        layout.addStretch(1)  # the question, the field and its matches stay together at the top
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _picked(self, extension: str, _name: str) -> None:
        self.chosen = extension
        self.accept()
