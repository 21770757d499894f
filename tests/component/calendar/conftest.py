"""A demo server subprocess shared by the calendar API tests of one module (the API tests'
fixtures, shared)."""

from __future__ import annotations

from tests.component.server.conftest import api, demo_server

__all__ = ["api", "demo_server"]
