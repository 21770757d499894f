"""A queue's call log (S6): missed, answered or forwarded calls (or all), and "only calls
assigned to me"; the chosen call below the list: Call back, and its follow-up: to whom it is
assigned (a supervisor chooses), Unhandled / In progress / Handled and a note.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.phone_format import display_number
from app.queues.records import CALL_KINDS, HANDLINGS, Handling, QueueCall, QueueDetail
from app.stores.queues import CallFilter
from ui.empty_state import EmptyState
from ui.format import format_local
from ui.queue_texts import NONE, handling_text, kind_text, outcome_text, wait_text

__all__ = ["QueueCallsView"]

_COLUMNS = 6


class QueueCallsView(QWidget):
    """The log of the open queue; ``filter_chosen(CallFilter)``, ``call_back(id)`` and
    ``save(id, assigned_to, handling, note)`` for the controller."""

    filter_chosen = Signal(object)
    call_back = Signal(int)
    save = Signal(int, object, str, str)

    def __init__(
        self, me: Callable[[], str | None], parent: QWidget | None = None, *, region: str = "NL"
    ) -> None:
        super().__init__(parent)
        self._me = me
        self._region = region
        self.detail: QueueDetail | None = None
        self.calls: tuple[QueueCall, ...] = ()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 12)
        bar = QHBoxLayout()
        self.kind = QComboBox(self)
        self.kind.activated.connect(lambda _i: self._filter_changed())
        self.mine = QCheckBox(self)
        self.mine.toggled.connect(lambda _on: self._filter_changed())
        bar.addWidget(self.kind)
        bar.addWidget(self.mine)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.stack = QStackedWidget(self)
        self.empty = EmptyState(self)
        self.table = QTableWidget(0, _COLUMNS, self)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._chosen_changed)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.table)
        layout.addWidget(self.stack, 1)
        self.editor = QFrame(self)
        self.editor.setObjectName("QueueCallEditor")
        form = QVBoxLayout(self.editor)
        form.setContentsMargins(0, 8, 0, 0)
        top = QHBoxLayout()
        self.chosen_label = QLabel(self.editor)
        self.chosen_label.setObjectName("SubHeading")
        self.call_back_button = QPushButton(self.editor)
        self.call_back_button.setObjectName("GreenButton")
        self.call_back_button.setAutoDefault(False)
        self.call_back_button.clicked.connect(self._call_back)
        top.addWidget(self.chosen_label, 1)
        top.addWidget(self.call_back_button)
        form.addLayout(top)
        fields = QHBoxLayout()
        self.assigned_label = QLabel(self.editor)
        self.assignee = QComboBox(self.editor)
        self.handling_label = QLabel(self.editor)
        self.handling = QComboBox(self.editor)
        fields.addWidget(self.assigned_label)
        fields.addWidget(self.assignee)
        fields.addSpacing(12)
        fields.addWidget(self.handling_label)
        fields.addWidget(self.handling)
        fields.addStretch(1)
        form.addLayout(fields)
        notes = QHBoxLayout()
        self.note = QLineEdit(self.editor)
        self.note.setMaxLength(2000)
        self.save_button = QPushButton(self.editor)
        self.save_button.setObjectName("PrimaryButton")
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self._save)
        notes.addWidget(self.note, 1)
        notes.addWidget(self.save_button)
        form.addLayout(notes)
        self.read_only = QLabel(self.editor)
        self.read_only.setObjectName("Muted")
        self.read_only.setWordWrap(True)
        form.addWidget(self.read_only)
        layout.addWidget(self.editor)
        self.retranslate()

    # -- filter ---------------------------------------------------------------------------
    def call_filter(self) -> CallFilter:
        kind = self.kind.currentData()
        return CallFilter(kind if kind in CALL_KINDS else None, self.mine.isChecked())

    def set_filter(self, call_filter: CallFilter) -> None:
        self.kind.blockSignals(True)
        self.mine.blockSignals(True)
        index = self.kind.findData(call_filter.kind or "")
        self.kind.setCurrentIndex(max(0, index))
        self.mine.setChecked(call_filter.mine)
        self.kind.blockSignals(False)
        self.mine.blockSignals(False)

    def _filter_changed(self) -> None:
        self.filter_chosen.emit(self.call_filter())

    # -- the calls ------------------------------------------------------------------------
    def show_calls(
        self, detail: QueueDetail | None, calls: tuple[QueueCall, ...], loaded: bool
    ) -> None:
        chosen = self.chosen()
        self.detail, self.calls = detail, calls
        names = {a.extension: a.name for a in detail.agents} if detail is not None else {}
        self.table.setRowCount(len(calls))
        for row, call in enumerate(calls):
            number = display_number(call.caller, self._region)
            cells = (
                format_local(call.arrived_at),
                f"{call.caller_name} ({number})" if call.caller_name else number,
                wait_text(call.waited_s),
                outcome_text(call, names),
                names.get(call.assigned_to or "", call.assigned_to or NONE),
                handling_text(call.handling),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, call.id)
                self.table.setItem(row, column, item)
        self.stack.setCurrentWidget(self.table if calls or not loaded else self.empty)
        self._fill_assignees()
        again = next((r for r, c in enumerate(calls) if chosen and c.id == chosen.id), None)
        if again is not None:
            self.table.selectRow(again)
        self._chosen_changed()

    def _fill_assignees(self) -> None:
        current = self.assignee.currentData()
        self.assignee.clear()
        self.assignee.addItem(self.tr("Nobody"), "")
        for agent in self.detail.agents if self.detail is not None else ():
            self.assignee.addItem(f"{agent.name} ({agent.extension})", agent.extension)
        self.assignee.setCurrentIndex(max(0, self.assignee.findData(current)))

    def select_call(self, ident: int) -> bool:
        row = next((r for r, c in enumerate(self.calls) if c.id == ident), None)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def chosen(self) -> QueueCall | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.calls):
            return None
        return self.calls[rows[0].row()]

    def _chosen_changed(self) -> None:
        call = self.chosen()
        self.editor.setVisible(call is not None)
        if call is None:
            return
        lead = self.detail is not None and self.detail.supervised
        mine = call.assigned_to is not None and call.assigned_to == self._me()
        self.chosen_label.setText(call.caller_name or display_number(call.caller, self._region))
        self.assignee.setCurrentIndex(max(0, self.assignee.findData(call.assigned_to or "")))
        self.handling.setCurrentIndex(max(0, self.handling.findData(call.handling)))
        self.note.setText(call.note)
        self.assignee.setEnabled(lead)
        for w in (self.handling, self.note, self.save_button):
            w.setEnabled(lead or mine)
        self.read_only.setVisible(not (lead or mine))

    def set_busy(self, busy: Callable[[int], bool]) -> None:
        call = self.chosen()
        if call is not None and busy(call.id):
            self.save_button.setEnabled(False)
        else:
            self._chosen_changed()

    def _call_back(self) -> None:
        call = self.chosen()
        if call is not None:
            self.call_back.emit(call.id)

    def _save(self) -> None:
        call = self.chosen()
        if call is None:
            return
        handling: Handling = self.handling.currentData()
        assignee = self.assignee.currentData() or None
        self.save.emit(call.id, assignee, handling, self.note.text().strip())

    # -- words ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        chosen = self.call_filter() if self.kind.count() else CallFilter()
        self.kind.clear()
        for kind in (*CALL_KINDS, None):
            self.kind.addItem(kind_text(kind), kind or "")
        self.set_filter(chosen)
        self.mine.setText(self.tr("Only calls assigned to me"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Time"),
                self.tr("Caller"),
                self.tr("Waited"),
                self.tr("Outcome"),
                self.tr("Assigned to"),
                self.tr("Handling"),
            ]
        )
        self.handling.clear()
        for h in HANDLINGS:
            self.handling.addItem(handling_text(h), h)
        self.empty.label.setText(self.tr("No calls"))
        self.empty.hint.setText(self.tr("No calls of this queue match the filter."))
        self.empty.fit_hint()
        self.call_back_button.setText(self.tr("Call back"))
        self.assigned_label.setText(self.tr("Assigned to"))
        self.handling_label.setText(self.tr("Handling"))
        self.note.setPlaceholderText(self.tr("Note"))
        self.save_button.setText(self.tr("Save"))
        self.read_only.setText(
            self.tr("Only a supervisor or the agent it is assigned to can change this call.")
        )
        self.show_calls(self.detail, self.calls, loaded=True)
