"""``--priority high`` raises the server's scheduling priority where the system allows it and
says plainly when it does not; ``normal`` leaves it alone. Each case runs in a child process
so this test process keeps its own priority."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from server.cli import parse_args

_ROOT = Path(__file__).resolve().parents[3]
_PROBE = """
import logging, os, sys
logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(message)s")
from server.priority import raise_priority
done = raise_priority(sys.argv[1])
print("done" if done else "refused", os.getpriority(os.PRIO_PROCESS, 0))
"""


def _probe(level: str, *, without_the_right: bool = False) -> str:
    # setpriv (util-linux) drops CAP_SYS_NICE from the child, as a service without it runs
    drop = ["setpriv", "--bounding-set", "-sys_nice"] if without_the_right else []
    result = subprocess.run(
        [*drop, sys.executable, "-c", _PROBE, level],
        cwd=_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(_ROOT)},
        check=True,
    )
    return result.stdout


def test_the_option_defaults_to_normal(tmp_path: Path) -> None:
    assert parse_args(["--data-dir", str(tmp_path)]).priority == "normal"
    assert parse_args(["--data-dir", str(tmp_path), "--priority", "high"]).priority == "high"


def test_normal_leaves_the_priority_alone() -> None:
    assert _probe("normal").split()[-2:] == ["done", str(os.getpriority(os.PRIO_PROCESS, 0))]


@pytest.mark.skipif(os.geteuid() != 0, reason="raising the priority needs root here")
def test_high_raises_it_for_root() -> None:
    out = _probe("high")
    assert out.splitlines()[-1] == "done -10"
    assert "running at high priority (nice -10)" in out


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="needs setpriv (util-linux)")
def test_high_without_the_right_runs_on_and_says_why() -> None:
    out = _probe("high", without_the_right=True)
    assert out.splitlines()[-1].startswith("refused ")
    assert "cannot raise the priority" in out and "CAP_SYS_NICE" in out
