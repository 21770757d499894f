"""Whole-suite set-up: one QApplication for every test that needs Qt.

The suite runs in one process. Qt allows one application object per process, and pytest-qt's
``qapp`` needs it to be a QApplication (widgets), so it is made here, offscreen, before any
test can make a plain QCoreApplication (the headless app core does when none exists).
"""

from __future__ import annotations

import os

import pytest

from tests.support.postgres import postgres_server, store_url

__all__ = ["postgres_server", "store_url"]  # fixtures for every test: a private PostgreSQL

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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from tests.support import own_process

    if not own_process.in_child():
        own_process.widen_timeouts(items, _default_timeout(config))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> bool | None:
    """A test marked ``own_process`` runs in a child process (tests/support/own_process.py)."""
    from tests.support import own_process

    if own_process.in_child() or item.get_closest_marker(own_process.MARKER) is None:
        return None
    own_process.run_in_child(item, item.config.rootpath, _default_timeout(item.config))
    # what the items before set up here and this one's successor does not need goes now, as
    # the regular protocol would do after it (else the next test's setup finds it still up)
    item.session._setupstate.teardown_exact(nextitem)
    return True


def _default_timeout(config: pytest.Config) -> float:
    try:
        return float(config.getini("timeout") or 120)
    except (ValueError, KeyError):
        return 120.0
