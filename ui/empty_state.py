"""The empty state of a list page (Calls, Voicemail, Recordings): a line in large type, a hint
below it, and optionally one action button (the Calls page's "Test your audio: call 9000")."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

__all__ = ["EmptyState"]

HINT_WIDTH = 420
"""The hint wraps at this width, so it reads as a paragraph under the line."""


class EmptyState(QWidget):
    """``label`` and ``hint`` are set by the page (in its retranslate); ``button`` exists when
    asked for (``with_button``), as a green button under the hint."""

    def __init__(self, parent: QWidget | None = None, *, with_button: bool = False) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.label = QLabel(self)
        self.label.setObjectName("EmptyState")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = QLabel(self)
        self.hint.setObjectName("Muted")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setFixedWidth(HINT_WIDTH)
        layout.addWidget(self.label)
        layout.addSpacing(6)
        layout.addWidget(self.hint, 0, Qt.AlignmentFlag.AlignHCenter)
        self.button: QPushButton | None = None
        if with_button:
            self.button = QPushButton(self)
            self.button.setObjectName("GreenButton")
            layout.addSpacing(14)
            layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def fit_hint(self) -> None:
        """Give the hint the height its text takes at its width (after the text changed)."""
        self.hint.setFixedHeight(self.hint.heightForWidth(HINT_WIDTH))
