"""Errors of the desktop application core.

Foreign errors (httpx, websockets, OSError of the child process) are mapped once, where
``app/`` calls them (:mod:`app.api`, :mod:`app.events`, :mod:`app.embedded`), with a
message a user can read::

    * AppError                  anything the app core could not do (message is plain words)
      + ServerUnreachable       no answer from the server (refused, timed out, went away)
      + AuthFailed              the server refused the user name, password or token (401)
      + ServerRejected          the server refused a request (4xx/5xx other than 401)
      + EmbeddedServerFailed    the embedded PBX child did not start
"""

from __future__ import annotations

__all__ = [
    "AppError",
    "AuthFailed",
    "EmbeddedServerFailed",
    "ServerRejected",
    "ServerUnreachable",
]


class AppError(Exception):
    """Root of the app core's errors; ``str(exc)`` is shown to the user as it is."""


class ServerUnreachable(AppError):  # noqa: N818 - the name the docs use
    """The server did not answer: it is down, the address is wrong or the network is gone."""


class AuthFailed(AppError):  # noqa: N818 - the name the docs use
    """Wrong user name or password, or a token the server no longer knows."""


class ServerRejected(AppError):  # noqa: N818 - reads like its siblings
    """The server answered with an error; ``status`` is the HTTP status, ``codes`` the codes the
    answer named (the broken rules of a weak password)."""

    def __init__(self, message: str, status: int, codes: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.status = status
        self.codes = codes


class EmbeddedServerFailed(AppError):  # noqa: N818 - reads like its siblings
    """The embedded PBX child process exited or printed no ready line."""
