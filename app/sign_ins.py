"""The user's sign-ins (API sessions) as the server lists them, parsed once at the edge.

``GET /api/v1/me/sessions`` names each session by a public id (never its token), when it began
and was last used, the sign-in's ``User-Agent`` and address, and which one is this app's own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from app.server_events import parse_until

__all__ = ["SignIn", "program_of"]


@dataclass(frozen=True, slots=True)
class SignIn:
    id: str
    created: dt.datetime
    last_used: dt.datetime
    expires: dt.datetime
    user_agent: str | None
    source: str | None
    current: bool

    @classmethod
    def from_api(cls, row: Mapping[str, object]) -> SignIn:
        """``ValueError`` names a bad field."""
        sid = row.get("id")
        if not isinstance(sid, str) or not sid:
            raise ValueError("sign-in: id must be text")
        times = {}
        for name in ("created", "last_used", "expires"):
            value = row.get(name)
            when = parse_until(value) if isinstance(value, str) else None
            if when is None:
                raise ValueError(f"sign-in: {name} must be a time")
            times[name] = when
        agent, source = row.get("user_agent"), row.get("source")
        return cls(
            sid,
            times["created"],
            times["last_used"],
            times["expires"],
            agent if isinstance(agent, str) and agent else None,
            source if isinstance(source, str) and source else None,
            row.get("current") is True,
        )


def program_of(user_agent: str | None) -> str:
    """What signed in, in a few words: "AcmePhone 0.1.0", a browser, a script, or the raw agent."""
    if not user_agent:
        return ""
    if user_agent.startswith("AcmePhone/"):
        return "AcmePhone " + user_agent.split("/", 1)[1].split(" ", 1)[0]
    for marker, name in (("Firefox/", "Firefox"), ("Edg/", "Edge"), ("Chrome/", "Chrome")):
        if marker in user_agent:
            return name
    if "Safari/" in user_agent:
        return "Safari"
    return user_agent.split(" ", 1)[0][:40]
