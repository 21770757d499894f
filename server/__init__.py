"""The PBX server process: command line, HTTP/WebSocket API, start-up and shutdown.

The package imports none of its modules, so importing one of them never drags in the others
(and no module can import another through the package): ``server.app.create_app`` builds the
API, ``server.cli.main`` runs the process, ``server.options.Options`` holds its settings.
"""

from __future__ import annotations

__all__: list[str] = []
