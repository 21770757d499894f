"""What the voicemail says in words: the default greeting with the user's activity (seed 004),
as prompt names for :func:`pbx_core.media.prompts.prompt_path`."""

from __future__ import annotations

import datetime as dt

__all__ = ["GROUP_GREETING", "greeting_prompts"]

GROUP_GREETING = ("vm-group-unavailable",)  # a group inbox: "Nobody can take your call ..."


def greeting_prompts(
    extension: str,
    status: str = "available",
    until: dt.datetime | None = None,
    *,
    language: str = "en",
    now: dt.datetime | None = None,
) -> tuple[str, ...]:
    """The default greeting: "The person at extension 2 0 2 is not available...", or with the
    user's activity (seed 004): "... is in a meeting until 3 15 p m. Please leave a message
    ...". The end is said when it is later today (local time of the PBX)."""
    digits = tuple(f"digit-{c}" for c in extension if c.isdigit())
    if status not in _ACTIVITIES:
        return ("vm-extension", *digits, "vm-unavailable")
    ends = _until_prompts(until, language, now or dt.datetime.now(dt.UTC))
    activity = f"vm-is-{status.replace('_', '-')}"  # prompt names have no "_"
    return ("vm-extension", *digits, activity, *ends, "vm-leave")


_ACTIVITIES = frozenset({"meeting", "not_present", "vacation", "lunch", "business_trip", "dnd"})


def _until_prompts(until: dt.datetime | None, language: str, now: dt.datetime) -> tuple[str, ...]:
    """The end said as "until 3 15 p m" (English) or "tot 15 uur 15" (Dutch); nothing unless
    it is later today."""
    if until is None or until <= now:
        return ()
    local = until.astimezone()
    if local.date() != now.astimezone().date():
        return ()
    hour, minute = local.hour, local.minute
    if language == "nl":
        minutes = (f"number-{minute}",) if minute else ()
        return ("vm-until", f"number-{hour}", "time-uur", *minutes)
    if minute == 0:
        minutes = ()
    else:
        minutes = (f"minute-0{minute}",) if minute < 10 else (f"number-{minute}",)
    half = "time-pm" if hour >= 12 else "time-am"
    return ("vm-until", f"number-{hour % 12 or 12}", *minutes, half)
