"""F8 outside the app: a system-wide hotkey where the platform allows it, without new packages.

X11 (Linux, and the XWayland case is not covered): ``XGrabKey`` on the root window through
ctypes on a connection of our own, read with a ``QSocketNotifier`` on the GUI thread (no
polling). Another program already holding the key makes X answer ``BadAccess``; our error
handler records it instead of letting Xlib end the process. NumLock and CapsLock states are
grabbed too, so F8 works whatever they are. Windows: ``RegisterHotKey`` with the ``WM_HOTKEY``
message read by a native event filter on Qt's loop. Wayland and macOS give no global key grab
to a normal app (macOS needs the accessibility permission): :func:`global_hotkey` returns an
object with ``available == False`` and a ``reason``; F8 then works while the app has focus.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractNativeEventFilter, QCoreApplication, QSocketNotifier

__all__ = ["GlobalHotkey", "global_hotkey"]

_log = logging.getLogger(__name__)

_XK_F8 = 0xFFC5
_VK_F8 = 0x77
_KEY_PRESS = 2
_GRAB_MODE_ASYNC = 1
_LOCK_MASK = 1 << 1
_MOD2_MASK = 1 << 4  # NumLock on most layouts
_WM_HOTKEY = 0x0312
_MOD_NOREPEAT = 0x4000
_HOTKEY_ID = 0xF8


class GlobalHotkey:
    """A grabbed key that calls ``on_pressed`` on the GUI thread; :meth:`close` releases it."""

    available = False
    reason = ""

    def close(self) -> None:
        """Release the key (idempotent)."""


class _Unavailable(GlobalHotkey):
    def __init__(self, reason: str) -> None:
        self.reason = reason


class _XEvent(ctypes.Structure):
    _fields_ = (("type", ctypes.c_int), ("pad", ctypes.c_long * 24))


_XErrorHandler = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
_x_errors: list[int] = []


def _record_x_error(_display: Any, event: Any) -> int:
    # XErrorEvent: int type; Display *display; XID resourceid; unsigned long serial;
    # unsigned char error_code; ...
    code = ctypes.cast(event, ctypes.POINTER(ctypes.c_ubyte))[8 + 8 + 8 + 8]
    _x_errors.append(int(code))
    return 0


_x_error_handler = _XErrorHandler(_record_x_error)  # kept alive for as long as Xlib may call it


class _X11Hotkey(GlobalHotkey):
    def __init__(self, on_pressed: Callable[[], None], display_name: bytes | None) -> None:
        path = ctypes.util.find_library("X11")
        if path is None:
            raise OSError("libX11 is not installed")
        x = ctypes.CDLL(path)
        x.XOpenDisplay.restype = ctypes.c_void_p
        x.XOpenDisplay.argtypes = (ctypes.c_char_p,)
        x.XDefaultRootWindow.restype = ctypes.c_ulong
        x.XDefaultRootWindow.argtypes = (ctypes.c_void_p,)
        x.XKeysymToKeycode.restype = ctypes.c_ubyte
        x.XKeysymToKeycode.argtypes = (ctypes.c_void_p, ctypes.c_ulong)
        x.XGrabKey.argtypes = (ctypes.c_void_p, ctypes.c_int, ctypes.c_uint, ctypes.c_ulong)
        x.XGrabKey.argtypes += (ctypes.c_int, ctypes.c_int, ctypes.c_int)
        x.XUngrabKey.argtypes = (ctypes.c_void_p, ctypes.c_int, ctypes.c_uint, ctypes.c_ulong)
        x.XSync.argtypes = (ctypes.c_void_p, ctypes.c_int)
        x.XConnectionNumber.argtypes = (ctypes.c_void_p,)
        x.XPending.argtypes = (ctypes.c_void_p,)
        x.XNextEvent.argtypes = (ctypes.c_void_p, ctypes.POINTER(_XEvent))
        x.XCloseDisplay.argtypes = (ctypes.c_void_p,)
        x.XSetErrorHandler.restype = ctypes.c_void_p
        x.XSetErrorHandler.argtypes = (ctypes.c_void_p,)
        self._x = x
        self._on_pressed = on_pressed
        self._display = x.XOpenDisplay(display_name)
        if not self._display:
            raise OSError("the X display cannot be opened")
        self._root = x.XDefaultRootWindow(self._display)
        self._keycode = int(x.XKeysymToKeycode(self._display, _XK_F8))
        self._masks = (0, _LOCK_MASK, _MOD2_MASK, _LOCK_MASK | _MOD2_MASK)
        previous = x.XSetErrorHandler(ctypes.cast(_x_error_handler, ctypes.c_void_p))
        _x_errors.clear()
        for mask in self._masks:
            x.XGrabKey(
                self._display,
                self._keycode,
                mask,
                self._root,
                0,
                _GRAB_MODE_ASYNC,
                _GRAB_MODE_ASYNC,
            )
        x.XSync(self._display, 0)
        x.XSetErrorHandler(previous)
        if _x_errors:
            self._release()
            raise OSError("another program already uses F8")
        self._notifier = QSocketNotifier(
            x.XConnectionNumber(self._display), QSocketNotifier.Type.Read
        )
        self._notifier.activated.connect(self._drain)
        self.available = True

    def _drain(self, *_: Any) -> None:
        event = _XEvent()
        pressed = False
        while self._display and self._x.XPending(self._display):
            self._x.XNextEvent(self._display, ctypes.byref(event))
            pressed = pressed or event.type == _KEY_PRESS
        if pressed:
            self._on_pressed()

    def _release(self) -> None:
        if self._display:
            for mask in self._masks:
                self._x.XUngrabKey(self._display, self._keycode, mask, self._root)
            self._x.XCloseDisplay(self._display)
            self._display = None

    def close(self) -> None:
        if self.available:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self.available = False
        self._release()


class _WindowsFilter(QAbstractNativeEventFilter):
    def __init__(self, on_pressed: Callable[[], None]) -> None:
        super().__init__()
        self._on_pressed = on_pressed

    def nativeEventFilter(self, event_type: Any, message: Any) -> Any:  # noqa: N802 - Qt override
        if bytes(event_type) == b"windows_generic_MSG":
            from ctypes import wintypes

            msg = wintypes.MSG.from_address(int(message))
            if msg.message == _WM_HOTKEY and msg.wParam == _HOTKEY_ID:
                self._on_pressed()
                return True, 0
        return False, 0


class _WindowsHotkey(GlobalHotkey):  # pragma: no cover - needs Windows
    def __init__(self, on_pressed: Callable[[], None]) -> None:
        user32 = ctypes.WinDLL("user32")  # type: ignore[attr-defined]
        if not user32.RegisterHotKey(None, _HOTKEY_ID, _MOD_NOREPEAT, _VK_F8):
            raise OSError("another program already uses F8")
        self._user32 = user32
        self._filter = _WindowsFilter(on_pressed)
        app = QCoreApplication.instance()
        assert app is not None
        app.installNativeEventFilter(self._filter)
        self.available = True

    def close(self) -> None:
        if self.available:
            self._user32.UnregisterHotKey(None, _HOTKEY_ID)
            app = QCoreApplication.instance()
            if app is not None:
                app.removeNativeEventFilter(self._filter)
            self.available = False


def global_hotkey(
    on_pressed: Callable[[], None], platform_name: str, display: str | None = None
) -> GlobalHotkey:
    """Grab F8 system-wide for ``on_pressed``; never raises (see ``available``/``reason``).

    ``platform_name`` is Qt's (``QGuiApplication.platformName()``): ``xcb``, ``windows``,
    ``wayland``, ``cocoa``, ``offscreen``…; ``display`` is an X display name (default $DISPLAY).
    """
    try:
        if platform_name == "xcb" and sys.platform.startswith("linux"):
            return _X11Hotkey(on_pressed, display.encode() if display else None)
        if platform_name == "windows" and sys.platform == "win32":
            return _WindowsHotkey(on_pressed)
    except OSError as exc:
        _log.info("no global F8: %s", exc)
        return _Unavailable(str(exc))
    return _Unavailable(f"the {platform_name} platform gives apps no global hotkey")
