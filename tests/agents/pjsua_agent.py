"""A pjsua2 SIP user agent driven over stdin/stdout with JSON lines, for tests.

Run as its own process: ``python tests/agents/pjsua_agent.py --log-file agent.log``. Each stdin
line is a command ``{"cmd": "call", "uri": "sip:202@127.0.0.1:5060", "id": 3}``; each stdout
line is a reply ``{"reply": "call", "id": 3, "ok": true, "call": 0}`` or an event
``{"event": "call_state", "call": 0, "state": "CONFIRMED", ...}``. Commands: register,
unregister, call, answer, hangup, hold, resume, send_dtmf, transfer, transfer_replaces, play,
stop_play, record, stop_record, status (with each call's SIP Call-ID and dialog tags), quit
(see ``_Agent._cmd_*``). Events: ready, registered,
unregistered, registration_failed, incoming_call (with ``referred_by``, ``x_queue``), call_state,
media_state, media_active, dtmf, transfer_status, exited.

pjsua2 is used from this one thread only (``threadCnt = 0``, ``mainThreadOnly``): the main loop
alternates ``libHandleEvents`` with commands that a reader thread queues from stdin. Audio has no
device (null device, conference bridge clocked on its own); VAD and echo cancelling are off,
Speex is disabled (it garbles pure tones), RTP binds to loopback. A silent looping player always
feeds the recorder so a recording keeps wall-clock time when no RTP arrives. The agent exits on
``quit``, on stdin EOF, on SIGTERM and when its parent dies.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import queue
import signal
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import pjsua2 as pj

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.agents._pjsua_calls import AgentCall, Emitter, header_value, media_status_name
from tests.agents._pjsua_process import (
    account_config,
    die_with_parent,
    endpoint_config,
    parse_args,
    read_commands,
    wav_complete,
    write_silence,
)

_LOOP_MS = 10


class CommandError(Exception):
    """A command that cannot be carried out; the reply says why."""


class _Account(pj.Account):  # type: ignore[misc]
    """Reports registration state and hands incoming calls to the agent."""

    def __init__(self, agent: _Agent) -> None:
        super().__init__()
        self._agent = agent
        self.reg_reported = False

    def onRegState(self, prm: Any) -> None:  # noqa: N802 - pjsua2 callback
        info = self.getInfo()
        self.reg_reported = True
        code = int(prm.code)
        if 200 <= code < 300:
            name = "registered" if int(prm.expiration) > 0 else "unregistered"
        else:
            name = "registration_failed"
        self._agent.emit(
            name, code=code, reason=str(prm.reason), expires=int(prm.expiration), uri=info.uri
        )

    def onIncomingCall(self, prm: Any) -> None:  # noqa: N802 - pjsua2 callback
        self._agent.incoming(self, int(prm.callId), str(prm.rdata.wholeMsg))

    def onMwiInfo(self, prm: Any) -> None:  # noqa: N802 - pjsua2 callback
        """A message-summary NOTIFY (RFC 3842) for a ``register`` with ``"mwi": true``."""
        message = str(prm.rdata.wholeMsg)
        body = message.split("\r\n\r\n", 1)[1] if "\r\n\r\n" in message else ""
        self._agent.emit("mwi", body=body)


class _Agent:
    """Owns the endpoint, the accounts, the calls and the media; runs the command loop."""

    account_class: type[_Account] = _Account  # a subclass may take more account callbacks

    def __init__(self, args: argparse.Namespace, emitter: Emitter) -> None:
        self.args = args
        self.emitter = emitter
        self.commands: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.running = True
        self.calls: dict[int, AgentCall] = {}
        self.dead_calls: list[AgentCall] = []
        self.player: pj.AudioMediaPlayer | None = None
        self.recorder: pj.AudioMediaRecorder | None = None
        self.silence: pj.AudioMediaPlayer | None = None
        self.registered: _Account | None = None
        self.server: tuple[str, int, str] = ("", 0, "")
        self.record_path = Path()
        self.tmpdir = tempfile.TemporaryDirectory(prefix="pjsua-agent-")
        self.ep = pj.Endpoint()
        self.ep.libCreate()
        self.ep.libInit(endpoint_config(self.args))
        self.ep.audDevManager().setNullDev()
        self.transports = self._create_transports()
        self.ep.libStart()
        self._set_codec_priorities()
        self.local = self._local_account()

    # -- set-up -------------------------------------------------------------------------

    def _create_transports(self) -> dict[str, tuple[int, int]]:
        udp = pj.TransportConfig()
        udp.boundAddress = "127.0.0.1"
        udp.port = self.args.sip_port
        udp_id = self.ep.transportCreate(pj.PJSIP_TRANSPORT_UDP, udp)
        udp_port = self._port_of(udp_id)
        tcp = pj.TransportConfig()
        tcp.boundAddress = "127.0.0.1"
        tcp.port = udp_port
        try:
            tcp_id = self.ep.transportCreate(pj.PJSIP_TRANSPORT_TCP, tcp)
        except pj.Error:
            tcp.port = 0
            tcp_id = self.ep.transportCreate(pj.PJSIP_TRANSPORT_TCP, tcp)
        return {"udp": (udp_id, udp_port), "tcp": (tcp_id, self._port_of(tcp_id))}

    def _port_of(self, transport_id: int) -> int:
        return int(self.ep.transportGetInfo(transport_id).localName.rsplit(":", 1)[1])

    def _set_codec_priorities(self) -> None:
        preferred = [c.lower() for c in self.args.codec]
        for codec in self.ep.codecEnum2():
            name = str(codec.codecId)
            base = name.split("/")[0].lower()
            if base == "speex" or (self.args.only_listed and base not in preferred):
                priority = 0
            elif base in preferred:
                priority = 255 - preferred.index(base)
            else:
                priority = min(int(codec.priority), 100)
            self.ep.codecSetPriority(name, priority)

    def _local_account(self) -> _Account:
        udp_port = self.transports["udp"][1]
        cfg = account_config(f"sip:{self.args.name}@127.0.0.1:{udp_port}")
        acc = self.account_class(self)
        acc.create(cfg, True)
        return acc

    # -- events -------------------------------------------------------------------------

    def emit(self, name: str, **fields: Any) -> None:
        self.emitter.write({"event": name, **fields})

    def incoming(self, account: _Account, call_id: int, message: str) -> None:
        call = AgentCall(self, account, call_id)
        self.calls[call.index] = call
        info = call.getInfo()
        self.emit(
            "incoming_call",
            call=call.index,
            **{"from": info.remoteUri, "to": info.localUri, "sip_call_id": info.callIdString},
            referred_by=header_value(message, "Referred-By", "b"),
            x_queue=header_value(message, "X-Queue"),
        )
        if self.args.auto_ring:
            prm = pj.CallOpParam()
            prm.statusCode = 180
            call.answer(prm)

    def call_ended(self, call: AgentCall) -> None:
        """Called from onCallState; the object is released later, outside the callback."""
        self.calls.pop(call.index, None)
        self.dead_calls.append(call)

    def connect_media(self, call: AgentCall, media: pj.AudioMedia) -> None:
        """Wire the call into the bridge: our player to the peer, the peer to our recorder and
        to the (null) speaker, as a phone plays what it hears. The bridge reads a port only
        while it has a listener: without the speaker, the stream's jitter buffer would fill
        with stale audio between two recordings and replay it at the start of the next."""
        if self.player is not None:
            self.player.startTransmit(media)
        if self.recorder is not None:
            media.startTransmit(self.recorder)
        media.startTransmit(self.ep.audDevManager().getPlaybackDevMedia())
        call.media = media

    # -- main loop ----------------------------------------------------------------------

    def run(self) -> None:
        tcp_port = self.transports["tcp"][1]
        self.emit("ready", sip_port=self.transports["udp"][1], tcp_port=tcp_port, pid=os.getpid())
        parent = os.getppid()
        while self.running:
            self.ep.libHandleEvents(_LOOP_MS)
            self.dead_calls.clear()
            if os.getppid() != parent or self.emitter.broken:
                break
            with contextlib.suppress(queue.Empty):
                while self.running:
                    command = self.commands.get_nowait()
                    if command is None:
                        self.running = False
                    else:
                        self._dispatch(command)

    def _dispatch(self, command: dict[str, Any]) -> None:
        name = str(command.get("cmd", ""))
        reply: dict[str, Any] = {"reply": name, "id": command.get("id")}
        handler = getattr(self, f"_cmd_{name}", None)
        try:
            if handler is None:
                raise CommandError(f"unknown command: {name!r}")
            result = handler(command)
            reply.update(ok=True, **(result or {}))
        except (CommandError, pj.Error, KeyError, ValueError, TypeError) as exc:
            text = exc.info() if isinstance(exc, pj.Error) else str(exc)
            reply.update(ok=False, error=text)
        self.emitter.write(reply)

    def _call(self, command: dict[str, Any]) -> AgentCall:
        index = command.get("call")
        if index is None:
            if len(self.calls) != 1:
                raise CommandError(f"name the call: {len(self.calls)} calls exist")
            return next(iter(self.calls.values()))
        try:
            return self.calls[int(index)]
        except KeyError:
            raise CommandError(f"no such call: {index}") from None

    # -- commands -----------------------------------------------------------------------

    def _cmd_register(self, c: dict[str, Any]) -> dict[str, Any]:
        host, port = str(c["host"]), int(c["port"])
        transport = str(c.get("transport", "udp"))
        if transport not in self.transports:
            raise CommandError(f"unknown transport: {transport}")
        domain = str(c.get("domain", host))
        suffix = ";transport=tcp" if transport == "tcp" else ""
        cfg = account_config(f"sip:{c['user']}@{domain}")
        cfg.regConfig.registrarUri = f"sip:{host}:{port}{suffix}"
        cfg.regConfig.timeoutSec = int(c.get("expires", 300))
        cfg.regConfig.retryIntervalSec = 0
        cfg.sipConfig.transportId = self.transports[transport][0]
        if c.get("outbound_proxy", False):
            cfg.sipConfig.proxies.append(f"sip:{host}:{port}{suffix};lr")
        if c.get("mwi", False):  # SUBSCRIBE to its own message-summary; NOTIFYs come as "mwi"
            cfg.mwiConfig.enabled = True
        cred = pj.AuthCredInfo(
            "digest", str(c.get("realm", "*")), str(c["user"]), 0, str(c["password"])
        )
        cfg.sipConfig.authCreds.append(cred)
        if self.registered is not None:
            raise CommandError("already registered; unregister first")
        self.registered = self.account_class(self)
        self.registered.create(cfg)
        self.server = (host, port, suffix)
        return {"uri": cfg.idUri}

    def _cmd_unregister(self, c: dict[str, Any]) -> None:
        if self.registered is None:
            raise CommandError("not registered")
        self.registered.setRegistration(False)

    def _uri(self, target: str) -> str:
        """A SIP URI as given, or a bare number made a URI at the registrar."""
        if target.startswith("sip:"):
            return target
        if self.registered is None:
            raise CommandError(f"not a SIP URI and no server to call through: {target}")
        host, port, suffix = self.server
        return f"sip:{target}@{host}:{port}{suffix}"

    def _cmd_call(self, c: dict[str, Any]) -> dict[str, Any]:
        """Call ``uri``; ``headers`` (name: value) go into the INVITE."""
        uri = self._uri(str(c["uri"]))
        account = self.registered if self.registered is not None else self.local
        call = AgentCall(self, account)
        prm = pj.CallOpParam(True)
        for name, value in dict(c.get("headers", {})).items():  # e.g. Replaces (RFC 3891)
            header = pj.SipHeader()
            header.hName, header.hValue = str(name), str(value)
            prm.txOption.headers.append(header)
        call.makeCall(uri, prm)
        self.calls[call.index] = call
        return {"call": call.index, "uri": uri}

    def _cmd_answer(self, c: dict[str, Any]) -> dict[str, Any]:
        call = self._call(c)
        prm = pj.CallOpParam()
        prm.statusCode = int(c.get("code", 200))
        call.answer(prm)
        return {"call": call.index}

    def _cmd_hangup(self, c: dict[str, Any]) -> dict[str, Any]:
        call = self._call(c)
        prm = pj.CallOpParam()
        if "code" in c:
            prm.statusCode = int(c["code"])
        call.hangup(prm)
        return {"call": call.index}

    def _cmd_hold(self, c: dict[str, Any]) -> dict[str, Any]:
        call = self._call(c)
        call.set_hold(mute=bool(c.get("mute", False)))
        return {"call": call.index}

    def _cmd_resume(self, c: dict[str, Any]) -> dict[str, Any]:
        call = self._call(c)
        call.resume()
        return {"call": call.index}

    def _cmd_send_dtmf(self, c: dict[str, Any]) -> dict[str, Any]:
        """``digits`` as RFC 4733 events, or with ``method`` "info" as SIP INFO
        (application/dtmf-relay, as desk phones send them)."""
        call = self._call(c)
        if c.get("method", "rfc4733") == "info":
            prm = pj.CallSendDtmfParam()
            prm.method = pj.PJSUA_DTMF_METHOD_SIP_INFO
            prm.digits = str(c["digits"])
            call.sendDtmf(prm)
        else:
            call.dialDtmf(str(c["digits"]))
        return {"call": call.index}

    def _cmd_transfer(self, c: dict[str, Any]) -> dict[str, Any]:
        """Blind transfer of ``call`` to ``target`` (number or URI); ``keep`` keeps the call
        after the final 2xx NOTIFY instead of hanging up."""
        call = self._call(c)
        uri = self._uri(str(c["target"]))
        call.transfer(uri, keep=bool(c.get("keep", False)))
        return {"call": call.index, "uri": uri}

    def _cmd_transfer_replaces(self, c: dict[str, Any]) -> dict[str, Any]:
        """Attended transfer: the party of ``call`` replaces us in ``other``."""
        call = self._call(c)
        other = self._call({"call": c["other"]})
        if other is call:
            raise CommandError("a call cannot replace itself")
        call.transfer_replaces(other, keep=bool(c.get("keep", False)))
        return {"call": call.index, "other": other.index}

    def _cmd_play(self, c: dict[str, Any]) -> None:
        self._cmd_stop_play(c)
        player = pj.AudioMediaPlayer()
        player.createPlayer(str(c["file"]), 0)
        self.player = player
        for call in self.calls.values():
            if call.media is not None:
                player.startTransmit(call.media)

    def _cmd_stop_play(self, c: dict[str, Any]) -> None:
        player, self.player = self.player, None
        if player is not None:
            for call in self.calls.values():
                if call.media is not None:
                    with contextlib.suppress(pj.Error):
                        player.stopTransmit(call.media)
            del player

    def _cmd_record(self, c: dict[str, Any]) -> None:
        self._cmd_stop_record(c)
        if self.silence is None:
            path = Path(self.tmpdir.name) / "silence.wav"
            write_silence(path, self.args.clock_rate)
            self.silence = pj.AudioMediaPlayer()
            self.silence.createPlayer(str(path), 0)
        recorder = pj.AudioMediaRecorder()
        self.record_path = Path(c["file"])
        recorder.createRecorder(str(self.record_path))
        self.silence.startTransmit(recorder)
        for call in self.calls.values():
            if call.media is not None:
                call.media.startTransmit(recorder)
        self.recorder = recorder

    def _cmd_stop_record(self, c: dict[str, Any]) -> None:
        recorder, self.recorder = self.recorder, None
        if recorder is None:
            return
        del recorder
        # The bridge removes the port on its clock thread, and only then does the writer close
        # and fill in the WAV sizes: reply once the file is complete.
        for _ in range(300):
            if wav_complete(self.record_path):
                return
            self.ep.libHandleEvents(_LOOP_MS)
        raise CommandError(f"recording not finalised: {self.record_path}")

    def _cmd_status(self, c: dict[str, Any]) -> dict[str, Any]:
        calls = []
        for call in self.calls.values():
            info = call.getInfo()
            status = [media_status_name(m.status) for m in info.media]
            calls.append(
                {
                    "call": call.index,
                    "state": info.stateText,
                    "media": status,
                    "call_id": info.callIdString,
                    "local_tag": call.tags[0] if call.tags else None,
                    "remote_tag": call.tags[1] if call.tags else None,
                }
            )
        return {"calls": calls, "registered": self.registered is not None}

    def _cmd_quit(self, c: dict[str, Any]) -> None:
        self.running = False

    # -- tear-down ----------------------------------------------------------------------

    def shutdown(self) -> None:
        """Hang up, unregister, release media and calls, then destroy the library (in that
        order), so no stale binding or dialog outlives the agent on the server."""
        with contextlib.suppress(pj.Error):
            self.ep.hangupAllCalls()
            for _ in range(20):
                self.ep.libHandleEvents(_LOOP_MS)
        if self.registered is not None and not self.emitter.broken:
            with contextlib.suppress(pj.Error):
                if self.registered.getInfo().regIsActive:
                    self.registered.reg_reported = False
                    self.registered.setRegistration(False)
                    for _ in range(100):
                        self.ep.libHandleEvents(_LOOP_MS)
                        if self.registered.reg_reported:
                            break
        self._cmd_stop_record({})
        self._cmd_stop_play({})
        self.silence = None
        self.calls.clear()
        self.dead_calls.clear()
        for acc in (self.registered, self.local):
            if acc is not None:
                with contextlib.suppress(pj.Error):
                    acc.shutdown()
        self.registered = None
        del self.local
        self.ep.libDestroy(pj.PJSUA_DESTROY_NO_NETWORK)
        self.tmpdir.cleanup()


def main(
    argv: list[str] | None = None,
    agent_class: type[_Agent] | None = None,
    description: str | None = None,
) -> int:
    """Run an agent (``agent_class``: a subclass with more commands) until SIGTERM or EOF."""
    args = parse_args(argv, description or __doc__.splitlines()[0])
    die_with_parent()
    # The library prints to fd 1 before its log settings apply: keep the JSON channel apart.
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    emitter = Emitter(channel)
    agent = (agent_class or _Agent)(args, emitter)
    signal.signal(signal.SIGTERM, lambda *_: setattr(agent, "running", False))
    reader = threading.Thread(target=read_commands, args=(agent.commands, emitter), daemon=True)
    reader.start()
    try:
        agent.run()
    finally:
        agent.shutdown()
        emitter.write({"event": "exited"})
        with contextlib.suppress(OSError):
            channel.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
