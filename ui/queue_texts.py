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


def status_text(status: AgentStatus | None) -> str:
    if status == "logged_in":
        return QCoreApplication.translate("Queues", "Logged in")
    if status == "paused":
        return QCoreApplication.translate("Queues", "Paused")
    if status == "logged_out":
        return QCoreApplication.translate("Queues", "Logged out")
    return QCoreApplication.translate("Queues", "Not an agent")


def status_color(status: AgentStatus | None) -> str:
    t = theme.current()
    return {"logged_in": t.green, "paused": t.amber}.get(status or "", t.muted)


def handling_text(handling: Handling) -> str:
    if handling == "in_progress":
        return QCoreApplication.translate("Queues", "In progress")
    if handling == "handled":
        return QCoreApplication.translate("Queues", "Handled")
    return QCoreApplication.translate("Queues", "Unhandled")


def kind_text(kind: CallKind | None) -> str:
    if kind == "missed":
        return QCoreApplication.translate("Queues", "Missed")
    if kind == "answered":
        return QCoreApplication.translate("Queues", "Answered")
    if kind == "forwarded":
        return QCoreApplication.translate("Queues", "Forwarded")
    return QCoreApplication.translate("Queues", "All calls")


def outcome_text(call: QueueCall, name_of: dict[str, str]) -> str:
    """How the call left the queue: answered by whom, abandoned, forwarded where, sent away."""
    if call.outcome == "answered":
        who = name_of.get(call.agent or "", call.agent or "")
        return (
            QCoreApplication.translate("Queues", "Answered by {0}").format(who)
            if who
            else QCoreApplication.translate("Queues", "Answered")
        )
    if call.outcome == "abandoned":
        return QCoreApplication.translate("Queues", "Caller hung up")
    if call.forwarded_to:
        return QCoreApplication.translate("Queues", "Forwarded to {0}").format(call.forwarded_to)
    return QCoreApplication.translate("Queues", "Not answered")


def queue_title(queue: QueueSummary) -> str:
    """ "Support (Supervisor)" for a queue the user supervises, else its name."""
    if queue.supervised:
        return QCoreApplication.translate("Queues", "{0} (Supervisor)").format(queue.name)
    return queue.name


def wait_text(seconds: float | None) -> str:
    """A wait in whole seconds ("1 min 05 s"), counted like the ticking timers."""
    return NONE if seconds is None else format_duration(float(int(seconds)))
