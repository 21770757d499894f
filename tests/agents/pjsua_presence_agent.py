"""The pjsua2 test agent (tests/agents/pjsua_agent.py) plus presence subscriptions (RFC 3856).

Run like the base agent. Added commands: ``buddy`` ``{"uri": "202"}`` subscribes to a
colleague's presence through the registered account (digest answered by pjsua) and replies
``{"buddy": N}``; ``unbuddy`` ``{"buddy": N}`` ends that subscription (``Expires: 0``);
``buddy_status`` replies with what pjsua last parsed. Added events: ``buddy_state`` (status
online/offline/unknown, the status text, the RPID activity, the note) and ``buddy_sub_state``
(the subscription's state with the termination code and reason).
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

import pjsua2 as pj

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.agents.pjsua_agent import CommandError, _Agent
from tests.agents.pjsua_agent import main as agent_main

_STATUS = {
    pj.PJSUA_BUDDY_STATUS_ONLINE: "online",
    pj.PJSUA_BUDDY_STATUS_OFFLINE: "offline",
    pj.PJSUA_BUDDY_STATUS_UNKNOWN: "unknown",
}
_ACTIVITY = {
    pj.PJRPID_ACTIVITY_AWAY: "away",
    pj.PJRPID_ACTIVITY_BUSY: "busy",
    pj.PJRPID_ACTIVITY_UNKNOWN: "unknown",
}


class _Buddy(pj.Buddy):  # type: ignore[misc]
    """Reports what pjsua makes of each NOTIFY and of the subscription's state."""

    def __init__(self, agent: _PresenceAgent, index: int) -> None:
        super().__init__()
        self._agent = agent
        self.index = index

    def describe(self) -> dict[str, Any]:
        info = self.getInfo()
        pres = info.presStatus
        return {
            "buddy": self.index,
            "uri": info.uri,
            "status": _STATUS.get(pres.status, str(pres.status)),
            "text": pres.statusText,
            "activity": _ACTIVITY.get(pres.activity, str(pres.activity)),
            "note": pres.note,
            "sub_state": info.subStateName,
            "term_code": int(info.subTermCode),
            "term_reason": info.subTermReason,
        }

    def onBuddyState(self) -> None:  # noqa: N802 - pjsua2 callback
        self._agent.emit("buddy_state", **self.describe())

    def onBuddyEvSubState(self, prm: Any) -> None:  # noqa: N802 - pjsua2 callback
        self._agent.emit("buddy_sub_state", **self.describe())


class _PresenceAgent(_Agent):
    """The base agent with a table of buddies, deleted before the accounts."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.buddies: dict[int, _Buddy] = {}

    def _cmd_buddy(self, c: dict[str, Any]) -> dict[str, Any]:
        if self.registered is None:
            raise CommandError("register first: presence goes through the account")
        cfg = pj.BuddyConfig()
        cfg.uri = self._uri(str(c["uri"]))
        cfg.subscribe = True
        buddy = _Buddy(self, len(self.buddies))
        buddy.create(self.registered, cfg)
        self.buddies[buddy.index] = buddy
        return {"buddy": buddy.index}

    def _buddy(self, c: dict[str, Any]) -> _Buddy:
        try:
            return self.buddies[int(c["buddy"])]
        except KeyError:
            raise CommandError(f"no such buddy: {c.get('buddy')}") from None

    def _cmd_unbuddy(self, c: dict[str, Any]) -> None:
        self._buddy(c).subscribePresence(False)

    def _cmd_buddy_status(self, c: dict[str, Any]) -> dict[str, Any]:
        return self._buddy(c).describe()

    def shutdown(self) -> None:
        for buddy in self.buddies.values():
            with contextlib.suppress(pj.Error):
                if buddy.isValid():
                    buddy.subscribePresence(False)
        for _ in range(20):
            self.ep.libHandleEvents(10)
        self.buddies.clear()
        super().shutdown()


def main(argv: list[str] | None = None) -> int:
    return agent_main(argv, _PresenceAgent, __doc__.splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
