"""Guard against the PySide6 release whose signal emit drops a reference to ``True``.

PySide6 6.12.0 on Python 3.11 returns ``True`` from ``SignalInstance.emit`` without a new
reference; every emit takes one away and the process aborts in ``bool_dealloc`` after a few
thousand (the app emits many a second). pyproject.toml keeps that release out.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    changed = Signal(str)


def test_emitting_signals_keeps_the_refcount_of_true(qapp: object) -> None:
    emitter = _Emitter()
    before = sys.getrefcount(True)
    for _ in range(200):
        emitter.changed.emit("x")
    assert sys.getrefcount(True) - before > -50
