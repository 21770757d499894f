"""The words of the Queues section shared by its widgets (context ``Queues``): an agent's status,
a call's handling and kind, a wait."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.queues.records import AgentStatus, CallKind, Handling, QueueCall, QueueSummary
from ui import theme
from ui.format import format_duration

NONE = "\u2013"
"""Shown for a value there is none of (no wait yet)."""

__all__ = [
    "NONE",
    "handling_text",
    "kind_text",
    "outcome_text",
    "queue_title",
    "status_color",
    "status_text",
    "wait_text",
]


def _tr(text: str) -> str:
    return QCoreApplication.translate("Queues", text)


def status_text(status: AgentStatus | None) -> str:
    if status == "logged_in":
        return _tr("Logged in")
    if status == "paused":
        return _tr("Paused")
    if status == "logged_out":
        return _tr("Logged out")
    return _tr("Not an agent")


def status_color(status: AgentStatus | None) -> str:
    t = theme.current()
    return {"logged_in": t.green, "paused": t.amber}.get(status or "", t.muted)


def handling_text(handling: Handling) -> str:
    if handling == "in_progress":
        return _tr("In progress")
    if handling == "handled":
        return _tr("Handled")
    return _tr("Unhandled")


def kind_text(kind: CallKind | None) -> str:
    if kind == "missed":
        return _tr("Missed")
    if kind == "answered":
        return _tr("Answered")
    if kind == "forwarded":
        return _tr("Forwarded")
    return _tr("All calls")


def outcome_text(call: QueueCall, name_of: dict[str, str]) -> str:
    """How the call left the queue: answered by whom, abandoned, forwarded where, sent away."""
    if call.outcome == "answered":
        who = name_of.get(call.agent or "", call.agent or "")
        return _tr("Answered by {0}").format(who) if who else _tr("Answered")
    if call.outcome == "abandoned":
        return _tr("Caller hung up")
    if call.forwarded_to:
        return _tr("Forwarded to {0}").format(call.forwarded_to)
    return _tr("Not answered")


def queue_title(queue: QueueSummary) -> str:
    """ "Support (Supervisor)" for a queue the user supervises, else its name."""
    if queue.supervised:
        return _tr("{0} (Supervisor)").format(queue.name)
    return queue.name


def wait_text(seconds: float | None) -> str:
    return NONE if seconds is None else format_duration(seconds)
