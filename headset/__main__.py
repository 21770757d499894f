"""Support command: ``python -m headset list | inspect DESCRIPTOR | inspect --live PATH``."""

from __future__ import annotations

import sys

from headset.cli import main

sys.exit(main(sys.argv[1:]))
