"""A card that lives inside its parent widget and is dragged by its header."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QWidget

__all__ = ["DraggableCard"]


class DraggableCard(QFrame):
    """Set ``header`` to the widget to drag by; the card never leaves its parent."""

    header: QWidget

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._drag_from: QPoint | None = None
        self._dragged = False

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.header.geometry().contains(
            event.position().toPoint()
        ):
            self._drag_from = event.position().toPoint()
            self._dragged = False
            self.raise_()
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is not None:
            target = self.mapToParent(event.position().toPoint() - self._drag_from)
            self.move_within(target)
            self._dragged = True
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        dragged = self._drag_from is not None and self._dragged
        self._drag_from = None
        self._dragged = False
        if dragged:
            self.drag_finished(event.globalPosition().toPoint())
        super().mouseReleaseEvent(event)

    def drag_finished(self, global_pos: QPoint) -> None:
        """The card was dragged and let go at ``global_pos`` (a subclass may act on a target)."""

    def move_within(self, pos: QPoint) -> None:
        """Move to ``pos`` but keep the whole window inside the parent."""
        parent = self.parentWidget()
        if parent is None:
            self.move(pos)
            return
        x = min(max(0, pos.x()), max(0, parent.width() - self.width()))
        y = min(max(0, pos.y()), max(0, parent.height() - self.height()))
        self.move(x, y)
