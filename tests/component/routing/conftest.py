"""The demo PBX with voicemail, routing and the API on a thread, and phones (the voicemail
tests' fixtures, shared)."""

from __future__ import annotations

from tests.component.voicemail.conftest import phones, vm_pbx

__all__ = ["phones", "vm_pbx"]
