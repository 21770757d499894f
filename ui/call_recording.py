"""Recording on demand in the call window (P17, docs/recording.md): the Record button's look
and the "Recording 0:42" indicator with its red dot. The call window shows them; the
recordings section (:mod:`ui.recordings_section`) tells it the state."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.call_model import ActiveCall
from app.stores.recordings import LiveRecording
from ui import theme
from ui.format import timer_text
from ui.icons import icon

__all__ = ["CallRecordingParts", "RecordingIndicator", "render_record_button"]


def render_record_button(button: QPushButton, recording: bool, busy: bool) -> None:
    """ "Record", or "Stop recording" while the PBX records; disabled while a start or stop is
    on its way."""
    t = theme.current()
    button.setChecked(recording)
    button.setEnabled(not busy)
    button.setIcon(icon("circle-dot", t.red if recording else t.text, t.muted))
    button.setText(
        QCoreApplication.translate("CallWindow", "Stop recording")
        if recording
        else QCoreApplication.translate("CallWindow", "Record")
    )
    button.setToolTip(
        QCoreApplication.translate("CallWindow", "Stop recording; it is kept in Recordings")
        if recording
        else QCoreApplication.translate(
            "CallWindow", "Record this call (both sides); the other party is not told"
        )
    )


class RecordingIndicator(QWidget):
    """A red dot and "Recording 0:42" while the user records this call (P17)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("RecordingIndicator")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 2, 0, 2)
        row.setSpacing(6)
        self.dot = QLabel(self)
        self.dot.setFixedSize(10, 10)
        self.label = QLabel(self)
        self.label.setObjectName("RecordingLabel")
        row.addWidget(self.dot)
        row.addWidget(self.label)
        row.addStretch(1)
        self.hide()

    def show_for(self, elapsed_s: float | None) -> None:
        """``elapsed_s`` since the PBX started recording; None: not recording (hidden)."""
        if elapsed_s is None:
            self.hide()
            return
        t = theme.current()
        self.dot.setStyleSheet(f"background: {t.red}; border-radius: 5px;")
        self.label.setStyleSheet(f"color: {t.red};")
        self.label.setText(
            QCoreApplication.translate("CallWindow", "Recording {0}").format(timer_text(elapsed_s))
        )
        self.show()


class CallRecordingParts:
    """A mixin of :class:`ui.call_window.CallWindow`: Record in its extras and the indicator,
    once :meth:`bind_recording` tells it where the state is and how to toggle."""

    key: str
    _call: ActiveCall
    _clock: Callable[[], float]
    recording_indicator: RecordingIndicator
    _recording_state: Callable[[str], LiveRecording | None] | None = None
    _toggle_recording: Callable[[str, str], None] | None = None

    def fit(self) -> None:
        raise NotImplementedError

    def bind_recording(
        self,
        state: Callable[[str], LiveRecording | None],
        toggle: Callable[[str, str], None],
    ) -> None:
        """Show Record: ``state(key)`` is the call's recording state, ``toggle(key, number)``
        starts or stops recording it."""
        self._recording_state = state
        self._toggle_recording = toggle
        self.refresh_recording()

    def refresh_recording(self) -> None:
        """The recording state changed: redraw the button and the indicator."""
        self._render_recording()
        self.fit()

    def _record(self) -> None:
        if self._toggle_recording is not None:
            self._toggle_recording(self.key, self._call.number)
        self._render_recording()  # the button stays as it was until the PBX answers

    def _render_recording(self) -> None:
        extras = getattr(self, "extras", None)
        if self._recording_state is None or extras is None:
            return
        c = self._call
        live = self._recording_state(self.key)
        recording = live is not None and live.since is not None and c.in_call
        available = c.in_call and not c.in_conference
        extras.show_recording(available, recording, live is not None and live.busy)
        since = live.since if live is not None and recording else None
        self.recording_indicator.show_for(
            max(0.0, self._clock() - since) if since is not None else None
        )
