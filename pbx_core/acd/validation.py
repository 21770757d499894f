"""Whether a queue fits the organisation (P9): its number is free, its members and supervisors
are users, its feature code is its own. Pure: the caller passes the users' extensions and the
other queues. The form of each setting is checked by :func:`pbx_core.acd.model.config_from_dict`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from pbx_core.acd.model import QueueConfig
from pbx_core.signaling.features import (
    CONFERENCE_ROOMS,
    ECHO_EXTENSION,
    PARK_EXTENSION,
    PARK_SLOTS,
    VOICEMAIL_NUMBER,
)

__all__ = ["PBX_NUMBERS", "queue_problem"]

PBX_NUMBERS = frozenset(
    {ECHO_EXTENSION, PARK_EXTENSION, VOICEMAIL_NUMBER, *PARK_SLOTS, *CONFERENCE_ROOMS}
)
"""The PBX's own numbers: park 7000-7019, conference rooms 8000-8009, the echo test 9000 and
voicemail 9100."""

_FORWARDS = ("full_forward", "timeout_forward", "no_agents_forward", "attempts_forward")


def queue_problem(
    config: QueueConfig, users: Collection[str], others: Iterable[QueueConfig]
) -> str | None:
    """Why ``config`` cannot be stored (None: it can). ``users``: every user's extension;
    ``others``: the other queues (the one of the same number, being replaced, left out)."""
    number = config.number
    if number in PBX_NUMBERS:
        return f"{number} is one of the PBX's own numbers"
    if number in users:
        return f"{number} is a user's extension"
    for member in config.members:
        if member.extension not in users:
            return f"member {member.extension} is not a user's extension"
    for supervisor in config.supervisors:
        if supervisor not in users:
            return f"supervisor {supervisor} is not a user's extension"
    for name in _FORWARDS:
        if getattr(config, name) == number:
            return f"{name} must not be the queue itself"
    code = config.feature_code
    for other in others:
        if other.number == number:
            continue
        if other.feature_code == code:
            return f"code {code} is already the code of queue {other.number}"
    return None
