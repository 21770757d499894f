"""pytest-qt set-up for the widget tests: offscreen, English unless a test switches."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from tests.ui.fakes import FakeContext


@pytest.fixture
def ctx() -> FakeContext:
    return FakeContext()
