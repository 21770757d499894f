"""Whole-suite set-up: one QApplication for every test that needs Qt.

The suite runs in one process. Qt allows one application object per process, and pytest-qt's
``qapp`` needs it to be a QApplication (widgets), so it is made here, offscreen, before any
test can make a plain QCoreApplication (the headless app core does when none exists).
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# the machine configuration of the tests (and of the apps they start): no update feed
os.environ.setdefault(
    "ACME_MACHINE_CONFIG",
    os.path.join(os.path.dirname(__file__), "fixtures", "machine", "tests.toml"),
)


def pytest_configure(config: pytest.Config) -> None:
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        config._acme_qapp = QApplication(["pytest"])  # type: ignore[attr-defined]
