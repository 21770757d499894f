"""The search field of the top bar (seed 000 "Zoek naam of nummer") and its result list.

Typing asks the DirectoryController to search (it debounces); the DirectoryStore's results
show under the field with the matched text in bold, presence, line state and a call button.
A colleague with no phone signed in shows grey, "Not signed in". A colleague whose phone rings
offers "Pick up" (``*9*<ext>*``). A number that is not in the directory is offered as
"Call 0201234". Escape and a call clear the field. A call window dropped on a result is
transferred to its number (:meth:`SearchField.number_at`).
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
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from app.protocols import CallActions, DirectoryActions
from app.stores import DirectoryStore
from ui import theme
from ui.icons import icon
from ui.models.search import SearchModel, is_number_like
from ui.status_menu import status_text

__all__ = ["SearchField", "SearchResultDelegate", "line_state_text", "presence_tip"]

_Index = QModelIndex | QPersistentModelIndex
_BUTTON = 30
_DOT = 10


def line_state_text(state: str | None) -> str:
    """The live line state as words ("In a call"), empty when idle."""
    texts = {
        "in_call": QCoreApplication.translate("SearchField", "In a call"),
        "busy": QCoreApplication.translate("SearchField", "In a call"),
        "ringing": QCoreApplication.translate("SearchField", "Ringing"),
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


def _pickup_rect(rect: QRect, text_width: int) -> QRect:
    """The "Pick up" pill, left of the call button."""
    width = text_width + 20
    button = _button_rect(rect)
    return QRect(button.left() - 8 - width, rect.center().y() - 13, width, 26)


def pickup_extension(index: _Index) -> str | None:
    """The extension to pick up at this row: a colleague whose phone is ringing."""
    entry = index.data(SearchModel.EntryRole)
    line_state = index.data(SearchModel.LineStateRole)
    extension = getattr(entry, "extension", None)
    if line_state == "ringing" and getattr(entry, "kind", None) == "user" and extension:
        return str(extension)
    return None


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
        return QSize(320, fm.height() * 2 + 20)

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
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(theme.presence_color(index.data(SearchModel.PresenceRole))))
        painter.drawEllipse(_dot_rect(rect, fm.height()))
        button = _button_rect(rect)
        has_number = bool(index.data(SearchModel.NumberRole))
        line_state = index.data(SearchModel.LineStateRole)
        line = line_state_text(line_state)
        pill = self.pill(index)
        if pill is not None:
            line = pill[0]
        line_w = fm.horizontalAdvance(line) + 12 if line else 0
        if pill is not None:
            line_w = _pickup_rect(rect, fm.horizontalAdvance(line)).width() + 8
        left = rect.left() + 12 + dot + 10
        width = button.left() - 8 - line_w - left
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
        if pill is not None:
            box = _pickup_rect(rect, fm.horizontalAdvance(line))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(t.green if pill[1] is self.on_pickup else t.accent))
            painter.drawRoundedRect(box, 13, 13)
            painter.setPen(QColor("#ffffff"))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, line)
        elif line:
            painter.setPen(QColor(t.muted if line_state == "offline" else t.red))
            painter.drawText(
                QRect(button.left() - 8 - line_w, rect.top(), line_w, rect.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                line,
            )
        if has_number:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(t.green))
            painter.drawEllipse(button)
            icon("phone", "#ffffff").paint(painter, button.adjusted(7, 7, -7, -7))
        painter.restore()

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
            pill = self.pill(index)
            if pill is not None:
                box = _pickup_rect(rect, option.fontMetrics.horizontalAdvance(pill[0]))
                if box.contains(pos):
                    pill[1](index.row())
                    return True
        return False

    def tooltip_at(self, rect: QRect, pos: QPoint, line_height: int, index: _Index) -> str:
        """The tooltip of the presence dot or the call button at ``pos`` ("" elsewhere)."""
        if _dot_rect(rect, line_height).adjusted(-4, -4, 4, 4).contains(pos):
            return presence_tip(
                index.data(SearchModel.PresenceRole), index.data(SearchModel.LineStateRole)
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


class SearchField(QLineEdit):
    """The top bar's search field; its results float under it inside the main window."""

    def __init__(
        self,
        directory: DirectoryStore,
        directory_ctl: DirectoryActions,
        calls_ctl: CallActions,
        parent: QWidget,
        active_call: Callable[[], str | None] = lambda: None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("SearchField")
        self._active_call = active_call
        self.setClearButtonEnabled(True)
        self._ctl = directory_ctl
        self._calls_ctl = calls_ctl
        self.model = SearchModel(directory, self)
        self.panel = QFrame(parent.window())
        self.panel.setObjectName("Popup")
        layout = QVBoxLayout(self.panel)
        layout.setContentsMargins(4, 4, 4, 4)
        self.list = QListView(self.panel)
        self.list.setModel(self.model)
        self.delegate = SearchResultDelegate(self.list)
        self.delegate.on_call = self.call_row
        self.delegate.on_pickup = self.pickup_row
        self.delegate.on_transfer = self.transfer_row
        self.delegate.transfer_enabled = lambda: self._active_call() is not None
        self.list.setItemDelegate(self.delegate)
        self.list.setMouseTracking(True)
        self.list.activated.connect(lambda idx: self.call_row(idx.row()))
        self.list.installEventFilter(self)
        self.empty = QLabel(self.panel)
        self.empty.setObjectName("EmptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.offer = QWidget(self.panel)
        offer_row = QHBoxLayout(self.offer)
        offer_row.setContentsMargins(10, 6, 6, 6)
        self.unknown = QLabel(self.offer)
        self.unknown.setObjectName("Muted")
        self.call_number = QPushButton(self.offer)
        self.call_number.setObjectName("GreenButton")
        self.call_number.setIcon(icon("phone", "#ffffff"))
        self.call_number.clicked.connect(self.call_typed_number)
        offer_row.addWidget(self.unknown, 1)
        offer_row.addWidget(self.call_number)
        layout.addWidget(self.list)
        layout.addWidget(self.empty)
        layout.addWidget(self.offer)
        self.panel.hide()
        self.addAction(
            icon("search", theme.current().muted), QLineEdit.ActionPosition.LeadingPosition
        )
        self.textEdited.connect(self._on_edited)
        self.model.modelReset.connect(self._place)
        QApplication.instance().focusChanged.connect(self._on_focus)  # type: ignore[union-attr]
        self._retranslate()

    def _on_edited(self, text: str) -> None:
        self._ctl.search(text.strip())
        self._place()

    def _place(self) -> None:
        """Show the results under the field (or hide them when there is no query)."""
        query = self.text().strip()
        if not query or (not self.hasFocus() and not self.list.hasFocus()):
            self.panel.hide()
            return
        rows = self.model.rowCount()
        offer = rows == 0 and is_number_like(query)
        self.list.setVisible(rows > 0)
        self.empty.setVisible(rows == 0 and not offer)
        self.offer.setVisible(offer)
        self.call_number.setText(self.tr("Call {number}").format(number=query))
        window = self.window()
        top_left = self.mapTo(window, QPoint(0, self.height() + 4))
        row_h = self.list.sizeHintForRow(0) if rows else 0
        if rows:
            height = min(rows, 6) * row_h + 12
        elif offer:
            height = self.offer.sizeHint().height() + 12
        else:
            height = self.empty.sizeHint().height() + 24
        width = max(self.width(), 380)
        self.panel.setGeometry(top_left.x(), top_left.y(), width, height)
        self.panel.show()
        self.panel.raise_()

    def call_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            number = self.model.data(self.model.index(row), SearchModel.NumberRole)
            if number:
                self._calls_ctl.dial(number)
                self.reset()

    def pickup_row(self, row: int) -> None:
        """Answer the call ringing at this colleague's phone (``*9*<ext>*``)."""
        if 0 <= row < self.model.rowCount():
            extension = pickup_extension(self.model.index(row))
            if extension is not None:
                self._calls_ctl.pickup(extension)
                self.reset()

    def transfer_row(self, row: int) -> None:
        """Blind transfer of the connected call to this result's number."""
        key = self._active_call()
        if key is not None and 0 <= row < self.model.rowCount():
            number = self.model.data(self.model.index(row), SearchModel.NumberRole)
            if number:
                self._calls_ctl.transfer(key, str(number))
                self.reset()

    def number_at(self, global_pos: QPoint) -> str | None:
        """The number of the result under ``global_pos`` (a call window dropped there)."""
        if not self.panel.isVisible() or not self.list.isVisible():
            return None
        viewport = self.list.viewport()
        local = viewport.mapFromGlobal(global_pos)
        if not viewport.rect().contains(local):
            return None
        index = self.list.indexAt(local)
        number = self.model.data(index, SearchModel.NumberRole) if index.isValid() else None
        if number:
            self.reset()
            return str(number)
        return None

    def call_typed_number(self) -> None:
        """Call what is typed when it is a number that the directory does not know."""
        query = self.text().strip()
        if is_number_like(query):
            self._calls_ctl.dial(query)
            self.reset()

    def reset(self) -> None:
        """Empty the field and close the results (after a call, or on Escape)."""
        self.panel.hide()
        if self.text():
            self.clear()
            self._ctl.search("")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Down and self.model.rowCount():
            self.list.setFocus()
            self.list.setCurrentIndex(self.model.index(0))
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.model.rowCount():
                self.call_row(0)
            else:
                self.call_typed_number()
            return
        if key == Qt.Key.Key_Escape:
            self.reset()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.list
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
        ):
            self.reset()
            self.setFocus()
            return True
        return False

    def _on_focus(self, old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and (new is self or self.panel.isAncestorOf(new)):
            return
        self.panel.hide()

    def _retranslate(self) -> None:
        self.setPlaceholderText(self.tr("Search name or number"))
        self.empty.setText(self.tr("No results"))
        self.unknown.setText(self.tr("Not in the directory"))
        self.call_number.setText(self.tr("Call {number}").format(number=self.text().strip()))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
