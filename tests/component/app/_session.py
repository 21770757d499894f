"""The app core signed in to its embedded PBX, and phones registered beside it (pjsua2 agents)."""

from __future__ import annotations

from app.context import AppContext
from app.stores import ConnectionState
from tests.support.agent import Agent


def online(ctx: AppContext) -> bool:
    """Signed in and the app's own phone registered."""
    return ctx.session.state is ConnectionState.ONLINE and ctx.session.registration.registered


def register_phone(agent: Agent, ctx: AppContext, user: str = "202") -> None:
    """Register ``agent`` as ``user`` at the app's embedded PBX."""
    info = ctx.session_ctl.embedded.info if ctx.session_ctl.embedded else None
    assert info is not None
    password = f"Demo-{user}!"
    agent.send("register", host="127.0.0.1", port=info.sip_udp, user=user, password=password)
    agent.wait_event("registered", timeout=10)
