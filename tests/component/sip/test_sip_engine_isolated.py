"""Runs the engine-to-engine call-control tests (test_sip_engine_transfer.py) in a fresh process.

pjsua2 keeps library state between the engines one process creates and destroys; after several
(the other engine tests of this run), a new engine's first INVITE is refused (PJ_EINVALIDOP) or
the library aborts. The app has one engine per process, so those tests get a process of their
own here, and fail this test with their output when they fail.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.pjsua

_CASES = Path(__file__).with_name("test_sip_engine_transfer.py")


@pytest.mark.timeout(240)
def test_engine_call_control_in_a_process_of_its_own() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(_CASES)],
        cwd=Path(__file__).resolve().parents[3],
        env={**os.environ, "ACME_TEST_ALONE": "engine-call-control"},
        capture_output=True,
        text=True,
        timeout=220,
    )
    assert result.returncode == 0 and "4 passed" in result.stdout, (
        result.stdout[-4000:] + result.stderr[-2000:]
    )
