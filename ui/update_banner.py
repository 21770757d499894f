"""The update notice (seed 000 "Applicaties"): "Version X is available" with the notes and a link.

A strip under the connection banner while the update feed offers a newer version
(:class:`app.updates.UpdateStore`). It never installs anything: "Download" opens the feed's page
in the browser, and the strip can be closed until the next version. Below the feed's minimum
version it says this version must be updated, in red, and cannot be closed.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from app.bus import Changes
from app.updates import UpdateStore
from ui import theme
from ui.icons import icon

__all__ = ["UpdateBanner"]


class UpdateBanner(QFrame):
    """Shown while :attr:`UpdateStore.available` is set and not dismissed."""

    def __init__(self, store: UpdateStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("UpdateBanner")
        self._store = store
        self._dismissed: str | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 8, 8, 8)
        self.mark = QLabel(self)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.download = QPushButton(self)
        self.download.clicked.connect(self._open)
        self.close_button = QToolButton(self)
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.dismiss)
        layout.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.download, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        store.hub.subscribe(self._on_changes, owner=self)
        self.refresh()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches("updates"):
            self.refresh()

    def dismiss(self) -> None:
        """Hide the notice until a newer version is offered."""
        entry = self._store.available
        self._dismissed = entry.version if entry is not None else None
        self.refresh()

    def _open(self) -> None:
        entry = self._store.available
        if entry is not None and entry.url:
            QDesktopServices.openUrl(QUrl(entry.url))

    def refresh(self) -> None:
        entry = self._store.available
        required = self._store.required
        shown = entry is not None and (required or entry.version != self._dismissed)
        self.setVisible(shown)
        if entry is None:
            return
        t = theme.current()
        color = t.red if required else t.accent
        self.setStyleSheet(
            f"QFrame#UpdateBanner {{ background: {t.highlight}; "
            f"border-bottom: 1px solid {t.border}; border-left: 4px solid {color}; }}"
        )
        name = "triangle-alert" if required else "info"
        self.mark.setPixmap(icon(name, color).pixmap(18, 18))
        self.close_button.setIcon(icon("x", t.muted))
        self.close_button.setVisible(not required)
        self.close_button.setToolTip(self.tr("Remind me at the next version"))
        title = self.tr("Version {0} is available.").format(entry.version)
        if required:
            title += " " + self.tr("This version is no longer supported and must be updated.")
        notes = html.escape(entry.notes).replace("\n", "<br>")
        text = f"<b>{html.escape(title)}</b>"
        if notes:
            text += f"<br>{notes}"
        self.label.setText(text)
        self.download.setText(self.tr("Download"))
        self.download.setVisible(bool(entry.url))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.refresh()
        super().changeEvent(event)
