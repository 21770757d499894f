"""The list of the user's queues (S6, seed 002 "Wachtrij widget"): per queue its name (with
"(Supervisor)" for a supervised one), its number, how many callers wait and, for an agent, a
switch to log in, pause or log out. A click on a row opens the queue.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.queues.records import AGENT_STATUSES, AgentStatus, QueueSummary
from ui import theme
from ui.icons import icon
from ui.queue_texts import queue_title, status_color

__all__ = ["QueueRow", "QueuesList", "StatusSwitch"]


class StatusSwitch(QWidget):
    """Three buttons side by side: Log in, Pause, Log out; the current one is checked.
    ``chosen(status)`` when the user picks another one."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, compact: bool = False) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.buttons: dict[AgentStatus, QPushButton] = {}
        for status in AGENT_STATUSES:
            b = QPushButton(self)
            b.setObjectName("StatusSwitchButton")
            b.setCheckable(True)
            b.setAutoDefault(False)
            if compact:
                b.setMinimumHeight(24)
            b.clicked.connect(lambda _=False, s=status: self._clicked(s))
            layout.addWidget(b)
            self.buttons[status] = b
        self.status: AgentStatus | None = None
        self.retranslate()

    def _clicked(self, status: AgentStatus) -> None:
        if status == self.status:
            self.set_status(self.status)  # a click on the current one changes nothing
            return
        self.set_status(self.status, busy=True)  # checked stays where the server has it
        self.chosen.emit(status)

    def set_status(self, status: AgentStatus | None, *, busy: bool = False) -> None:
        self.status = status
        t = theme.current()
        for s, b in self.buttons.items():
            b.setChecked(s == status)
            b.setEnabled(not busy)
            color = status_color(s) if s == status else t.border
            weight = 600 if s == status else 400
            b.setStyleSheet(
                f"QPushButton {{ border: 1px solid {color}; padding: 3px 10px;"
                f" font-weight: {weight}; border-radius: 0; }}"
                f"QPushButton:checked {{ background: {color}; color: white; }}"
            )

    def retranslate(self) -> None:
        self.buttons["logged_in"].setText(self.tr("Log in"))
        self.buttons["paused"].setText(self.tr("Pause"))
        self.buttons["logged_out"].setText(self.tr("Log out"))


class QueueRow(QFrame):
    """One queue of the list; ``opened(number)`` on a click, ``status_chosen(number, status)``."""

    opened = Signal(str)
    status_chosen = Signal(str, str)

    def __init__(self, queue: QueueSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("QueueRow")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.queue = queue
        self.busy = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 10, 8, 10)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        self.title = QLabel(self)
        self.title.setObjectName("SubHeading")
        self.details = QLabel(self)
        self.details.setObjectName("Muted")
        texts.addWidget(self.title)
        texts.addWidget(self.details)
        layout.addLayout(texts, 1)
        self.waiting = QLabel(self)
        self.waiting.setObjectName("QueueWaiting")
        self.waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.waiting)
        layout.addSpacing(10)
        self.switch = StatusSwitch(self)
        self.switch.chosen.connect(lambda s: self.status_chosen.emit(self.queue.number, s))
        layout.addWidget(self.switch)
        self.open_button = QToolButton(self)
        self.open_button.setAutoRaise(True)
        self.open_button.setIconSize(QSize(18, 18))
        self.open_button.clicked.connect(lambda: self.opened.emit(self.queue.number))
        layout.addWidget(self.open_button)
        self.show_queue(queue, busy=False)

    def show_queue(self, queue: QueueSummary, *, busy: bool) -> None:
        self.queue, self.busy = queue, busy
        t = theme.current()
        self.title.setText(queue_title(queue))
        self.details.setText(
            self.tr("Number {0} · {1} of {2} agents available").format(
                queue.number, queue.agents_available, queue.agents_logged_in
            )
        )
        self.waiting.setText(self.tr("{0} waiting").format(queue.waiting))
        color = t.red if queue.waiting else t.muted
        self.waiting.setStyleSheet(
            f"color: {'white' if queue.waiting else t.muted}; background: "
            f"{color if queue.waiting else 'transparent'}; border: 1px solid {color};"
            " border-radius: 10px; padding: 1px 8px; font-weight: 600;"
        )
        self.switch.setVisible(queue.my_status is not None)
        self.switch.set_status(queue.my_status, busy=busy)
        self.open_button.setIcon(icon("chevron-right", t.text))
        self.open_button.setToolTip(self.tr("Open {0}").format(queue.name))
        self.setStyleSheet(
            f"QFrame#QueueRow {{ background: {t.base}; border: 1px solid {t.border};"
            " border-radius: 8px; }"
            f"QFrame#QueueRow:hover {{ border-color: {t.accent}; }}"
        )

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.opened.emit(self.queue.number)
        super().mouseReleaseEvent(event)


class QueuesList(QScrollArea):
    """The rows, one per queue, in the server's order."""

    opened = Signal(str)
    status_chosen = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget(self)
        self._layout = QVBoxLayout(inner)
        self._layout.setContentsMargins(16, 4, 16, 16)
        self._layout.setSpacing(8)
        self._layout.addStretch(1)
        self.setWidget(inner)
        self.rows: dict[str, QueueRow] = {}

    def show_queues(self, queues: tuple[QueueSummary, ...], busy: set[str]) -> None:
        """Rows for ``queues`` (kept where they were); ``busy``: queues whose status is being
        changed."""
        for number in [n for n in self.rows if n not in {q.number for q in queues}]:
            self.rows.pop(number).deleteLater()
        for index, queue in enumerate(queues):
            row = self.rows.get(queue.number)
            if row is None:
                row = QueueRow(queue, self.widget())
                row.opened.connect(self.opened)
                row.status_chosen.connect(self.status_chosen)
                self.rows[queue.number] = row
            self._layout.insertWidget(index, row)
            row.show_queue(queue, busy=queue.number in busy)

    def retranslate(self) -> None:
        for row in self.rows.values():
            row.switch.retranslate()
            row.show_queue(row.queue, busy=row.busy)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.retranslate()
        super().changeEvent(event)
