"""Developer tools, not shipped: screenshots, the translation build, the ringtone build.

Run from the repository root: ``.venv/bin/python -m tools.i18n_build``,
``.venv/bin/python -m tools.ringtone_build``, ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m
tools.screenshots``.
"""
