"""DTMF in SIP INFO (``application/dtmf-relay``, the de-facto format of desk phones, and
``application/dtmf``). Pure: the digit of an INFO body, or None.

Digits reach the same place whichever way a phone sends them: RFC 4733 packets and in-band
tones are found by the media leg, INFO by the call machine; both end at the leg's ``on_dtmf``.
"""

from __future__ import annotations

__all__ = ["DTMF_INFO_TYPES", "digit_of_info"]

DTMF_INFO_TYPES = ("application/dtmf-relay", "application/dtmf")
_DIGITS = "0123456789*#ABCD"
_EVENTS = {str(n): d for n, d in enumerate(_DIGITS)}  # RFC 4733 event codes 0-15


def digit_of_info(content_type: str | None, body: bytes) -> str | None:
    """``Signal=5`` (dtmf-relay) or ``5`` (dtmf); event codes 10-15 as ``*#ABCD``."""
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind not in DTMF_INFO_TYPES:
        return None
    text = body.decode("utf-8", "replace").strip()
    if kind == "application/dtmf-relay":
        fields = {}
        for line in text.splitlines():
            name, sep, value = line.partition("=")
            if sep:
                fields[name.strip().lower()] = value.strip()
        text = fields.get("signal", "")
    value = text.upper()
    if value in _DIGITS and len(value) == 1:
        return value
    if value in _EVENTS and kind == "application/dtmf":
        return _EVENTS[value]
    return None
