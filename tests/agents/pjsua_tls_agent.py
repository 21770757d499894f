"""The pjsua2 test agent (tests/agents/pjsua_agent.py) plus a SIP/TLS transport and SRTP.

Run like the base agent. ``register`` also takes ``"transport": "tls"`` (the registrar URI and
calls then use ``;transport=tls``) and ``"srtp"``: ``off`` (default), ``optional`` or
``mandatory`` (pjsua's ``srtpUse``; keys are sent only over TLS unless ``"srtp_over_plain":
true``, for checking that the PBX refuses them). ``srtp_status`` replies with each call's media
transport info as pjsua reports it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pjsua2 as pj

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.agents._pjsua_process import account_config
from tests.agents.pjsua_agent import CommandError, _Agent
from tests.agents.pjsua_agent import main as agent_main

_SRTP = {
    "off": pj.PJMEDIA_SRTP_DISABLED,
    "optional": pj.PJMEDIA_SRTP_OPTIONAL,
    "mandatory": pj.PJMEDIA_SRTP_MANDATORY,
}


class _TlsAgent(_Agent):
    """The base agent with a TLS transport next to UDP and TCP."""

    def _create_transports(self) -> dict[str, tuple[int, int]]:
        transports = super()._create_transports()
        tls = pj.TransportConfig()
        tls.boundAddress = "127.0.0.1"
        tls.port = 0
        tls.tlsConfig.verifyServer = False  # the PBX's certificate is self-signed
        tls_id = self.ep.transportCreate(pj.PJSIP_TRANSPORT_TLS, tls)
        transports["tls"] = (tls_id, self._port_of(tls_id))
        return transports

    def _cmd_register(self, c: dict[str, Any]) -> dict[str, Any]:
        host, port = str(c["host"]), int(c["port"])
        transport = str(c.get("transport", "udp"))
        if transport not in self.transports:
            raise CommandError(f"unknown transport: {transport}")
        srtp = str(c.get("srtp", "off"))
        if srtp not in _SRTP:
            raise CommandError(f"unknown SRTP use: {srtp}")
        suffix = f";transport={transport}" if transport != "udp" else ""
        cfg = account_config(f"sip:{c['user']}@{c.get('domain', host)}")
        cfg.regConfig.registrarUri = f"sip:{host}:{port}{suffix}"
        cfg.regConfig.timeoutSec = int(c.get("expires", 300))
        cfg.regConfig.retryIntervalSec = 0
        cfg.sipConfig.transportId = self.transports[transport][0]
        cfg.mediaConfig.srtpUse = _SRTP[srtp]
        cfg.mediaConfig.srtpSecureSignaling = 0 if c.get("srtp_over_plain") else 1
        cred = pj.AuthCredInfo("digest", "*", str(c["user"]), 0, str(c["password"]))
        cfg.sipConfig.authCreds.append(cred)
        if self.registered is not None:
            raise CommandError("already registered; unregister first")
        self.registered = self.account_class(self)
        self.registered.create(cfg)
        self.server = (host, port, suffix)
        return {"uri": cfg.idUri, "tls_port": self.transports["tls"][1]}

    def _cmd_srtp_status(self, c: dict[str, Any]) -> dict[str, Any]:
        call = self._call(c)
        info = call.getMediaTransportInfo(0)
        return {"call": call.index, "local": info.localRtpName, "remote": info.srcRtpName}


def main(argv: list[str] | None = None) -> int:
    return agent_main(argv, _TlsAgent, __doc__.splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
