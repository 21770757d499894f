"""Call recording on demand (docs/recording.md): a party of an answered call starts and stops
recording it; each recording is a WAV file of both sides mixed, kept for the user who started it.

Modules: ``book`` (pure: who records which call), ``models`` and ``repository`` (the
``call_recordings`` table), ``events`` (``recording.started`` / ``recording.stopped``),
``service`` (the driver on the loop) and ``attach`` (wiring into a running PBX).
"""
