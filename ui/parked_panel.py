"""Parked calls (seed 000 "Geparkeerde gesprekken"): slot, caller, who parked it, how long.

Renders the ParkedStore above the pages while any call is parked; "Pick up" dials the slot
(:meth:`app.controllers.calls.CallsController.pickup_parked`). The waiting times are redrawn
every 15 seconds while the panel shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.bus import Changes
from app.phone_format import display_number
from app.protocols import CallActions
from app.stores import ParkedCall, ParkedStore
from ui import theme
from ui.icons import icon

__all__ = ["ParkedPanel", "waited_text"]


def waited_text(seconds: float) -> str:
    """How long a call has waited, in whole minutes ("< 1 min", "4 min")."""
    minutes = int(max(0.0, seconds) // 60)
    if minutes < 1:
        return QCoreApplication.translate("ParkedPanel", "< 1 min")
    return QCoreApplication.translate("ParkedPanel", "{0} min").format(minutes)


class ParkedPanel(QFrame):
    """One row per parked call, each with a Pick up button."""

    def __init__(
        self,
        store: ParkedStore,
        controller: CallActions,
        parent: QWidget | None = None,
        *,
        region: str = "NL",
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ParkedPanel")
        self._store = store
        self._ctl = controller
        self._region = region
        self._now = now
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(6)
        self.title = QLabel(self)
        self.title.setObjectName("SectionTitle")
        layout.addWidget(self.title)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(20)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(4, 1)  # the Pick up buttons sit at the right edge
        layout.addLayout(self.grid)
        self.rows: dict[str, tuple[QLabel, QLabel, QLabel, QLabel, QPushButton]] = {}
        self._tick = QTimer(self)
        self._tick.setInterval(15_000)
        self._tick.timeout.connect(self._render)
        store.hub.subscribe(self._on_changes, owner=self)
        self._render()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches("parked"):
            self._render()

    def _name(self, number: str, name: str | None) -> str:
        return name or display_number(number, self._region)

    def _render(self) -> None:
        calls = self._store.calls
        slots = {c.slot for c in calls}
        for slot in [s for s in self.rows if s not in slots]:
            for old in self.rows.pop(slot):
                old.deleteLater()
        for i, call in enumerate(calls):
            if call.slot not in self.rows:
                self.rows[call.slot] = self._row(call.slot)
            widgets = self.rows[call.slot]
            for col, widget in enumerate(widgets):
                self.grid.addWidget(widget, i, col if col < 4 else 5)
            self._fill(call, *widgets)
        self.title.setText(self.tr("Parked calls"))
        t = theme.current()
        self.title.setStyleSheet("font-weight: 600;")
        self.setStyleSheet(
            f"QFrame#ParkedPanel {{ background: {t.panel}; border-bottom: 1px solid {t.border}; }}"
        )
        self.setVisible(bool(calls))
        if calls and not self._tick.isActive():
            self._tick.start()
        elif not calls:
            self._tick.stop()

    def _row(self, slot: str) -> tuple[QLabel, QLabel, QLabel, QLabel, QPushButton]:
        slot_label, caller, by, waited = (QLabel(self) for _ in range(4))
        for muted in (slot_label, by, waited):
            muted.setObjectName("Muted")
        button = QPushButton(self)
        button.setObjectName("GreenButton")
        button.clicked.connect(lambda _=False, s=slot: self._ctl.pickup_parked(s))
        return slot_label, caller, by, waited, button

    def _fill(
        self,
        call: ParkedCall,
        slot: QLabel,
        caller: QLabel,
        by: QLabel,
        waited: QLabel,
        button: QPushButton,
    ) -> None:
        slot.setText(call.slot)
        caller.setText(self._name(call.caller, call.caller_name))
        by.setText(self.tr("parked by {0}").format(self._name(call.parked_by, call.parked_by_name)))
        waited.setText(waited_text((self._now() - call.since).total_seconds()))
        button.setText(self.tr("Pick up"))
        button.setIcon(icon("phone", "#ffffff"))
        button.setToolTip(self.tr("Take this call (dial {0})").format(call.slot))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._render()
        super().changeEvent(event)
