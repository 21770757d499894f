"""Split a name-addr (RFC 3261 section 25.1 ``name-addr``) into display name and URI."""

from __future__ import annotations

__all__ = ["split_name_addr"]


def split_name_addr(value: str) -> tuple[str, str]:
    """Return ``(display_name, uri)`` of ``"Anna" <sip:201@pbx>`` or a bare URI."""
    text = value.strip()
    lt = text.find("<")
    if lt < 0:
        return "", text
    gt = text.find(">", lt)
    if gt < 0:
        raise ValueError(f"name-addr has no closing '>': {value!r}")
    name = text[:lt].strip()
    if len(name) >= 2 and name[0] == '"' and name[-1] == '"':
        name = name[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return name, text[lt + 1 : gt].strip()
