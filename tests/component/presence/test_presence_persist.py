"""The role and the shared note of a user's presence survive a restart of the PBX (C1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from pbx_core.config import PbxConfig
from pbx_core.pbx import Pbx


def _config(tmp_path: Path) -> PbxConfig:
    return PbxConfig(data_dir=tmp_path / "pbx", sip_port=0, rtp_port_min=30000, rtp_port_max=39999)


async def test_role_note_and_status_survive_a_restart(tmp_path: Path) -> None:
    until = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=2)
    first = Pbx(_config(tmp_path))
    await first.start(demo=True)
    try:
        await first.presence.set("202", "meeting", until)
        await first.presence.set_details(
            "202", role="private", note="Back at  three,  call my mobile"
        )
        await first.presence.set_details("203", note="Working from Utrecht")
        await first.presence.set_details("203", note="")  # cleared again: stays cleared
        await first.presence.set_details("204", note="Kantoor Amsterdam")
    finally:
        await first.stop()

    again = Pbx(_config(tmp_path))
    await again.start(demo=True)
    try:
        p202 = again.presence.get("202")
        assert (p202.status, p202.until, p202.role, p202.note) == (
            "meeting",
            until,
            "private",
            "Back at three, call my mobile",
        )
        assert again.presence.get("203").note is None
        p204 = again.presence.get("204")
        assert (p204.status, p204.role, p204.note) == ("available", "work", "Kantoor Amsterdam")
        # what colleagues, SIP NOTIFY and the API are shown comes from the same view
        v202 = again.telephony.presence_view("202")
        assert (v202.status, v202.role, v202.note) == (
            "meeting",
            "private",
            "Back at three, call my mobile",
        )
        assert again.telephony.presence_view("204").note == "Kantoor Amsterdam"
    finally:
        await again.stop()


async def test_a_status_that_ends_keeps_the_note(tmp_path: Path) -> None:
    first = Pbx(_config(tmp_path))
    await first.start(demo=True)
    try:
        await first.presence.set("205", "lunch", datetime.now(UTC) + timedelta(hours=1))
        await first.presence.set_details("205", note="Canteen")
        await first.presence.set("205", "available")
    finally:
        await first.stop()
    again = Pbx(_config(tmp_path))
    await again.start(demo=True)
    try:
        p = again.presence.get("205")
        assert (p.status, p.note) == ("available", "Canteen")
    finally:
        await again.stop()
