"""The pjsua2 test agent (``pjsua_agent.py``) with SIP MESSAGE (RFC 3428): same commands and
events, plus the command ``message`` (``{"cmd": "message", "to": "202", "text": "hi"}``, sent
through the registered account) and the events ``message`` (one received: ``from``, ``to``,
``content_type``, ``text``) and ``message_status`` (the final answer to one we sent: ``code``,
``reason``, ``to``, ``text``).

Run it like the base agent; ``tests/support/agent.py`` starts it when its ``AGENT_SCRIPT`` names
this file.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pjsua2 as pj

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.agents import pjsua_agent as base

MESSAGING_AGENT_SCRIPT = Path(__file__).resolve()


class _MessagingAccount(base._Account):
    """The base account that also reports MESSAGEs received and the answers to ours."""

    def onInstantMessage(self, prm: Any) -> None:  # noqa: N802 - pjsua2 callback
        self._agent.emit(
            "message",
            **{"from": str(prm.fromUri), "to": str(prm.toUri)},
            content_type=str(prm.contentType),
            text=str(prm.msgBody),
        )

    def onInstantMessageStatus(self, prm: Any) -> None:  # noqa: N802 - pjsua2 callback
        self._agent.emit(
            "message_status",
            code=int(prm.code),
            reason=str(prm.reason),
            to=str(prm.toUri),
            text=str(prm.msgBody),
        )


class _MessagingAgent(base._Agent):
    """The base agent with a ``message`` command; buddies live until shutdown."""

    account_class = _MessagingAccount

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.buddies: list[pj.Buddy] = []
        super().__init__(*args, **kwargs)

    def _cmd_message(self, c: dict[str, Any]) -> dict[str, Any]:
        if self.registered is None:
            raise base.CommandError("register first: MESSAGE goes through the PBX")
        uri = self._uri(str(c["to"]))
        cfg = pj.BuddyConfig()
        cfg.uri = uri
        cfg.subscribe = False
        buddy = pj.Buddy()
        buddy.create(self.registered, cfg)
        prm = pj.SendInstantMessageParam()
        prm.content = str(c["text"])
        prm.contentType = str(c.get("content_type", "text/plain"))
        buddy.sendInstantMessage(prm)
        self.buddies.append(buddy)
        return {"uri": uri}

    def shutdown(self) -> None:
        self.buddies.clear()
        super().shutdown()


def main() -> int:
    return base.main(None, _MessagingAgent)


if __name__ == "__main__":
    sys.exit(main())
