"""The server's voicemail options on the command line, their defaults and refusals."""

from __future__ import annotations

import pytest

from server.cli import parse_args


def test_defaults_and_values() -> None:
    options = parse_args(["--data-dir", "/tmp/x"])
    assert (options.voicemail, options.voicemail_delay_seconds, options.smtp) == (True, 20.0, None)
    assert (options.voicemail_retention_days, options.voicemail_max_inbox_mb) == (30.0, 50.0)
    options = parse_args(
        [
            "--data-dir",
            "/tmp/x",
            "--no-voicemail",
            "--voicemail-delay-seconds",
            "5",
            "--voicemail-max-seconds",
            "60",
            "--smtp",
            "127.0.0.1:2525",
        ]
    )
    assert (options.voicemail, options.voicemail_delay_seconds) == (False, 5.0)
    assert (options.voicemail_max_seconds, options.smtp) == (60.0, ("127.0.0.1", 2525))


@pytest.mark.parametrize(
    "args",
    [["--smtp", "nohost"], ["--voicemail-max-inbox-mb", "0"], ["--voicemail-delay-seconds", "x"]],
)
def test_bad_values_are_refused(args: list[str]) -> None:
    with pytest.raises(SystemExit):
        parse_args(["--data-dir", "/tmp/x", *args])
