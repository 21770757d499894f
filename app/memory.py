"""Giving freed heap back to the operating system after a one-off bulk load.

Filling the directory (the PBX's index, the app's local copy) from 100,000 contacts allocates
and frees tens of MiB of small objects; CPython's allocator and glibc keep that memory mapped
for reuse, so the process's RSS stays as high as the peak. ``malloc_trim(0)`` (glibc) returns
the free pages at the top of the heap and in its arenas; elsewhere (macOS, Windows, musl) this
does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import sys

__all__ = ["release_free_memory"]
# the PBX has the same helper (pbx_core/memory.py): the two processes share no package

_log = logging.getLogger(__name__)


def release_free_memory() -> bool:
    """Collect garbage, then hand free heap pages back to the system; True if it could."""
    gc.collect()
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc
        return False
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    released = bool(trim(0))
    _log.debug("malloc_trim: %s", "memory released" if released else "nothing to release")
    return True
