"""The desktop application core: session, stores, controllers, API client, settings.

No widgets here (``ui/`` renders what this package holds); QtCore only for signals,
QSettings and timers. See docs/desktop-app.md.
"""

from __future__ import annotations

from app.errors import AppError, AuthFailed, EmbeddedServerFailed, ServerRejected, ServerUnreachable
from app.numbers import extract_number

__all__ = [
    "AppError",
    "AuthFailed",
    "EmbeddedServerFailed",
    "ServerRejected",
    "ServerUnreachable",
    "extract_number",
]
