"""A call placed before the directory loaded is named once the directory arrives."""

from __future__ import annotations

from typing import Any, cast

from app.call_model import CallModel
from app.controllers.calls import CallsController
from app.notices import Notices
from app.stores.calls import CallsStore
from app.stores.directory import DirectoryEntry, DirectoryStore
from sip import CallId, CallStateChanged


def _bram() -> DirectoryEntry:
    return DirectoryEntry("user", "Bram Jansen", "202", ("202",), "Support", None, None, "idle")


def test_directory_arrival_names_a_nameless_call(qapp: object) -> None:
    directory = DirectoryStore()
    calls = CallsStore(CallModel(directory.name_for))
    unused = cast(Any, None)  # engine, connection, settings and runner play no part in naming
    controller = CallsController(calls, directory, unused, unused, unused, Notices(), unused)
    directory.hub.subscribe(controller.on_changes)  # as app/context.py wires it
    for key, number in (("call-1", "202"), ("call-2", "0612345678")):
        calls.apply(CallStateChanged(CallId(key), "early", 180, "", f"sip:{number}@pbx", "", False))
    seen: list[object] = []
    calls.hub.subscribe(lambda changes: seen.extend(changes.calls))

    directory.set_results("bram", [_bram()])  # a search is not the full list: nothing changes
    assert calls.get("call-1").name is None  # type: ignore[union-attr]

    directory.set_everyone([_bram()])
    assert calls.get("call-1").name == "Bram Jansen"  # type: ignore[union-attr]
    assert calls.get("call-2").name is None  # type: ignore[union-attr]
    assert [c.call.key for c in seen] == ["call-1"]  # type: ignore[attr-defined]
