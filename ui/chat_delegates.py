"""Painting of the chat lists: a conversation row with its unread badge, a message bubble with
its time and, on the user's own messages, the receipt mark (grey ✓ sent, grey ✓✓ received,
green ✓✓ read: the green mark of seed 000)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QLocale, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from app.stores.chat import ChatConversation, ChatMessage, ChatStore
from ui import theme
from ui.avatars import avatar_pixmap
from ui.chat_models import CONVERSATION_ROLE, MESSAGE_ROLE
from ui.format import local_datetime

__all__ = ["RECEIPT_MARKS", "ConversationDelegate", "MessageDelegate"]

_Index = QModelIndex | QPersistentModelIndex
RECEIPT_MARKS = {"sent": "✓", "delivered": "✓✓", "read": "✓✓"}
_PAD = 10
_READ_GREEN = "#4ade80"
_AVATAR = 36


def _time(message: ChatMessage) -> str:
    return QLocale().toString(
        local_datetime(message.sent_at).time(), QLocale.FormatType.ShortFormat
    )


class ConversationDelegate(QStyledItemDelegate):
    """Title, the last message in grey, and a red unread count on the right."""

    def __init__(self, store: ChatStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        text = QFontMetrics(option.font).height() * 2
        return QSize(option.rect.width(), max(text, _AVATAR) + 2 * _PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        conv = index.data(CONVERSATION_ROLE)
        if not isinstance(conv, ChatConversation):
            return
        t = theme.current()
        painter.save()
        rect: QRect = option.rect
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, QColor(t.highlight))
        fm = QFontMetrics(option.font)
        line = fm.height()
        badge = ""
        if conv.unread:
            badge = str(conv.unread) if conv.unread < 100 else "99+"
        badge_w = fm.horizontalAdvance(badge) + 12 if badge else 0
        title_text = conv.title(self._store.me)
        avatar_top = rect.y() + (rect.height() - _AVATAR) // 2
        painter.drawPixmap(
            rect.x() + _PAD, avatar_top, avatar_pixmap(title_text, _AVATAR, conv.picture)
        )
        left = rect.x() + 2 * _PAD + _AVATAR
        text_w = rect.right() - left - _PAD - badge_w - 6
        bold = QFont(option.font)  # a copy: the preview below keeps the plain font
        bold.setBold(bool(conv.unread))
        painter.setFont(bold)
        painter.setPen(QColor(t.text))
        title = QFontMetrics(bold).elidedText(title_text, Qt.TextElideMode.ElideRight, text_w)
        painter.drawText(left, rect.y() + _PAD + fm.ascent(), title)
        painter.setFont(option.font)
        painter.setPen(QColor(t.muted))
        last = conv.last_message
        preview = ""
        if last is not None:
            who = "" if conv.kind == "direct" else f"{conv.member_name(last.sender)}: "
            preview = who + " ".join(last.text.split())
        preview = fm.elidedText(preview, Qt.TextElideMode.ElideRight, text_w)
        painter.drawText(left, rect.y() + _PAD + line + fm.ascent(), preview)
        if badge:
            box = QRect(rect.right() - _PAD - badge_w, rect.center().y() - 9, badge_w, 18)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(t.red))
            painter.drawRoundedRect(box, 9, 9)
            painter.setPen(QColor("white"))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, badge)
        painter.restore()


class MessageDelegate(QStyledItemDelegate):
    """A bubble per message: others' on the left (with the sender's name in a group), ours on
    the right in the accent colour with the receipt mark."""

    def __init__(
        self,
        store: ChatStore,
        receipt_text: Callable[[str], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._receipt_text = receipt_text

    def _layout(self, option: QStyleOptionViewItem, message: ChatMessage) -> tuple[QRect, int]:
        fm = QFontMetrics(option.font)
        width = max(120, int(option.rect.width() * 0.7))
        text = fm.boundingRect(
            QRect(0, 0, width - 2 * _PAD, 10_000), int(Qt.TextFlag.TextWordWrap), message.text
        )
        header = fm.height() if self._shows_sender(message) else 0
        footer = fm.height()
        return text, header + footer

    def _shows_sender(self, message: ChatMessage) -> bool:
        conv = self._store.get(message.conversation_id)
        return conv is not None and conv.kind == "group" and message.sender != self._store.me

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        message = index.data(MESSAGE_ROLE)
        if not isinstance(message, ChatMessage):
            return QSize(0, 0)
        text, extra = self._layout(option, message)
        return QSize(option.rect.width(), text.height() + extra + 3 * _PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        message = index.data(MESSAGE_ROLE)
        if not isinstance(message, ChatMessage):
            return
        t = theme.current()
        mine = message.sender == self._store.me
        fm = QFontMetrics(option.font)
        text, extra = self._layout(option, message)
        conv = self._store.get(message.conversation_id)
        mark = conv.receipt(self._store.me, message.seq) if (mine and conv) else ""
        footer = _time(message) + (f"  {RECEIPT_MARKS[mark]}" if mark else "")
        inner_w = max(text.width(), fm.horizontalAdvance(footer))
        if self._shows_sender(message) and conv is not None:
            inner_w = max(inner_w, fm.horizontalAdvance(conv.member_name(message.sender)))
        bubble_w = inner_w + 2 * _PAD
        bubble_h = text.height() + extra + _PAD
        rect: QRect = option.rect
        x = rect.right() - _PAD - bubble_w if mine else rect.x() + _PAD
        bubble = QRect(x, rect.y() + _PAD // 2, bubble_w, bubble_h)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(t.accent if mine else t.alt_base))
        if not mine:
            painter.setPen(QColor(t.border))
        painter.drawRoundedRect(bubble, 10, 10)
        y = bubble.y() + _PAD // 2
        main = QColor(t.accent_text if mine else t.text)
        muted = QColor(t.accent_text if mine else t.muted)
        if mine:
            muted.setAlpha(200)
        if self._shows_sender(message) and conv is not None:
            painter.setPen(QColor(t.accent))
            painter.drawText(bubble.x() + _PAD, y + fm.ascent(), conv.member_name(message.sender))
            y += fm.height()
        painter.setPen(main)
        body = QRect(bubble.x() + _PAD, y, bubble_w - 2 * _PAD, text.height())
        painter.drawText(body, int(Qt.TextFlag.TextWordWrap), message.text)
        y += text.height()
        painter.setPen(muted)
        stamp = _time(message)
        foot_x = bubble.right() - _PAD - fm.horizontalAdvance(footer)
        painter.drawText(foot_x, y + fm.ascent(), stamp)
        if mark:
            # green (readable on the accent bubble) once read; the bubble's muted colour before
            painter.setPen(QColor(_READ_GREEN) if mark == "read" else muted)
            if mark == "read":
                bold = painter.font()
                bold.setBold(True)
                painter.setFont(bold)
            painter.drawText(
                foot_x + fm.horizontalAdvance(stamp + "  "), y + fm.ascent(), RECEIPT_MARKS[mark]
            )
        painter.restore()

    def receipt_tooltip(self, message: ChatMessage) -> str:
        """In words, for the tooltip of one of the user's own messages; "" for others'."""
        conv = self._store.get(message.conversation_id)
        if conv is None or message.sender != self._store.me:
            return ""
        return self._receipt_text(conv.receipt(self._store.me, message.seq))
