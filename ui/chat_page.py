"""The Chat page (seed 000 "Chat"): the conversations with unread badges, and the open chat with
its messages, receipts, an emoji picker and the text field.

It renders :class:`app.stores.chat.ChatStore` and acts through :class:`ChatActions`
(:class:`app.controllers.chat.ChatController`); it redraws the part the store names as changed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Protocol

from PySide6.QtCore import QEvent, QItemSelection, Qt, QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.stores.chat import ChatConversation, ChatMessage, ChatStore
from ui.avatars import avatar_pixmap
from ui.chat_delegates import ConversationDelegate, MessageDelegate
from ui.chat_group_dialog import Colleagues, GroupChanges, GroupDialog, NewChatDialog
from ui.chat_models import (
    CONVERSATION_ROLE,
    MESSAGE_ROLE,
    ConversationListModel,
    MessageListModel,
)
from ui.icons import icon

__all__ = ["EMOJI", "TYPING_SHOWN_MS", "ChatActions", "ChatPage"]

_EMOJI_ROW = "😀 😂 😊 😉 😍 🤔 😅 😢 👍 👎 👏 🙏 🎉 ❤️ ☕ 📞 ✅ ❌ 👋 🔥"
EMOJI = tuple(_EMOJI_ROW.split())
"""The emoji picker's choice: plain Unicode characters, sent as text."""
TYPING_SHOWN_MS = 5000
_HEADER_AVATAR = 40


class ChatActions(Protocol):
    """What the page asks of the chat (:class:`app.controllers.chat.ChatController`)."""

    viewing: bool

    def open(self, cid: int | None) -> None: ...
    def read_open(self) -> None: ...
    def load_earlier(self) -> None: ...
    def send(self, text: str) -> None: ...
    def start_direct(self, extension: str) -> None: ...
    def create_group(self, name: str, members: list[str], picture: str | None = None) -> None: ...
    def rename(self, cid: int, name: str) -> None: ...
    def add_members(self, cid: int, extensions: list[str]) -> None: ...
    def remove_member(self, cid: int, extension: str) -> None: ...
    def set_picture(self, cid: int, picture: str | None) -> None: ...
    def leave(self, cid: int) -> None: ...
    def typing(self) -> None: ...


class ChatPage(QWidget):
    """Conversations on the left, the open chat on the right."""

    def __init__(self, store: ChatStore, actions: ChatActions, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ChatPage")
        self._store = store
        self._actions = actions
        split = QSplitter(Qt.Orientation.Horizontal, self)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(split)

        side = QWidget(split)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(12, 12, 6, 12)
        head = QHBoxLayout()
        self.heading = QLabel(side)
        self.heading.setObjectName("PageTitle")
        head.addWidget(self.heading, 1)
        self.new_button = QToolButton(side)
        self.new_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.new_menu = QMenu(self.new_button)
        self.new_chat_action = self.new_menu.addAction("", self._ask_direct)
        self.new_group_action = self.new_menu.addAction("", self._ask_group)
        self.new_button.setMenu(self.new_menu)
        head.addWidget(self.new_button)
        side_layout.addLayout(head)
        self.conversations = QListView(side)
        self.conversation_model = ConversationListModel(store)
        self.conversations.setModel(self.conversation_model)
        self.conversations.setItemDelegate(ConversationDelegate(store, self.conversations))
        self.conversations.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.conversations.selectionModel().selectionChanged.connect(self._picked)
        side_layout.addWidget(self.conversations, 1)

        self.right = QStackedWidget(split)
        self.empty = QLabel(self.right)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setObjectName("Muted")
        self.right.addWidget(self.empty)
        self.chat = QWidget(self.right)
        chat_layout = QVBoxLayout(self.chat)
        chat_layout.setContentsMargins(6, 12, 12, 12)
        top = QHBoxLayout()
        self.header_avatar = QLabel(self.chat)
        self.header_avatar.setFixedSize(_HEADER_AVATAR, _HEADER_AVATAR)
        top.addWidget(self.header_avatar)
        titles = QVBoxLayout()
        self.title = QLabel(self.chat)
        self.title.setObjectName("PageTitle")
        self.subtitle = QLabel(self.chat)
        self.subtitle.setObjectName("Muted")
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        top.addLayout(titles, 1)
        self.on_call: Callable[[str], None] | None = None
        """Dials a colleague: "Call" in a 1:1 chat's header (set by the main window)."""
        self.call_button = QToolButton(self.chat)
        self.call_button.setObjectName("GreenButton")
        self.call_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.call_button.clicked.connect(self._call_other)
        top.addWidget(self.call_button)
        self.group_button = QToolButton(self.chat)
        self.group_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.group_menu = QMenu(self.group_button)
        self.info_action = self.group_menu.addAction("", self._ask_info)
        self.group_menu.addSeparator()
        self.leave_action = self.group_menu.addAction("", self._leave)
        self.group_button.setMenu(self.group_menu)
        top.addWidget(self.group_button)
        chat_layout.addLayout(top)
        self.earlier_button = QPushButton(self.chat)
        self.earlier_button.setFlat(True)
        self.earlier_button.clicked.connect(self._actions.load_earlier)
        chat_layout.addWidget(self.earlier_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.messages = QListView(self.chat)
        self.message_model = MessageListModel(store)
        self.messages.setModel(self.message_model)
        self.message_delegate = MessageDelegate(store, self._receipt_text, self.messages)
        self.messages.setItemDelegate(self.message_delegate)
        self.messages.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.messages.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.messages.setWordWrap(True)
        self.messages.setUniformItemSizes(False)
        chat_layout.addWidget(self.messages, 1)
        row = QHBoxLayout()
        self.input = QLineEdit(self.chat)
        self.input.setMaxLength(4000)
        self.input.returnPressed.connect(self._send)
        self.input.textEdited.connect(lambda _text: self._actions.typing())
        self._typing_timer = QTimer(self)
        self._typing_timer.setSingleShot(True)
        self._typing_timer.setInterval(TYPING_SHOWN_MS)
        self._typing_timer.timeout.connect(self._typing_over)
        self.emoji_button = QToolButton(self.chat)
        self.emoji_button.setText("☺")
        self.emoji_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.emoji_menu = QMenu(self.emoji_button)
        for e in EMOJI:
            self.emoji_menu.addAction(e, partial(self.input.insert, e))
        self.emoji_button.setMenu(self.emoji_menu)
        row.addWidget(self.emoji_button)
        row.addWidget(self.input, 1)
        self.send_button = QPushButton(self.chat)
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self._send)
        row.addWidget(self.send_button)
        chat_layout.addLayout(row)
        self.right.addWidget(self.chat)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 5)
        split.setSizes([300, 700])

        self.colleagues: Colleagues = lambda _text: ()
        """Colleagues matching typed text, for the group dialog (set from the directory)."""
        self.group_dialog: GroupDialog | None = None
        self.chat_dialog: NewChatDialog | None = None
        self.side_button: QToolButton | None = None
        """The side bar's button of this page (its label follows the language)."""
        store.changed.connect(self._on_changed)
        self.retranslate()
        self._on_changed(frozenset({"conversations", "messages"}))

    # -- store changes ----------------------------------------------------------------------

    def _on_changed(self, names: frozenset[str]) -> None:
        if "conversations" in names or "unread" in names:
            self.conversation_model.reload()
            row = self.conversation_model.row_of(self._store.open_id)
            if row >= 0:
                blocker = self.conversations.selectionModel().blockSignals(True)
                self.conversations.setCurrentIndex(self.conversation_model.index(row))
                self.conversations.selectionModel().blockSignals(blocker)
        if "messages" in names or "conversations" in names:
            self._show_open()
        elif "typing" in names:
            self._show_typing()

    def _show_typing(self) -> None:
        cid = self._store.open_id
        conv = self._store.get(cid) if cid is not None else None
        who = self._store.typing.get(cid) if cid is not None else None
        if conv is None:
            return
        if who is None:
            self.subtitle.setText(self._subtitle(conv))
            return
        self.subtitle.setText(self.tr("{0} is typing…").format(conv.member_name(who)))
        self._typing_timer.start()

    def _typing_over(self) -> None:
        if self._store.open_id is not None:
            self._store.set_typing(self._store.open_id, None)

    def _show_open(self) -> None:
        cid = self._store.open_id
        conv = self._store.get(cid) if cid is not None else None
        if conv is None:
            self.right.setCurrentWidget(self.empty)
            return
        self.right.setCurrentWidget(self.chat)
        self.title.setText(conv.title(self._store.me))
        self.header_avatar.setPixmap(
            avatar_pixmap(conv.title(self._store.me), _HEADER_AVATAR, conv.picture)
        )
        self.subtitle.setText(self._subtitle(conv))
        if self._store.typing.get(conv.id):
            self._show_typing()
        self.group_button.setVisible(conv.kind == "group")
        self.call_button.setVisible(self.on_call is not None and self._other(conv) is not None)
        self.call_button.setText(self.tr("Call"))
        self.call_button.setIcon(icon("phone", "#ffffff"))
        self.earlier_button.setVisible(self._store.has_earlier.get(conv.id, False))
        at_end = self.messages.verticalScrollBar().value() >= (
            self.messages.verticalScrollBar().maximum() - 4
        )
        count, last = self.message_model.rowCount(), self._last_seq()
        self.message_model.reload()
        added = self.message_model.rowCount() - count
        if added > 0 and count > 0 and self._last_seq() == last:  # an earlier page came
            at_top = QAbstractItemView.ScrollHint.PositionAtTop
            self.messages.scrollTo(self.message_model.index(added), at_top)
        elif at_end or added:
            self.messages.scrollToBottom()
        if self._actions.viewing:
            self._actions.read_open()

    def _last_seq(self) -> int | None:
        rows = self.message_model.rowCount()
        last = self.message_model.index(rows - 1).data(MESSAGE_ROLE) if rows else None
        return last.seq if isinstance(last, ChatMessage) else None

    def _other(self, conv: ChatConversation) -> str | None:
        """The colleague of a 1:1 chat; None for a group."""
        if conv.kind != "direct":
            return None
        other = next((m for m in conv.members if m.extension != self._store.me), None)
        return other.extension if other is not None else None

    def _call_other(self) -> None:
        cid = self._store.open_id
        conv = self._store.get(cid) if cid is not None else None
        other = self._other(conv) if conv is not None else None
        if other is not None and self.on_call is not None:
            self.on_call(other)

    def _subtitle(self, conv: ChatConversation) -> str:
        if conv.kind == "group":
            return self.tr("Group, %n member(s)", "", len(conv.members))
        other = next((m for m in conv.members if m.extension != self._store.me), None)
        return self.tr("Extension {0}").format(other.extension) if other else ""

    # -- actions ----------------------------------------------------------------------------

    def _picked(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            conv = indexes[0].data(CONVERSATION_ROLE)
            if isinstance(conv, ChatConversation) and conv.id != self._store.open_id:
                self._actions.open(conv.id)
                self.input.setFocus()

    def _send(self) -> None:
        text = self.input.text()
        if text.strip():
            self._actions.send(text)
            self.input.clear()

    def _leave(self) -> None:
        if self._store.open_id is not None:
            self._actions.leave(self._store.open_id)

    def start_chat(self, extension: str) -> None:
        """Open the 1:1 chat with a colleague (from a search result or a contact)."""
        self._actions.start_direct(extension)

    def _ask_direct(self) -> None:
        dialog = NewChatDialog(self.colleagues, self._store.me, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self.start_chat(dialog.chosen) if dialog.chosen is not None else None
        )
        dialog.finished.connect(lambda _code: setattr(self, "chat_dialog", None))
        self.chat_dialog = dialog
        dialog.open()

    def _ask_group(self) -> None:
        self._open_group_dialog(None)

    def _ask_info(self) -> None:
        cid = self._store.open_id
        conv = self._store.get(cid) if cid is not None else None
        if conv is not None and conv.kind == "group":
            self._open_group_dialog(conv)

    def _open_group_dialog(self, conv: ChatConversation | None) -> None:
        """The group dialog, window-modal; its answer goes to :meth:`apply_group`."""
        dialog = GroupDialog(self._store.me, self.colleagues, conv, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self.apply_group(conv.id if conv is not None else None, dialog.changes())
        )
        dialog.finished.connect(lambda _code: setattr(self, "group_dialog", None))
        self.group_dialog = dialog
        dialog.open()

    def apply_group(self, cid: int | None, changes: GroupChanges) -> None:
        """Create the group (``cid`` None) or apply what changed in its info."""
        if cid is None:
            others = [m for m in changes.added if m != self._store.me]
            self._actions.create_group(changes.name, others, changes.picture)
            return
        conv = self._store.get(cid)
        if conv is None:
            return
        if changes.leave:
            self._actions.leave(cid)
            return
        if changes.name and changes.name != conv.name:
            self._actions.rename(cid, changes.name)
        if changes.picture_changed and changes.picture != conv.picture:
            self._actions.set_picture(cid, changes.picture)
        if changes.added:
            self._actions.add_members(cid, changes.added)
        for extension in changes.removed:
            self._actions.remove_member(cid, extension)

    def _receipt_text(self, receipt: str) -> str:
        return {
            "sent": self.tr("Sent"),
            "delivered": self.tr("Received"),
            "read": self.tr("Read"),
        }.get(receipt, "")

    # -- visibility and language ------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._actions.viewing = True
        self._actions.read_open()

    def hideEvent(self, event: QHideEvent) -> None:
        self._actions.viewing = False
        super().hideEvent(event)

    def retranslate(self) -> None:
        if self.side_button is not None:
            self.side_button.setText(self.tr("Chat"))
        self.heading.setText(self.tr("Chat"))
        self.new_button.setText(self.tr("New"))
        self.new_chat_action.setText(self.tr("New chat…"))
        self.new_group_action.setText(self.tr("Create a group…"))
        self.empty.setText(self.tr("Choose a chat on the left, or start one with New."))
        self.group_button.setText(self.tr("Group"))
        self.info_action.setText(self.tr("Group info…"))
        self.leave_action.setText(self.tr("Leave group"))
        self.input.setPlaceholderText(self.tr("Type a message"))
        self.emoji_button.setToolTip(self.tr("Emoji"))
        self.send_button.setText(self.tr("Send"))
        self.earlier_button.setText(self.tr("Show earlier messages"))
        self._show_open()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
