"""pytest-qt set-up for the widget tests: offscreen, English unless a test switches."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtWidgets import QApplication

from tests.ui.fakes import FakeContext
from ui.i18n import Translations


@pytest.fixture(autouse=True)
def english(qapp: QApplication) -> None:
    """The English catalogue (it holds the plural forms), whatever a test before installed."""
    Translations(qapp).install("en")


@pytest.fixture
def ctx() -> FakeContext:
    return FakeContext()
