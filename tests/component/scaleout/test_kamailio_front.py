"""Scale-out on loopback: Kamailio (deploy/kamailio/kamailio.cfg) in front of two PBX nodes on
one private PostgreSQL (docs/scale-out.md).

SIPp phones register through Kamailio (which adds its Path and picks a node by the user), calls
through Kamailio land on both nodes (by the Call-ID's hash; Kamailio's log says which node took
each call, the nodes' devices API that both know the callee's phone), the callee is reached
back through Kamailio by the Path, and after one node is killed (SIGKILL) new registrations
and calls go to the other.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support.api import bearer, login
from tests.support.kamailio import Front, kamailio_available, start_front
from tests.support.postgres import PrivateServer
from tests.support.server_process import RunningServer, start_server
from tests.support.sipp import SippUser, free_port, run_scenario, sipp_available, start_scenario

pytestmark = [
    pytest.mark.sipp,
    pytest.mark.skipif(not sipp_available(), reason="SIPp (sip-tester) is not installed"),
    pytest.mark.skipif(not kamailio_available(), reason="Kamailio is not installed"),
]

ANNA = SippUser("201", "Demo-201!", "202")  # calls Bram
BRAM = SippUser("202", "Demo-202!")
CHRIS = SippUser("203", "Demo-203!")
CHRIS_CALLS_BRAM = SippUser("203", "Demo-203!", "202")


@dataclass(slots=True)
class Cluster:
    nodes: list[RunningServer]
    front: Front
    workdir: Path
    database: str

    def stored_path(self, extension: str) -> list[str | None]:
        """The Path of each stored binding of ``extension`` (the shared database)."""
        import psycopg

        with psycopg.connect(self.database) as db:
            rows = db.execute("SELECT path FROM bindings WHERE extension = %s", (extension,))
            return [row[0] for row in rows]

    def sent_to(self, call_id: str) -> list[int]:
        """The nodes (0, 1) Kamailio sent the INVITEs of ``call_id`` to, in order (its log)."""
        found = re.findall(
            rf"\{{1 \d+ INVITE {re.escape(call_id)}\}} [^\n]*INVITE from \S+ to node "
            r"sip:127\.0\.0\.1:(\d+)",
            self.front.log(),
        )
        return [self.index(int(port)) for port in found]

    def answered_by(self, caller_messages: str) -> int:
        """The node that answered a call: its own address is the Contact of the 200 OK."""
        ports = set(re.findall(r"Contact: <sip:pbx@127\.0\.0\.1:(\d+)>", caller_messages))
        assert len(ports) == 1, caller_messages[-3000:]
        return self.index(int(ports.pop()))

    def index(self, port: int) -> int:
        return [n.sip_udp_port for n in self.nodes].index(port)


def _node_args(url: str, rtp: str) -> list[str]:
    """A cluster node: the shared database, followed every 0.5 s; no TLS, no voicemail, no
    keep-alive OPTIONS (SIPp would count them as calls)."""
    node = ["--database", url, "--cluster-sync", "0.5", "--rtp-ports", rtp]
    return [*node, "--sip-udp-keepalive", "0", "--sip-tls-port", "0", "--no-voicemail"]


@pytest.fixture
def cluster(tmp_path: Path, postgres_server: PrivateServer) -> Iterator[Cluster]:
    url = postgres_server.new_database()
    nodes: list[RunningServer] = []
    front: Front | None = None
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    try:
        # one after the other: the first loads the demo organisation, the second finds it
        nodes.append(start_server(tmp_path / "a", extra_args=_node_args(url, "31000-31099")))
        nodes.append(start_server(tmp_path / "b", extra_args=_node_args(url, "31100-31199")))
        front = start_front(tmp_path / "kamailio", [("127.0.0.1", n.sip_udp_port) for n in nodes])
        yield Cluster(nodes, front, tmp_path, url)
    finally:
        if front is not None:
            front.stop()
        for node in nodes:
            if node.process.poll() is None:
                node.stop()


def _register(cluster: Cluster, user: SippUser, port: int) -> None:
    run_scenario(
        "register_auth",
        cluster.workdir / "sipp",
        remote=cluster.front.address,
        users=[user],
        local_port=port,
        timeout_s=15,
    ).check()


def _call(cluster: Cluster, caller: SippUser, callee_port: int, number: int) -> int:
    """``caller`` calls through Kamailio; the callee's SIPp on ``callee_port`` answers.
    Returns the node that took the call (0, 1), as the caller and Kamailio saw it. The Call-ID
    is fixed (``scaleout-<number>-1``), so Kamailio's hash sends it to the same node every run."""
    call_id = f"scaleout-{number}-1"
    workdir = cluster.workdir / "sipp"
    with start_scenario("uas_answer", workdir, local_port=callee_port, timeout_s=15) as callee:
        result = run_scenario(
            "uac_call_bye",
            workdir,
            remote=cluster.front.address,
            users=[caller],
            timeout_s=15,
            extra_args=("-cid_str", f"scaleout-{number}-%u"),  # SIPp's first call: 1
        )
        answered = callee.wait()
    result.check()
    answered.check()
    # the node called Bram through Kamailio (his Path as Route set), which record-routed it
    assert f"Record-Route: <sip:127.0.0.1:{cluster.front.port};lr=on>" in answered.messages
    node = cluster.answered_by(result.messages)
    assert cluster.sent_to(call_id)[-1] == node, cluster.front.log()[-3000:]
    return node


def _devices(node: RunningServer, user: SippUser) -> list[dict[str, object]]:
    with httpx.Client(base_url=node.base_url, timeout=5) as api:
        token = login(api, user.user, user.password)
        response = api.get("/api/v1/me/devices", headers=bearer(token))
        assert response.status_code == 200, response.text
        devices = response.json()
        assert isinstance(devices, list)
        return devices


def _until_known(nodes: list[RunningServer], user: SippUser, port: int) -> None:
    """Every node lists the phone of ``user`` on ``port`` (the cluster sync took it)."""
    deadline = time.monotonic() + 10
    while True:
        missing = [
            n.sip_udp_port
            for n in nodes
            if not any(f":{port}" in str(d.get("contact")) for d in _devices(n, user))
        ]
        if not missing:
            return
        assert time.monotonic() < deadline, f"nodes {missing} do not know {user.user}:{port}"
        time.sleep(0.2)


def test_phones_register_and_call_through_kamailio_and_survive_a_node(
    cluster: Cluster,
) -> None:
    bram_port = free_port()
    _register(cluster, BRAM, bram_port)
    _until_known(cluster.nodes, BRAM, bram_port)
    assert cluster.stored_path("202") == [f"<sip:127.0.0.1:{cluster.front.port};lr>"]

    # calls land on both nodes; each reaches Bram back through Kamailio (his Path)
    served: list[int] = []
    for n in range(1, 11):
        served.append(_call(cluster, ANNA, bram_port, n))
        if len(served) >= 3 and set(served) == {0, 1}:
            break
    assert set(served) == {0, 1}, f"every call on one node: {served}"
    for node in cluster.nodes:
        assert node.process.poll() is None, node.stderr()[-2000:]

    # a node dies mid-day: the other takes new registrations and calls
    dead, alive = cluster.nodes[served[0]], cluster.nodes[1 - served[0]]
    dead.process.kill()  # SIGKILL: no goodbye, its calls and sockets just stop
    dead.process.wait(5)
    dead.stop()
    chris_port = free_port()
    _register(cluster, CHRIS, chris_port)
    _register(cluster, BRAM, bram_port)
    after: list[int] = []
    for n in range(20, 23):
        caller = CHRIS_CALLS_BRAM if n % 2 else ANNA
        after.append(_call(cluster, caller, bram_port, n))
    assert set(after) == {cluster.nodes.index(alive)}, after
    assert any(f":{chris_port}" in str(d.get("contact")) for d in _devices(alive, CHRIS))
