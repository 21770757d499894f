"""``python -m server``: run the PBX server (see :mod:`server.cli`)."""

from __future__ import annotations

from server.cli import main

raise SystemExit(main())
