"""Texts of the call windows shared with other widgets (context ``CallWindow``)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

__all__ = ["no_audio_text", "short_state", "via_text"]


def no_audio_text() -> str:
    """The one sentence for a machine without a usable microphone or speaker."""
    return QCoreApplication.translate(
        "CallWindow",
        "No speaker or microphone found. Calls connect but you will not hear them.",
    )


def via_text(queue: str) -> str:
    """The queue a call rings the user for: "via Support"."""
    return QCoreApplication.translate("CallWindow", "via {queue}").format(queue=queue)


def short_state(state: str) -> str:
    """A call's state in a word or two, for the minimised card."""
    if state in ("incoming", "answering"):
        return QCoreApplication.translate("CallWindow", "Incoming call")
    if state in ("calling", "ringing"):
        return QCoreApplication.translate("CallWindow", "Calling…")
    if state == "held":
        return QCoreApplication.translate("CallWindow", "On hold")
    if state == "ended":
        return QCoreApplication.translate("CallWindow", "Call ended")
    return ""
