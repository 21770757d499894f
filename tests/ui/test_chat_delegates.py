"""The conversation list's rows: a long name and last message are cut before the unread badge,
in the bold of an unread row too, so nothing is painted into the badge or the gap before it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from app.stores.chat import ChatConversation, ChatMember, ChatMessage, ChatStore
from ui.chat_delegates import ConversationDelegate
from ui.chat_models import ConversationListModel

WHEN = dt.datetime(2026, 12, 4, 15, 0, tzinfo=dt.UTC)
WIDTH = 320


def _row(name: str, text: str) -> QImage:
    """One unread group conversation painted as the list paints it."""
    store = ChatStore()
    store.me = "201"
    members = (ChatMember("201", "Anna de Vries"), ChatMember("202", "Bram Jansen"))
    last = ChatMessage(1, 7, 3, "202", text, WHEN) if text else None
    conversation = ChatConversation(7, "group", name, members, 3, WHEN, 2, last)
    store.conversations = [conversation]
    model = ConversationListModel(store)
    index = model.index(0)
    delegate = ConversationDelegate(store)
    option = QStyleOptionViewItem()
    option.font = QApplication.font()
    option.rect = QRect(0, 0, WIDTH, 60)
    height = delegate.sizeHint(option, index).height()
    option.rect = QRect(0, 0, WIDTH, height)
    image = QImage(WIDTH, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    delegate.paint(painter, option, index)
    painter.end()
    return image


def test_long_names_and_messages_stop_before_the_unread_badge(qapp: QApplication) -> None:
    long = _row("Support NL " * 6, "Ik tot 15:00, daarna graag iemand anders " * 4)
    short = _row("S", "")
    # the badge "2" and the 6 px gap before it, as the delegate lays them out
    badge_w = QFontMetrics(QApplication.font()).horizontalAdvance("2") + 12
    first = WIDTH - 1 - 10 - badge_w - 6
    differing = [
        (x, y)
        for x in range(first, WIDTH)
        for y in range(long.height())
        if long.pixel(x, y) != short.pixel(x, y)
    ]
    assert differing == []
    assert long != short  # the long texts were painted (to the left of the gap)
