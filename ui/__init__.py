"""The desktop widgets: render `app/` stores and call its controllers (docs/ui.md).

Imports nothing: the entry is `ui.main.run`, called by the composition root `app/__main__.py`.
"""
