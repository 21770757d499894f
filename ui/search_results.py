"""The search results' rows: presence dot, name and details in rich text, line state, buttons.

:class:`SearchResultDelegate` paints one row of :class:`ui.models.search.SearchModel` (the top
bar's search and the transfer picker) and reports clicks on its call, chat, "Pick up" and
"Transfer" buttons; the helpers give the words for line states and presence tips. A queue's
row has the queue icon where a colleague's has the presence dot. A colleague's third line is
their state in words with its end and the shared note ("In a meeting until 15:00 · Back at
three"), elided; the whole of it is the line's tooltip.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)

from app.presence_text import PresenceLine, status_phrase
from ui import theme
from ui.icons import icon
from ui.models.search import SearchModel
from ui.status_menu import status_text

__all__ = [
    "SearchResultDelegate",
    "chat_extension",
    "line_state_text",
    "pickup_extension",
    "presence_tip",
]

_Index = QModelIndex | QPersistentModelIndex
_BUTTON = 30
_DOT = 10


def line_state_text(state: str | None) -> str:
    """The live line state as words ("In a call"), empty when idle."""
    texts = {
        "in_call": QCoreApplication.translate("SearchField", "In a call"),
        "busy": QCoreApplication.translate("SearchField", "In a call"),
        "ringing": QCoreApplication.translate("SearchField", "Ringing"),
        "on_hold": QCoreApplication.translate("SearchField", "On hold"),
        "not_registered": QCoreApplication.translate("SearchField", "Not signed in"),
        "offline": QCoreApplication.translate("SearchField", "Not signed in"),
    }
    return texts.get(state or "", "")


def presence_tip(presence: str | None, line_state: str | None) -> str:
    """What the presence dot means, in words ("Meeting, in a call"; "Not signed in")."""
    if presence == "offline" or line_state == "offline":
        return QCoreApplication.translate("SearchField", "Not signed in on any phone")
    if not presence:
        return ""
    words = status_text(presence)
    line = line_state_text(line_state)
    if line:
        return QCoreApplication.translate("SearchField", "{status}, {line}").format(
            status=words, line=line.lower()
        )
    return words


def _button_rect(rect: QRect) -> QRect:
    return QRect(rect.right() - _BUTTON - 10, rect.center().y() - _BUTTON // 2, _BUTTON, _BUTTON)


def _chat_rect(rect: QRect) -> QRect:
    """The chat button of a colleague's row, left of the call button."""
    return _button_rect(rect).translated(-_BUTTON - 8, 0)


def _pickup_rect(rect: QRect, text_width: int, left_of: QRect | None = None) -> QRect:
    """The "Pick up" pill, left of the call button (or of ``left_of``, the chat button)."""
    width = text_width + 20
    button = left_of if left_of is not None else _button_rect(rect)
    return QRect(button.left() - 8 - width, rect.center().y() - 13, width, 26)


def chat_extension(index: _Index) -> str | None:
    """The colleague a row's chat button opens the 1:1 conversation with."""
    entry = index.data(SearchModel.EntryRole)
    extension = getattr(entry, "extension", None)
    if getattr(entry, "kind", None) == "user" and extension:
        return str(extension)
    return None


def _is_queue(index: _Index) -> bool:
    return getattr(index.data(SearchModel.EntryRole), "kind", None) == "queue"


def presence_line_tip(line: PresenceLine) -> str:
    """The full third line: state with its end, role, the next planned status and the whole
    shared note."""
    parts = [line.text]
    if line.private:
        parts.append(QCoreApplication.translate("SearchField", "Private"))
    text = " · ".join(parts)
    if line.next:
        text += "\n" + line.next
    if line.note:
        text += "\n" + line.note
    return text


def pickup_extension(index: _Index) -> str | None:
    """The extension to pick up at this row: a colleague whose phone is ringing and whose
    calls the user may pick up (:attr:`SearchModel.PickupRole`)."""
    extension = index.data(SearchModel.PickupRole)
    return str(extension) if extension else None


def pickup_text() -> str:
    return QCoreApplication.translate("SearchField", "Pick up")


def transfer_text() -> str:
    return QCoreApplication.translate("SearchField", "Transfer")


def _dot_rect(rect: QRect, line_height: int) -> QRect:
    return QRect(rect.left() + 12, rect.top() + 10 + (line_height - _DOT) // 2, _DOT, _DOT)


class SearchResultDelegate(QStyledItemDelegate):
    """Paints one result: presence dot, name and details as rich text, line state, call button."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.on_call: Callable[[int], None] | None = None
        self.on_pickup: Callable[[int], None] | None = None
        self.on_transfer: Callable[[int], None] | None = None
        self.on_chat: Callable[[int], None] | None = None
        """Set by the search field: a colleague's row offers a chat button."""
        self.transfer_enabled: Callable[[], bool] = lambda: False
        """True while a call is connected: each result offers "Transfer" (blind)."""

    def pill(self, index: _Index) -> tuple[str, Callable[[int], None]] | None:
        """The row's action button left of the call button: Pick up, else Transfer."""
        if self.on_pickup is not None and pickup_extension(index) is not None:
            return pickup_text(), self.on_pickup
        if (
            self.on_transfer is not None
            and self.transfer_enabled()
            and index.data(SearchModel.NumberRole)
        ):
            return transfer_text(), self.on_transfer
        return None

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        fm = option.fontMetrics
        return QSize(320, fm.height() * 3 + 24)

    def pill_rect(self, rect: QRect, index: _Index, fm: QFontMetrics) -> QRect | None:
        """Where the row's pill (Pick up, else Transfer) is drawn and clicked; None without one."""
        pill = self.pill(index)
        if pill is None:
            return None
        return _pickup_rect(rect, fm.horizontalAdvance(pill[0]), self._chat_button(rect, index))

    def _chat_button(self, rect: QRect, index: _Index) -> QRect | None:
        if self.on_chat is None or chat_extension(index) is None:
            return None
        return _chat_rect(rect)

    def _doc(self, html: str, option: QStyleOptionViewItem, color: str) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(0)
        doc.setHtml(f'<span style="color:{color}">{html}</span>')
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        t = theme.current()
        rect: QRect = option.rect
        state = option.state
        painter.save()
        if state & QStyle.StateFlag.State_Selected or state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, QColor(t.highlight))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = option.fontMetrics
        dot = _DOT
        if _is_queue(index):
            box = _dot_rect(rect, fm.height()).adjusted(-3, -3, 3, 3)
            icon("users", t.muted).paint(painter, box)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(theme.presence_color(index.data(SearchModel.PresenceRole))))
            painter.drawEllipse(_dot_rect(rect, fm.height()))
        button = _button_rect(rect)
        has_number = bool(index.data(SearchModel.NumberRole))
        line_state = index.data(SearchModel.LineStateRole)
        line = line_state_text(line_state)
        if isinstance(index.data(SearchModel.PresenceLineRole), PresenceLine):
            line = ""  # a colleague's third line says it, with the status and the note
        pill = self.pill(index)
        if pill is not None:
            line = pill[0]
        chat = self._chat_button(rect, index)
        right = chat if chat is not None else button
        line_w = fm.horizontalAdvance(line) + 12 if line else 0
        if pill is not None:
            line_w = _pickup_rect(rect, fm.horizontalAdvance(line), chat).width() + 8
        left = rect.left() + 12 + dot + 10
        width = right.left() - 8 - line_w - left
        for i, (role, color) in enumerate(
            ((SearchModel.HtmlRole, t.text), (SearchModel.DetailHtmlRole, t.muted))
        ):
            doc = self._doc(index.data(role) or "", option, color)
            doc.setTextWidth(-1)
            painter.save()
            painter.translate(left, rect.top() + 10 + i * (fm.height() + 2))
            painter.setClipRect(QRect(0, 0, max(0, width), fm.height() + 2))
            ctx = QAbstractTextDocumentLayout.PaintContext()
            doc.documentLayout().draw(painter, ctx)
            painter.restore()
        self._paint_presence_line(painter, option, index, left, right.left() - 8 - left)
        if pill is not None:
            box = _pickup_rect(rect, fm.horizontalAdvance(line), chat)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(t.green if pill[1] is self.on_pickup else t.accent))
            painter.drawRoundedRect(box, 13, 13)
            painter.setPen(QColor("#ffffff"))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, line)
        elif line:
            painter.setPen(QColor(t.muted if line_state == "offline" else t.red))
            painter.drawText(
                QRect(right.left() - 8 - line_w, rect.top(), line_w, rect.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                line,
            )
        if has_number:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(t.green))
            painter.drawEllipse(button)
            icon("phone", "#ffffff").paint(painter, button.adjusted(7, 7, -7, -7))
        if chat is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(t.accent))
            painter.drawEllipse(chat)
            icon("message-circle", "#ffffff").paint(painter, chat.adjusted(7, 7, -7, -7))
        painter.restore()

    def _line_rect(self, rect: QRect, line_height: int, left: int, width: int) -> QRect:
        return QRect(left, rect.top() + 10 + 2 * (line_height + 2), max(0, width), line_height + 2)

    def _paint_presence_line(
        self, painter: QPainter, option: QStyleOptionViewItem, index: _Index, left: int, width: int
    ) -> None:
        """The third line: "In a meeting until 15:00" and the shared note, elided."""
        line = index.data(SearchModel.PresenceLineRole)
        if not isinstance(line, PresenceLine):
            return
        t = theme.current()
        fm = option.fontMetrics
        box = self._line_rect(option.rect, fm.height(), left, width)
        state = line.text
        if line.private:
            state += " · " + QCoreApplication.translate("SearchField", "Private")
        state = fm.elidedText(state, Qt.TextElideMode.ElideRight, box.width())
        busy = line.signed_in and line.text != status_phrase("available")
        painter.setPen(QColor(t.red if busy else t.muted))
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(box, align, state)
        used = fm.horizontalAdvance(state)
        if line.note and used + 20 < box.width():
            font = painter.font()
            font.setItalic(True)
            painter.setFont(font)
            note_box = box.adjusted(used + 12, 0, 0, 0)
            note = painter.fontMetrics().elidedText(
                "\u201c" + line.note + "\u201d", Qt.TextElideMode.ElideRight, note_box.width()
            )
            painter.setPen(QColor(t.muted))
            painter.drawText(note_box, align, note)

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: _Index,
    ) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            rect: QRect = option.rect
            pos = event.position().toPoint()
            if _button_rect(rect).contains(pos) and self.on_call:
                self.on_call(index.row())
                return True
            chat = self._chat_button(rect, index)
            if chat is not None and chat.contains(pos) and self.on_chat is not None:
                self.on_chat(index.row())
                return True
            pill = self.pill(index)
            box = self.pill_rect(rect, index, option.fontMetrics)
            if pill is not None and box is not None and box.contains(pos):
                pill[1](index.row())
                return True
        return False

    def tooltip_at(self, rect: QRect, pos: QPoint, line_height: int, index: _Index) -> str:
        """The tooltip of the presence dot or the call button at ``pos`` ("" elsewhere)."""
        if _dot_rect(rect, line_height).adjusted(-4, -4, 4, 4).contains(pos) and not _is_queue(
            index
        ):
            return presence_tip(
                index.data(SearchModel.PresenceRole), index.data(SearchModel.LineStateRole)
            )
        line = index.data(SearchModel.PresenceLineRole)
        top = rect.top() + 10 + 2 * (line_height + 2)
        if isinstance(line, PresenceLine) and top <= pos.y() <= top + line_height + 2:
            chat = self._chat_button(rect, index)
            if chat is None or not chat.contains(pos):
                return presence_line_tip(line)
        chat = self._chat_button(rect, index)
        if chat is not None and chat.contains(pos):
            return QCoreApplication.translate("SearchField", "Chat with {name}").format(
                name=index.data(Qt.ItemDataRole.DisplayRole)
            )
        number = index.data(SearchModel.NumberRole)
        if number and _button_rect(rect).contains(pos):
            return QCoreApplication.translate("SearchField", "Call {number}").format(number=number)
        return ""

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: _Index,
    ) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            rect: QRect = option.rect
            tip = self.tooltip_at(rect, event.pos(), option.fontMetrics.height(), index)
            if tip:
                QToolTip.showText(event.globalPos(), tip, view)
                return True
            QToolTip.hideText()
            return True
        return super().helpEvent(event, view, option, index)
