"""A queue now (S6): the statistics tiles, the callers waiting (their wait ticking each second)
and the agents with their status; a supervisor logs an agent in, pauses or logs them out and,
while the agent is in a call, listens, whispers or barges in.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.phone_format import display_number
from app.queues.records import QueueAgent, QueueDetail, QueueStats
from ui import theme
from ui.format import timer_text
from ui.queue_texts import NONE, status_color, status_text, wait_text
from ui.queues_list import StatusSwitch

__all__ = ["AGENTS_WIDTH", "AgentRow", "QueueNowView", "Tile"]

AGENTS_WIDTH = 330
"""The agents' column: room for the supervisor's Listen / Whisper / Barge in, in Dutch too."""


class Tile(QFrame):
    """One statistic: a big value over its name, a detail line below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("QueueTile")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(1)
        self.value = QLabel(self)
        self.value.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.name = QLabel(self)
        self.name.setWordWrap(True)
        self.detail = QLabel(self)
        self.detail.setObjectName("Muted")
        self.detail.setWordWrap(True)
        layout.addWidget(self.value)
        layout.addWidget(self.name)
        layout.addWidget(self.detail)
        layout.addStretch(1)

    def set_values(self, value: str, name: str, detail: str = "") -> None:
        self.value.setText(value)
        self.name.setText(name)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        t = theme.current()
        self.setStyleSheet(
            f"QFrame#QueueTile {{ background: {t.base}; border: 1px solid {t.border};"
            " border-radius: 8px; }"
        )


class AgentRow(QWidget):
    """An agent: name and extension, status, available; the supervisor's controls."""

    status_chosen = Signal(str, str)
    supervise = Signal(str, str)  # action, extension

    def __init__(self, agent: QueueAgent, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.agent = agent
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 6)
        layout.setSpacing(2)
        top = QHBoxLayout()
        top.setSpacing(6)
        self.dot = QLabel("●", self)
        self.name = QLabel(self)
        self.name.setStyleSheet("font-weight: 600;")
        top.addWidget(self.dot)
        top.addWidget(self.name, 1)
        layout.addLayout(top)
        self.state = QLabel(self)
        self.state.setObjectName("Muted")
        self.state.setWordWrap(True)
        layout.addWidget(self.state)
        self.controls = QWidget(self)
        line = QHBoxLayout(self.controls)
        line.setContentsMargins(0, 2, 0, 0)
        self.switch = StatusSwitch(self.controls, compact=True)
        self.switch.chosen.connect(lambda s: self.status_chosen.emit(self.agent.extension, s))
        line.addWidget(self.switch)
        line.addStretch(1)
        layout.addWidget(self.controls)
        self.watching = QWidget(self)
        watch = QHBoxLayout(self.watching)
        watch.setContentsMargins(0, 2, 0, 0)
        self.watch_buttons: dict[str, QPushButton] = {}
        for action in ("listen", "whisper", "barge"):
            b = QPushButton(self.watching)
            b.setAutoDefault(False)
            b.clicked.connect(lambda _=False, a=action: self._supervise(a))
            watch.addWidget(b)
            self.watch_buttons[action] = b
        watch.addStretch(1)
        layout.addWidget(self.watching)
        self.retranslate()

    def _supervise(self, action: str) -> None:
        self.supervise.emit(action, self.agent.extension)

    def show_agent(self, agent: QueueAgent, *, lead: bool, in_call: bool, busy: bool) -> None:
        self.agent = agent
        self.dot.setStyleSheet(f"color: {status_color(agent.status)};")
        self.name.setText(f"{agent.name} ({agent.extension})")
        parts = [status_text(agent.status)]
        if in_call:
            parts.append(self.tr("in a call"))
        elif agent.status != "logged_out":
            parts.append(self.tr("available") if agent.available else self.tr("not available"))
        parts.append(self.tr("skill {0}").format(agent.skill))
        self.state.setText(" · ".join(parts))
        self.watching.setVisible(lead and in_call)
        self.controls.setVisible(lead)
        self.switch.set_status(agent.status, busy=busy)

    def retranslate(self) -> None:
        self.watch_buttons["listen"].setText(self.tr("Listen"))
        self.watch_buttons["whisper"].setText(self.tr("Whisper"))
        self.watch_buttons["barge"].setText(self.tr("Barge in"))
        self.switch.retranslate()


class QueueNowView(QScrollArea):
    """Tiles, waiting callers and agents of the open queue."""

    status_chosen = Signal(str, str)  # extension, status
    supervise = Signal(str, str)  # action, extension

    def __init__(
        self,
        in_call: Callable[[str], bool],
        parent: QWidget | None = None,
        *,
        region: str = "NL",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._in_call = in_call
        self._region = region
        self._clock = clock
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget(self)
        columns = QHBoxLayout(inner)
        columns.setContentsMargins(0, 10, 0, 16)
        columns.setSpacing(16)
        layout = QVBoxLayout()
        columns.addLayout(layout, 1)
        grid = QGridLayout()
        grid.setSpacing(8)
        self.tiles: dict[str, Tile] = {}
        names = ("available", "logged_in", "waiting", "longest", "average", "last", "today", "24h")
        for i, name in enumerate(names):
            tile = Tile(inner)
            grid.addWidget(tile, i // 4, i % 4)
            self.tiles[name] = tile
        layout.addLayout(grid)
        self.waiting_heading = QLabel(inner)
        self.waiting_heading.setObjectName("SubHeading")
        layout.addSpacing(8)
        layout.addWidget(self.waiting_heading)
        self.waiting_box = QVBoxLayout()
        layout.addLayout(self.waiting_box)
        self.nobody_waits = QLabel(inner)
        self.nobody_waits.setObjectName("Muted")
        layout.addWidget(self.nobody_waits)
        layout.addStretch(1)
        self.agents_panel = QFrame(inner)  # the agents on the right (seed 000 "Wachtrijen")
        self.agents_panel.setObjectName("QueueAgents")
        self.agents_panel.setFixedWidth(AGENTS_WIDTH)
        panel = QVBoxLayout(self.agents_panel)
        panel.setContentsMargins(12, 10, 12, 10)
        self.agents_heading = QLabel(self.agents_panel)
        self.agents_heading.setObjectName("SubHeading")
        panel.addWidget(self.agents_heading)
        self.agents_box = QVBoxLayout()
        panel.addLayout(self.agents_box)
        panel.addStretch(1)
        columns.addWidget(self.agents_panel)
        self.setWidget(inner)
        self.detail: QueueDetail | None = None
        self.waiting_rows: list[tuple[QLabel, QLabel]] = []
        self.agent_rows: dict[str, AgentRow] = {}
        self._busy: Callable[[str], bool] = lambda extension: False
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        self.retranslate()

    def show_detail(self, detail: QueueDetail | None, busy: Callable[[str], bool]) -> None:
        self.detail, self._busy = detail, busy
        t = theme.current()
        self.agents_panel.setStyleSheet(
            f"QFrame#QueueAgents {{ background: {t.base}; border: 1px solid {t.border};"
            " border-radius: 8px; }"
        )
        self._fill_tiles(detail.stats if detail is not None else None)
        self._fill_waiting()
        self._fill_agents()

    def refresh_agents(self) -> None:
        """Who is in a call changed (the directory's line states)."""
        self._fill_agents()

    def _fill_tiles(self, s: QueueStats | None) -> None:
        t = self.tiles
        if s is None:
            for tile in t.values():
                tile.set_values(NONE, "")
            names = (
                ("available", self.tr("Available agents")),
                ("logged_in", self.tr("Logged-in agents")),
                ("waiting", self.tr("Queue length")),
                ("longest", self.tr("Longest wait")),
                ("average", self.tr("Average wait")),
                ("last", self.tr("Last wait")),
                ("today", self.tr("Calls today")),
                ("24h", self.tr("Calls in the last 24 hours")),
            )
            for key, name in names:
                t[key].set_values(NONE, name)
            return
        t["available"].set_values(str(s.agents_available), self.tr("Available agents"))
        t["logged_in"].set_values(str(s.agents_logged_in), self.tr("Logged-in agents"))
        t["waiting"].set_values(str(s.waiting), self.tr("Queue length"))
        t["longest"].set_values(wait_text(s.longest_wait_s), self.tr("Longest wait"))
        t["average"].set_values(wait_text(s.average_wait_s), self.tr("Average wait"), self.tr(
            "of today's answered calls"))  # fmt: skip
        t["last"].set_values(wait_text(s.last_wait_s), self.tr("Last wait"))
        for key, counts, name in (
            ("today", s.today, self.tr("Calls today")),
            ("24h", s.last_24h, self.tr("Calls in the last 24 hours")),
        ):
            detail = self.tr("{0} answered · {1} abandoned").format(
                counts.answered, counts.abandoned
            )
            t[key].set_values(str(counts.total), name, detail)

    def _fill_waiting(self) -> None:
        while self.waiting_box.count():
            item = self.waiting_box.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.waiting_rows = []
        callers = self.detail.waiting if self.detail is not None else ()
        for caller in callers:
            row = QWidget(self.widget())
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 2, 0, 2)
            number = display_number(caller.caller, self._region)
            who = QLabel(f"{caller.caller_name} ({number})" if caller.caller_name else number, row)
            waited = QLabel(row)
            waited.setStyleSheet("font-family: monospace;")
            line.addWidget(who, 1)
            line.addWidget(waited)
            self.waiting_box.addWidget(row)
            self.waiting_rows.append((who, waited))
        self.nobody_waits.setVisible(not callers)
        self._tick()
        if callers:
            self.timer.start()
        else:
            self.timer.stop()

    def _tick(self) -> None:
        if self.detail is None:
            return
        now = self._clock()
        for caller, (_who, waited) in zip(self.detail.waiting, self.waiting_rows, strict=False):
            waited.setText(timer_text(caller.waited_at(now)))
        longest = self.detail.waiting[0].waited_at(now) if self.detail.waiting else None
        self.tiles["longest"].value.setText(wait_text(longest) if longest is not None else NONE)

    def _fill_agents(self) -> None:
        agents = self.detail.agents if self.detail is not None else ()
        lead = self.detail is not None and self.detail.supervised
        for ext in [e for e in self.agent_rows if e not in {a.extension for a in agents}]:
            self.agent_rows.pop(ext).deleteLater()
        for index, agent in enumerate(agents):
            row = self.agent_rows.get(agent.extension)
            if row is None:
                row = AgentRow(agent, self.agents_panel)
                row.status_chosen.connect(self.status_chosen)
                row.supervise.connect(self.supervise)
                self.agent_rows[agent.extension] = row
            self.agents_box.insertWidget(index, row)
            in_call = agent.status != "logged_out" and self._in_call(agent.extension)
            row.show_agent(agent, lead=lead, in_call=in_call, busy=self._busy(agent.extension))

    def retranslate(self) -> None:
        self.waiting_heading.setText(self.tr("Waiting callers"))
        self.nobody_waits.setText(self.tr("Nobody is waiting."))
        self.agents_heading.setText(self.tr("Agents"))
        for row in self.agent_rows.values():
            row.retranslate()
        self.show_detail(self.detail, self._busy)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "tiles"):
            self.show_detail(self.detail, self._busy)
        super().changeEvent(event)
