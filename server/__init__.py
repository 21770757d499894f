"""The PBX server process: command line, HTTP/WebSocket API, start-up and shutdown."""

from __future__ import annotations

from server.app import API_VERSION, create_app

__all__ = ["API_VERSION", "create_app"]
