"""Process plumbing and pjsua2 settings of the test agent (tests/agents/pjsua_agent.py).

Arguments, the stdin command reader, dying with the parent, the endpoint and account settings
every agent uses, and the WAV helpers of its recorder.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import queue
import signal
import sys
import wave
from pathlib import Path
from typing import Any

import pjsua2 as pj

from tests.agents._pjsua_calls import Emitter

_PR_SET_PDEATHSIG = 1


def endpoint_config(args: argparse.Namespace) -> pj.EpConfig:
    """No threads of its own, no VAD or echo cancelling, the log in a file."""
    cfg = pj.EpConfig()
    cfg.uaConfig.threadCnt = 0
    cfg.uaConfig.mainThreadOnly = True
    cfg.uaConfig.userAgent = f"pjsua-test-agent/{args.name}"
    cfg.logConfig.filename = args.log_file
    cfg.logConfig.fileFlags = pj.PJ_O_APPEND
    cfg.logConfig.level = args.log_level
    cfg.logConfig.consoleLevel = 0
    cfg.medConfig.noVad = True
    cfg.medConfig.ecTailLen = 0
    cfg.medConfig.clockRate = args.clock_rate
    cfg.medConfig.sndClockRate = args.clock_rate
    return cfg


def account_config(id_uri: str) -> pj.AccountConfig:
    """An account on loopback media with every NAT helper off."""
    cfg = pj.AccountConfig()
    cfg.idUri = id_uri
    cfg.mediaConfig.transportConfig.boundAddress = "127.0.0.1"
    cfg.mediaConfig.transportConfig.port = 0
    cfg.natConfig.iceEnabled = False
    cfg.natConfig.sipOutboundUse = 0
    cfg.natConfig.contactRewriteUse = 0
    cfg.natConfig.viaRewriteUse = 0
    cfg.natConfig.sdpNatRewriteUse = 0
    return cfg


def write_silence(path: Path, rate: int) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\0\0" * rate)


def wav_complete(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            header = f.read(8)
    except OSError:
        return False
    return len(header) == 8 and header[:4] == b"RIFF" and header[4:8] != b"\0\0\0\0"


def read_commands(commands: queue.Queue[dict[str, Any] | None], emitter: Emitter) -> None:
    """Queue stdin lines for the main loop; None marks EOF."""
    for line in sys.stdin:
        text = line.strip()
        if not text:
            continue
        try:
            command = json.loads(text)
            if not isinstance(command, dict):
                raise ValueError("a command is a JSON object")
        except ValueError as exc:
            emitter.write({"reply": None, "ok": False, "error": f"bad command: {exc}"})
            continue
        commands.put(command)
    commands.put(None)


def die_with_parent() -> None:
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def parse_args(argv: list[str] | None, description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--log-file", required=True, help="pjsua log file")
    parser.add_argument("--log-level", type=int, default=4)
    parser.add_argument("--name", default="agent", help="user part of the local account")
    parser.add_argument("--sip-port", type=int, default=0, help="UDP (and TCP) port; 0 = free")
    parser.add_argument(
        "--codec",
        action="append",
        default=[],
        help="preferred codec, highest first (repeat); default PCMU, PCMA, G722",
    )
    parser.add_argument("--only-listed", action="store_true", help="disable other codecs")
    parser.add_argument("--clock-rate", type=int, default=16000)
    parser.add_argument("--no-auto-ring", dest="auto_ring", action="store_false")
    args = parser.parse_args(argv)
    if not args.codec:
        args.codec = ["PCMU", "PCMA", "G722"]
    return args
