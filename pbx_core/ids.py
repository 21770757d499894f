"""Identifier types shared across the PBX core (``NewType`` so mypy keeps them apart)."""

from __future__ import annotations

from typing import NewType

__all__ = ["CallId", "Extension", "LegId", "UserId"]

UserId = NewType("UserId", int)
Extension = NewType("Extension", str)
LegId = NewType("LegId", str)
CallId = NewType("CallId", str)
