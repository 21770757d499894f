"""The global F8 on X11: a key press anywhere on the display reaches the app; a taken key is said.

Runs against an Xvfb of its own (skipped without Xvfb or libXtst); the press is made with the
XTest extension, as a real keyboard would, on a connection that is not the hotkey's.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
from collections.abc import Iterator

import pytest

from app.hotkey import global_hotkey

_XK_F8 = 0xFFC5


@pytest.fixture
def x_display() -> Iterator[str]:
    if shutil.which("Xvfb") is None or ctypes.util.find_library("Xtst") is None:
        pytest.skip("Xvfb and libXtst are needed")
    read, write = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "320x240x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with open(read, encoding="ascii") as pipe:
        number = pipe.readline().strip()
    try:
        assert number.isdigit(), "Xvfb did not start"
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(10)


def _press_f8(display: str) -> None:
    x = ctypes.CDLL(ctypes.util.find_library("X11"))
    xtst = ctypes.CDLL(ctypes.util.find_library("Xtst"))
    x.XOpenDisplay.restype = ctypes.c_void_p
    x.XOpenDisplay.argtypes = (ctypes.c_char_p,)
    x.XKeysymToKeycode.argtypes = (ctypes.c_void_p, ctypes.c_ulong)
    x.XFlush.argtypes = x.XCloseDisplay.argtypes = (ctypes.c_void_p,)
    xtst.XTestFakeKeyEvent.argtypes = (ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong)
    dpy = x.XOpenDisplay(display.encode())
    assert dpy
    code = x.XKeysymToKeycode(dpy, _XK_F8)
    xtst.XTestFakeKeyEvent(dpy, code, 1, 0)
    xtst.XTestFakeKeyEvent(dpy, code, 0, 0)
    x.XFlush(dpy)
    x.XCloseDisplay(dpy)


def test_f8_anywhere_on_the_display_calls_back(qtbot, x_display: str) -> None:
    pressed: list[bool] = []
    hotkey = global_hotkey(lambda: pressed.append(True), "xcb", display=x_display)
    try:
        assert hotkey.available, hotkey.reason
        _press_f8(x_display)
        qtbot.waitUntil(lambda: pressed == [True], timeout=5000)
        _press_f8(x_display)
        qtbot.waitUntil(lambda: len(pressed) == 2, timeout=5000)
    finally:
        hotkey.close()
    hotkey.close()
    assert not hotkey.available


def test_f8_taken_by_another_program_is_said_not_fatal(qtbot, x_display: str) -> None:
    first = global_hotkey(lambda: None, "xcb", display=x_display)
    try:
        second = global_hotkey(lambda: None, "xcb", display=x_display)
        assert not second.available
        assert second.reason == "another program already uses F8"
    finally:
        first.close()
    again = global_hotkey(lambda: None, "xcb", display=x_display)
    assert again.available
    again.close()


@pytest.mark.parametrize("platform", ["wayland", "cocoa", "offscreen"])
def test_platforms_without_a_global_grab_say_so(platform: str) -> None:
    hotkey = global_hotkey(lambda: None, platform)
    assert not hotkey.available
    assert hotkey.reason == f"the {platform} platform gives apps no global hotkey"
