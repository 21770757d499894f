"""The one edge where pjsua2's exceptions become :class:`sip.errors.PjsuaError`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pjsua2 as pj

from sip.errors import PjsuaError

__all__ = ["mapped"]


@contextmanager
def mapped(what: str) -> Iterator[None]:
    """Raise ``PjsuaError("<what> failed: <pjsua's reason>")`` for a ``pj.Error``."""
    try:
        yield
    except pj.Error as exc:
        raise PjsuaError(f"{what} failed: {exc.reason}") from exc
