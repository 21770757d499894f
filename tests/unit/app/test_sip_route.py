"""How the app reaches the server's SIP: TLS (and SRTP) to another computer that offers it,
UDP to the PBX on this computer, to an older server, or on a fixed port."""

from __future__ import annotations

import pytest

from app.controllers.session import sip_route
from app.errors import ServerUnreachable

_HEALTH = {"status": "ok", "sip_udp": 5060, "sip_tcp": 5060, "sip_tls": 5061}


@pytest.mark.parametrize(
    ("host", "health", "fixed", "route"),
    [
        ("pbx.example.com", _HEALTH, None, ("tls", 5061)),
        ("10.0.0.5", _HEALTH, None, ("tls", 5061)),
        ("[2001:db8::5]", _HEALTH, None, ("tls", 5061)),
        ("127.0.0.1", _HEALTH, None, ("udp", 5060)),
        ("localhost", _HEALTH, None, ("udp", 5060)),
        ("[::1]", _HEALTH, None, ("udp", 5060)),
        ("pbx.example.com", {**_HEALTH, "sip_tls": 0}, None, ("udp", 5060)),
        ("pbx.example.com", {"status": "ok", "sip_udp": 5070}, None, ("udp", 5070)),
        ("pbx.example.com", {}, 40123, ("udp", 40123)),
    ],
)
def test_the_route_to_the_servers_sip(
    host: str, health: dict[str, object], fixed: int | None, route: tuple[str, int]
) -> None:
    assert sip_route(host, health, fixed) == route


@pytest.mark.parametrize("health", [{}, {"sip_udp": "5060"}, {"sip_udp": 0}])
def test_a_health_answer_without_a_sip_port_is_said_plainly(health: dict[str, object]) -> None:
    with pytest.raises(ServerUnreachable, match="did not say where its phone service is"):
        sip_route("pbx.example.com", health)
