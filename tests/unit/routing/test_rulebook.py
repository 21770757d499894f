"""The rule book in the store (migration 0009): a user's rules and mobile and the organisation's
rules and time zone survive a restart; bad input changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from pbx_core.presence import STATUSES
from pbx_core.routing.rulebook import RuleBook
from pbx_core.routing.rules import Step
from pbx_core.store import Store

SOFTPHONE_THEN_MOBILE: dict[str, object] = {
    "name": "Softphone, then my mobile",
    "steps": [
        {"destination": "softphone"},
        {"after": 15, "destination": "mobile"},
        {"after": 30, "destination": "voicemail"},
    ],
}


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    s.open()
    yield s
    s.close()


async def test_rules_survive_a_restart(store: Store) -> None:
    book = RuleBook(store, STATUSES)
    await book.set_own("201", [SOFTPHONE_THEN_MOBILE], "+31612345678")
    vacation = {"when": {"statuses": ["vacation"]}, "steps": [{"destination": "voicemail"}]}
    await book.set_org([], [vacation], "Europe/Copenhagen", 12)

    again = RuleBook(store, STATUSES)
    again.load()
    assert again.mobile("201") == "+31612345678"
    assert again.own("201")[0].steps[1] == Step(15, "mobile")
    assert again.own_dicts("201") == book.own_dicts("201")
    assert (again.org.time_zone, again.org.call_flow_delay_s) == ("Europe/Copenhagen", 12)
    assert [r.scope for r in again.rules_for("201")] == ["own", "overridable"]
    assert [r.scope for r in again.rules_for("202")] == ["overridable"]
    noon = datetime(2026, 12, 7, 11, 0, tzinfo=UTC)
    assert again.local_time(noon).hour == 12


async def test_bad_input_changes_nothing(store: Store) -> None:
    book = RuleBook(store, STATUSES)
    await book.set_own("201", [SOFTPHONE_THEN_MOBILE], "0612345678")
    with pytest.raises(ValueError, match=r"^rule 2: unknown destination 'fax'$"):
        await book.set_own(
            "201", [SOFTPHONE_THEN_MOBILE, {"steps": [{"destination": "fax"}]}], None
        )
    with pytest.raises(ValueError, match=r"^your mobile number cannot be your own extension$"):
        await book.set_own("201", [], "201")
    with pytest.raises(ValueError, match=r"^unknown time zone 'Nowhere/Town'$"):
        await book.set_org([], [], "Nowhere/Town")
    with pytest.raises(ValueError, match=r"^the call flow delay is 0-120 seconds$"):
        await book.set_org([], [], "Europe/Amsterdam", 121)
    assert book.mobile("201") == "0612345678" and len(book.own("201")) == 1
    assert (book.org.time_zone, book.org.call_flow_delay_s) == ("Europe/Amsterdam", 0)
