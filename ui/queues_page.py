"""The Queues page (S6; seed 002 "Wachtrij widget", seed 003): the user's queues, and one queue
opened from the list: now (tiles, waiting callers, agents) and its call log.

With no queue: "No queues available". While the phone system cannot be reached, a line says so
above what was known before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, QSize
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.queues.records import AgentStatus, Handling, is_status
from app.stores.queues import CallFilter, QueuesStore
from ui import theme
from ui.empty_state import EmptyState
from ui.icons import icon
from ui.queue_calls import QueueCallsView
from ui.queue_now import QueueNowView
from ui.queue_texts import queue_title
from ui.queues_list import QueuesList, StatusSwitch

__all__ = ["QueuesActions", "QueuesPage"]


class QueuesActions(Protocol):
    """:class:`app.controllers.queues.QueuesController`."""

    def open(self, number: str | None) -> None: ...
    def set_status(self, number: str, extension: str, status: AgentStatus) -> None: ...
    def set_filter(self, call_filter: CallFilter) -> None: ...
    def update_call(
        self, number: str, ident: int, assigned_to: str | None, handling: Handling, note: str
    ) -> None: ...
    def call_back(self, ident: int) -> None: ...
    def supervise(self, action: str, extension: str) -> None: ...


class QueuesPage(QWidget):
    """The list of queues, or one queue."""

    def __init__(
        self,
        store: QueuesStore,
        actions: QueuesActions,
        me: Callable[[], str | None],
        in_call: Callable[[str], bool],
        parent: QWidget | None = None,
        *,
        region: str = "NL",
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._actions = actions
        self._me = me
        self.side_button: QToolButton | None = None
        self.offline = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        head = QHBoxLayout()
        head.setContentsMargins(16, 14, 16, 8)
        self.back = QToolButton(self)
        self.back.setAutoRaise(True)
        self.back.setIconSize(QSize(18, 18))
        self.back.clicked.connect(lambda: actions.open(None))
        self.heading = QLabel(self)
        self.heading.setObjectName("Heading")
        self.my_switch = StatusSwitch(self)
        self.my_switch.chosen.connect(self._my_status_chosen)
        head.addWidget(self.back)
        head.addWidget(self.heading, 1)
        head.addWidget(self.my_switch)
        layout.addLayout(head)
        self.problem = QLabel(self)
        self.problem.setObjectName("ErrorText")
        self.problem.setWordWrap(True)
        self.problem.setContentsMargins(16, 0, 16, 6)
        layout.addWidget(self.problem)
        self.stack = QStackedWidget(self)
        self.empty = EmptyState(self)
        self.list = QueuesList(self)
        self.list.opened.connect(actions.open)
        self.list.status_chosen.connect(self._list_status_chosen)
        self.queue_view = QWidget(self)  # the tab bar under the heading, not at the edge
        host = QVBoxLayout(self.queue_view)
        host.setContentsMargins(16, 0, 16, 0)
        self.tabs = QTabWidget(self.queue_view)
        self.tabs.setDocumentMode(True)
        host.addWidget(self.tabs)
        self.now = QueueNowView(in_call, self.tabs, region=region)
        self.now.status_chosen.connect(self._agent_status_chosen)
        self.now.supervise.connect(actions.supervise)
        self.calls = QueueCallsView(me, self.tabs, region=region)
        self.calls.filter_chosen.connect(actions.set_filter)
        self.calls.call_back.connect(actions.call_back)
        self.calls.save.connect(self._save_call)
        self.tabs.addTab(self.now, "")
        self.tabs.addTab(self.calls, "")
        for w in (self.empty, self.list, self.queue_view):
            self.stack.addWidget(w)
        layout.addWidget(self.stack, 1)
        store.changed.connect(self._on_store)
        self.retranslate()

    # -- the store ------------------------------------------------------------------------
    def _on_store(self, names: object) -> None:
        changed = names if isinstance(names, set) else set()
        if changed & {"queues", "busy", "detail", "problem"}:
            self._show()
        if changed & {"detail", "busy"}:
            self.now.show_detail(self._store.detail, self._agent_busy)
        if changed & {"calls", "detail"}:
            self.calls.show_calls(self._store.detail, self._store.calls, self._store.calls_loaded)
        if "filter" in changed:
            self.calls.set_filter(self._store.call_filter)
        if "busy" in changed:
            self.calls.set_busy(lambda ident: self._busy(f"call:{ident}"))

    def _busy(self, key: str) -> bool:
        number = self._store.open_number
        return number is not None and self._store.busy(number, key)

    def _agent_busy(self, extension: str) -> bool:
        return self._busy(extension)

    def _show(self) -> None:
        s = self._store
        number = s.open_number
        summary = s.summary(number) if number is not None else None
        self.back.setVisible(summary is not None)
        if summary is not None:
            self.heading.setText(f"{queue_title(summary)} · {summary.number}")
            detail = s.detail
            status = detail.my_status if detail is not None else summary.my_status
            self.my_switch.setVisible(status is not None)
            self.my_switch.set_status(status, busy=s.busy(summary.number, self._me() or ""))
            self.stack.setCurrentWidget(self.queue_view)
        else:
            self.heading.setText(self.tr("Queues"))
            self.my_switch.setVisible(False)
            self.stack.setCurrentWidget(self.list if s.queues or not s.loaded else self.empty)
        busy = {q.number for q in s.queues if s.busy(q.number, self._me() or "")}
        self.list.show_queues(s.queues, busy)
        problem = s.problem
        if self.offline:
            problem = self.tr(
                "The phone system cannot be reached; the queues show what was known before."
            )
        self.problem.setText(problem or "")
        self.problem.setVisible(bool(problem))

    def set_offline(self, offline: bool) -> None:
        """The session lost the server (or found it again)."""
        if offline != self.offline:
            self.offline = offline
            self._show()

    def refresh_calls_in_progress(self) -> None:
        """Who is in a call changed: the supervisor's Listen / Whisper / Barge in."""
        self.now.refresh_agents()

    # -- the user's choices ---------------------------------------------------------------
    def _my_status_chosen(self, status: str) -> None:
        number, me = self._store.open_number, self._me()
        if number is not None and me is not None and is_status(status):
            self._actions.set_status(number, me, status)

    def _list_status_chosen(self, number: str, status: str) -> None:
        me = self._me()
        if me is not None and is_status(status):
            self._actions.set_status(number, me, status)

    def _agent_status_chosen(self, extension: str, status: str) -> None:
        number = self._store.open_number
        if number is not None and is_status(status):
            self._actions.set_status(number, extension, status)

    def _save_call(self, ident: int, assigned_to: object, handling: Handling, note: str) -> None:
        number = self._store.open_number
        if number is not None:
            who = assigned_to if isinstance(assigned_to, str) and assigned_to else None
            self._actions.update_call(number, ident, who, handling, note)

    # -- words ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        if self.side_button is not None:
            self.side_button.setText(self.tr("Queues"))
        self.back.setIcon(icon("chevron-left", theme.current().text))
        self.back.setToolTip(self.tr("All queues"))
        self.empty.label.setText(self.tr("No queues available"))
        self.empty.hint.setText(
            self.tr(
                "You are not an agent or supervisor of any queue. Your administrator can add "
                "you to one."
            )
        )
        self.empty.fit_hint()
        self.tabs.setTabText(0, self.tr("Now"))
        self.tabs.setTabText(1, self.tr("Call log"))
        self.my_switch.retranslate()
        self.list.retranslate()
        self.now.retranslate()
        self.calls.retranslate()
        self._show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
