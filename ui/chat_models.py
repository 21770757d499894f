"""List models of the chat page: the conversations and the open conversation's messages.

They own no data of their own: they read :class:`app.stores.chat.ChatStore` and reset when the
store says that part changed.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from app.stores.chat import ChatConversation, ChatMessage, ChatStore

__all__ = ["CONVERSATION_ROLE", "MESSAGE_ROLE", "ConversationListModel", "MessageListModel"]

CONVERSATION_ROLE = Qt.ItemDataRole.UserRole + 1
MESSAGE_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


class ConversationListModel(QAbstractListModel):
    """One row per conversation, most recent first; ``CONVERSATION_ROLE`` gives the record."""

    def __init__(self, store: ChatStore) -> None:
        super().__init__()
        self._store = store
        self._rows: list[ChatConversation] = list(store.conversations)

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = list(self._store.conversations)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        conv = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return conv.title(self._store.me)
        if role == CONVERSATION_ROLE:
            return conv
        return None

    def row_of(self, cid: int | None) -> int:
        return next((i for i, c in enumerate(self._rows) if c.id == cid), -1)


class MessageListModel(QAbstractListModel):
    """The open conversation's messages in order; ``MESSAGE_ROLE`` gives the record."""

    def __init__(self, store: ChatStore) -> None:
        super().__init__()
        self._store = store
        self._rows: list[ChatMessage] = []

    def reload(self) -> None:
        self.beginResetModel()
        cid = self._store.open_id
        self._rows = list(self._store.messages.get(cid, [])) if cid is not None else []
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        message = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return message.text
        if role == MESSAGE_ROLE:
            return message
        return None
