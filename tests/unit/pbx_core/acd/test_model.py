"""A queue's opening hours and their JSON form (pbx_core/acd/model.py)."""

from __future__ import annotations

from datetime import datetime

import pytest

from pbx_core.acd.model import OpenHours, QueueConfig, config_from_dict, config_to_dict

WEEKDAYS = OpenHours((0, 1, 2, 3, 4), "08:30", "17:00")


def test_open_on_weekdays_between_the_hours() -> None:
    config = QueueConfig("1500", "Support", hours=(WEEKDAYS,))
    assert config.is_open(datetime(2026, 12, 4, 8, 30))  # a Friday
    assert not config.is_open(datetime(2026, 12, 4, 8, 29))
    assert not config.is_open(datetime(2026, 12, 4, 17, 0))
    assert not config.is_open(datetime(2026, 12, 5, 10, 0))  # Saturday
    assert QueueConfig("1500", "Support").is_open(datetime(2026, 12, 5, 3, 0))  # no hours


def test_closed_on_public_holidays_only_when_asked() -> None:
    christmas = datetime(2026, 12, 25, 10, 0)  # a Friday
    open_config = QueueConfig("1500", "Support", hours=(WEEKDAYS,))
    assert open_config.is_open(christmas, holiday=True)
    closed = QueueConfig("1500", "Support", hours=(WEEKDAYS,), closed_on_holidays=True)
    assert not closed.is_open(christmas, holiday=True)


def test_hours_survive_the_json_form() -> None:
    config = QueueConfig(
        "1500", "Support", hours=(WEEKDAYS,), closed_on_holidays=True, closed_forward="204"
    )
    body = config_to_dict(config)
    assert body["hours"] == [{"days": [0, 1, 2, 3, 4], "start": "08:30", "end": "17:00"}]
    assert config_from_dict(body) == config


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("9-5", "hours must be a list"),
        ([{"days": [7], "start": "08:00", "end": "17:00"}], "days is a list of weekdays"),
        ([{"days": [0], "start": "8:00", "end": "17:00"}], "start is a time such as 08:30"),
        ([{"days": [0], "start": "17:00", "end": "08:00"}], "ends before it starts"),
    ],
)
def test_bad_hours_are_refused_with_the_reason(hours: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        config_from_dict({"number": "1500", "name": "Support", "hours": hours})
