"""Stock Debian 12 baresip (1.0, libre 1.1) registers with the PBX's default challenge.

That baresip ends a registration with "Function not implemented" when a 401 carries any other
challenge than MD5, so the PBX offers SHA-256 only to phones known to handle it.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from pbx_core.pbx import Pbx

pytestmark = pytest.mark.skipif(
    shutil.which("baresip") is None, reason="baresip is installed by `make deb-test`"
)


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _baresip_home(home: Path, pbx_port: int) -> Path:
    home.mkdir()
    (home / "config").write_text(
        "\n".join(
            [
                "poll_method epoll",
                f"sip_listen 127.0.0.1:{_free_udp_port()}",
                "audio_player aufile,/dev/null",
                "audio_source aufile,/dev/null",
                "module_path /usr/lib/baresip/modules",
                "module g711.so",
                "module aufile.so",
                "module_app account.so",
                "",
            ]
        )
    )
    (home / "accounts").write_text(
        f"<sip:201@127.0.0.1:{pbx_port};transport=udp>;auth_pass=Demo-201!;regint=300\n"
    )
    return home


async def test_stock_baresip_registers(pbx: Pbx, tmp_path: Path) -> None:
    home = _baresip_home(tmp_path / "baresip", pbx.telephony.sip_udp_port)
    log = (tmp_path / "baresip.log").open("wb")
    proc = await asyncio.create_subprocess_exec(
        "baresip", "-f", str(home), stdin=subprocess.DEVNULL, stdout=log, stderr=log
    )
    try:
        for _ in range(100):
            bindings = pbx.telephony.registrar.bindings("201")  # type: ignore[attr-defined]
            if bindings:
                break
            await asyncio.sleep(0.1)
        output = (tmp_path / "baresip.log").read_text(errors="replace")
        assert bindings, f"baresip did not register:\n{output}"
        assert "baresip" in (bindings[0].user_agent or "")
        assert "Function not implemented" not in output
    finally:
        proc.terminate()
        await proc.wait()
        log.close()
