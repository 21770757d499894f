"""pjlib's start-up lines go to the app's logging at the configured level, never to stdout."""

from __future__ import annotations

import subprocess
import sys
import textwrap

_SCRIPT = textwrap.dedent(
    """
    import logging, sys
    logging.basicConfig(stream=sys.stderr, level=logging.DEBUG, format="%(name)s|%(message)s")
    from sip._endpoint import create_endpoint, destroy_endpoint
    from sip.config import EngineConfig
    endpoint = create_endpoint(EngineConfig(log_level=int(sys.argv[1])))
    destroy_endpoint(endpoint)
    """
)


def _run(level: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(level)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def test_nothing_on_stdout_at_the_default_level() -> None:
    result = _run(1)
    assert result.stdout == ""
    assert "pjlib" not in result.stderr


def test_a_verbose_level_logs_the_start_up_lines_through_logging() -> None:
    result = _run(5)
    assert result.stdout == ""
    assert "sip.pjsua|pjlib" in result.stderr
    assert "sip.pjsua|Creating endpoint instance..." in result.stderr
