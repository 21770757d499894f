"""Every main screen rendered from demo data (fakes), English and Dutch, light and dark.

The committed shots come from the real app (docs/screenshots/take.py), which uses this module
only for the one screen the shooting machine cannot show for real (``settings`` with sound
devices). Run alone for widget work without a PBX: ``QT_QPA_PLATFORM=offscreen .venv/bin/python
-m tools.screenshots`` (``QT_SCALE_FACTOR=1.5`` with ``--suffix @150`` for the 150 % check).
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.call_model import ActiveCall
from app.stores import HistoryEntry
from tests.ui.fakes import FakeContext, sample_directory, sample_history
from ui.i18n import Translations
from ui.main_window import MainWindow
from ui.theme import apply_theme
from ui.welcome import WelcomeDialog

__all__ = ["demo_context", "take_all", "week_history"]

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def demo_context() -> FakeContext:
    """A context of fakes filled with the demo organisation's history."""
    ctx = FakeContext()
    ctx.history.set_entries(sample_history(datetime.now(UTC)))
    return ctx


def week_history(now: datetime) -> list[HistoryEntry]:
    """A week of calls, newest first: day groups, failed calls with their reasons, a missed one."""
    day = timedelta(days=1)
    return [
        HistoryEntry(12, "missed", "202", "Bram Jansen", now - timedelta(minutes=12), 0, False),
        HistoryEntry(
            11,
            "outgoing",
            "203",
            "Chris Peters",
            now - timedelta(minutes=40),
            0,
            True,
            False,
            "busy",
        ),
        HistoryEntry(
            10,
            "incoming",
            "+31201234567",
            None,
            now - timedelta(hours=2),
            185,
            True,
            True,
            "hangup",
        ),
        HistoryEntry(
            9, "outgoing", "9000", "Echo test", now - timedelta(hours=3), 42, True, True, "hangup"
        ),
        HistoryEntry(8, "outgoing", "999", None, now - day, 0, True, False, "not-found"),
        HistoryEntry(
            7,
            "outgoing",
            "204",
            "Dana Bakker",
            now - day - timedelta(hours=2),
            0,
            True,
            False,
            "no-answer",
        ),
        HistoryEntry(
            6,
            "incoming",
            "205",
            "Eva Smit",
            now - day - timedelta(hours=3),
            610,
            True,
            True,
            "hangup",
        ),
        HistoryEntry(5, "missed", "+31612345678", None, now - 3 * day, 0, True, False, "cancelled"),
        HistoryEntry(
            4,
            "outgoing",
            "0612345678",
            None,
            now - 3 * day - timedelta(hours=1),
            754,
            True,
            True,
            "hangup",
        ),
        HistoryEntry(
            3, "outgoing", "203", "Chris Peters", now - 9 * day, 0, True, False, "not-registered"
        ),
        HistoryEntry(
            2,
            "incoming",
            "202",
            "Bram Jansen",
            now - 9 * day - timedelta(hours=4),
            95,
            True,
            True,
            "hangup",
        ),
    ]


def _settle(app: QApplication) -> None:
    for _ in range(3):
        app.processEvents()
        time.sleep(0.01)


def _save(widget: QWidget, name: str, suffix: str) -> Path:
    path = OUT / f"{name}{suffix}.png"
    widget.grab().save(str(path))
    return path


def _retranslate_all(app: QApplication) -> None:
    for w in app.allWidgets():
        QCoreApplication.sendEvent(w, QEvent(QEvent.Type.LanguageChange))


def take_all(
    app: QApplication,
    lang: str,
    dark: bool,
    suffix: str = "",
    screens: set[str] | None = None,
) -> list[Path]:
    """Render each screen (or only ``screens``) in one language and scheme; returns the files."""
    OUT.mkdir(parents=True, exist_ok=True)
    Translations(app).install(lang)
    apply_theme(app, dark=dark)
    tag = f"-{lang}-{'dark' if dark else 'light'}{suffix}"
    paths: list[Path] = []

    def save(widget: QWidget, name: str) -> None:
        if screens is None or name in screens:
            paths.append(_save(widget, name, tag))

    welcome = WelcomeDialog()
    welcome.show()
    _settle(app)
    save(welcome, "welcome")
    welcome.remote.setChecked(True)
    _settle(app)
    save(welcome, "welcome-server")
    welcome.close()

    ctx = demo_context()
    window = MainWindow(ctx)
    window.resize(1100, 720)
    window.show()
    _settle(app)
    _retranslate_all(app)
    window.calls_page.list.setCurrentIndex(window.calls_page.model.index(1))
    _settle(app)
    save(window, "main-calls")
    ctx.history.set_entries(week_history(datetime.now(UTC)))
    window.calls_page.list.setCurrentIndex(window.calls_page.model.index(4))
    _settle(app)
    save(window, "main-calls-days")
    ctx.history.set_entries(sample_history(datetime.now(UTC)))
    _settle(app)

    ctx.calls.put(ActiveCall("in", "incoming", "202", "Bram Jansen", "incoming"))
    _settle(app)
    save(window, "call-incoming")
    ctx.calls.remove("in")
    ctx.calls.put(
        ActiveCall(
            "c",
            "outgoing",
            "+31201234567",
            "Carla Visser",
            "connected",
            connected_at=time.monotonic() - 83,
        )
    )
    _settle(app)
    layer = window.calls_layer
    if layer is not None:
        layer.windows["c"].keypad_button.click()
    _settle(app)
    save(window, "call-in-call")
    ctx.calls.remove("c")

    window.top_bar.search.setFocus()
    window.top_bar.search.setText("bram")
    ctx.directory.set_results("bram", sample_directory())
    window.top_bar.search._place()
    _settle(app)
    save(window, "search")
    window.top_bar.search.panel.hide()
    window.top_bar.search.clear()

    window.show_section("settings")
    _settle(app)
    save(window, "settings")
    ctx.audio.set_availability(False, "")
    _settle(app)
    save(window, "settings-no-sound-card")
    ctx.history.set_entries([])
    window.show_section("calls")
    _settle(app)
    save(window, "main-calls-empty")
    window.hide_on_close = True
    window.close()
    window.deleteLater()
    _settle(app)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--suffix", default="", help="added to each file name, e.g. @150")
    parser.add_argument("--only", default="", help="one of en-light, nl-light, en-dark, nl-dark")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    runs = [("en", False), ("nl", False), ("en", True), ("nl", True)]
    for lang, dark in runs:
        name = f"{lang}-{'dark' if dark else 'light'}"
        if args.only and args.only != name:
            continue
        for p in take_all(app, lang, dark, args.suffix):
            print(p)


if __name__ == "__main__":
    main()
