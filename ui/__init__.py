"""The desktop widgets: render `app/` stores and call its controllers (docs/ui.md)."""

from __future__ import annotations

from ui.main import UiShell, current_shell, run

__all__ = ["UiShell", "current_shell", "run"]
