"""Rows of the queue API's answers as docs/queues.md shows them, for tests of the desktop's
queue records, store and widgets; ``over`` replaces fields."""

from __future__ import annotations

from typing import Any

__all__ = ["call_row", "detail_row", "summary_row"]


def summary_row(**over: object) -> dict[str, object]:
    row: dict[str, object] = {
        "number": "1500", "name": "Support", "role": "agent", "my_status": "logged_in",
        "waiting": 2, "agents_available": 1, "agents_logged_in": 1,
    }  # fmt: skip
    row.update(over)
    return row


def detail_row(**over: object) -> dict[str, Any]:
    counts = {"total": 14, "answered": 12, "abandoned": 1}
    row: dict[str, Any] = {
        "number": "1500", "name": "Support", "metadata": "", "role": "supervisor",
        "my_status": None,
        "waiting": [{"call_id": "a1", "caller": "+31205550134", "caller_name": "Jan Visser",
                     "waited_s": 42.0}],
        "agents": [{"extension": "202", "name": "Bram Jansen", "status": "logged_in",
                    "available": True, "skill": 3, "priority": 0}],
        "stats": {"agents_available": 1, "agents_logged_in": 1, "waiting": 1,
                  "longest_wait_s": 42.0, "average_wait_s": 18.5, "last_wait_s": None,
                  "today": counts, "last_24h": counts},
    }  # fmt: skip
    row.update(over)
    return row


def call_row(**over: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": 7, "call_id": "a84c", "caller": "+31205550134", "caller_name": "Jan Visser",
        "arrived_at": "2026-12-04T09:12:03+00:00", "answered_at": None,
        "ended_at": "2026-12-04T09:12:43+00:00", "agent": None, "outcome": "abandoned",
        "overflow_reason": None, "forwarded_to": None, "waited_s": 40.0, "kind": "missed",
        "handling": "unhandled", "assigned_to": None, "note": "",
    }  # fmt: skip
    row.update(over)
    return row
