"""Sections of the Settings page that stand on their own."""

from __future__ import annotations

from ui.pages.headset_settings import (
    HeadsetAction,
    HeadsetSettings,
    headset_action,
    headset_section,
)

__all__ = ["HeadsetAction", "HeadsetSettings", "headset_action", "headset_section"]
