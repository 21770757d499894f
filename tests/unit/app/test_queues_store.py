"""The queues' records (the API's answers parsed once), the store (pure state), the reads the
queue events ask for, the supervisor codes and the ``queue.*`` events as the stream parses them."""

from __future__ import annotations

import datetime as dt

import pytest

from app.call_control import supervisor_code
from app.controllers.queues import Reloads
from app.queues.records import QueueCall, QueueDetail, QueueSummary
from app.server_events import QueueAgentChanged, QueueChanged, QueueUpdated, parse_event
from app.stores.queues import CallFilter, QueuesStore
from tests.support.queue_rows import call_row, detail_row, summary_row


def test_a_queue_of_the_list_and_its_bad_fields() -> None:
    q = QueueSummary.from_api(summary_row())
    assert (q.number, q.name, q.my_status, q.waiting, q.supervised) == (
        "1500", "Support", "logged_in", 2, False)  # fmt: skip
    assert QueueSummary.from_api(summary_row(role="supervisor", my_status=None)).supervised
    with pytest.raises(ValueError, match="queue: role must be"):
        QueueSummary.from_api(summary_row(role="boss"))
    with pytest.raises(ValueError, match="queue: my_status must be"):
        QueueSummary.from_api(summary_row(my_status="asleep"))
    with pytest.raises(ValueError, match="queue: waiting must be a whole number"):
        QueueSummary.from_api(summary_row(waiting=True))


def test_a_queue_in_detail_keeps_the_wait_ticking() -> None:
    d = QueueDetail.from_api(detail_row(), read_at=100.0)
    (caller,) = d.waiting
    assert caller.caller_name == "Jan Visser"
    assert caller.waited_at(100.0) == 42.0
    assert caller.waited_at(105.5) == 47.5
    assert caller.waited_at(90.0) == 42.0  # never less than the server said
    assert d.agent("202") is not None and d.agent("201") is None
    assert d.stats.last_wait_s is None and d.stats.today.answered == 12
    with pytest.raises(ValueError, match=r"stats\.today: not an object"):
        QueueDetail.from_api(detail_row(stats={**detail_row()["stats"], "today": None}), 0.0)
    with pytest.raises(ValueError, match="agent: available must be true or false"):
        agent = {**detail_row()["agents"][0], "available": 1}
        QueueDetail.from_api(detail_row(agents=[agent]), 0.0)


def test_a_call_of_the_log() -> None:
    c = QueueCall.from_api(call_row())
    assert c.arrived_at == dt.datetime(2026, 12, 4, 9, 12, 3, tzinfo=dt.UTC)
    assert (c.kind, c.handling, c.assigned_to, c.note) == ("missed", "unhandled", None, "")
    with pytest.raises(ValueError, match="handling must be"):
        QueueCall.from_api(call_row(handling="done"))
    with pytest.raises(ValueError, match="arrived_at"):
        QueueCall.from_api(call_row(arrived_at=None))


def test_the_filter_is_the_query_of_the_call_log() -> None:
    assert CallFilter().query(100) == {"limit": "100", "kind": "missed"}
    assert CallFilter(None, mine=True).query(5) == {"limit": "5", "assigned_to_me": "true"}


def test_the_store_announces_what_changed_and_drops_stale_answers() -> None:
    store = QueuesStore()
    seen: list[set[str]] = []
    store.changed.connect(seen.append)
    support, sales = QueueSummary.from_api(summary_row()), QueueSummary.from_api(
        summary_row(number="1501", name="Sales", waiting=1))  # fmt: skip
    store.set_queues([support, sales])
    assert seen[-1] == {"queues"} and store.waiting_total == 3
    store.set_queues([support, sales])
    assert len(seen) == 1  # nothing new: nothing announced
    store.open("1500")
    store.set_detail(QueueDetail.from_api(detail_row(number="1501"), 0.0))
    assert store.detail is None  # an answer for a queue no longer shown
    store.set_calls("1500", CallFilter("answered"), [QueueCall.from_api(call_row())])
    assert store.calls == ()  # an answer to an earlier filter
    store.set_calls("1500", CallFilter(), [QueueCall.from_api(call_row())])
    assert [c.id for c in store.calls] == [7]
    store.put_call("1500", QueueCall.from_api(call_row(assigned_to="201", handling="handled")))
    assert store.calls[0].assigned_to == "201"
    store.set_my_status("1500", "paused")
    found = store.summary("1500")
    assert found is not None and found.my_status == "paused"
    store.set_queues([sales])  # taken off Support while it is open: back to the list
    assert store.open_number is None and store.calls == ()
    store.set_problem("away")
    store.set_queues([sales])
    assert store.problem is None and "problem" in seen[-1]


def test_busy_marks_one_change_at_a_time() -> None:
    store = QueuesStore()
    store.set_busy("1500", "201", True)
    assert store.busy("1500", "201") and not store.busy("1501", "201")
    store.set_busy("1500", "201", False)
    assert not store.busy("1500", "201")


def test_many_events_ask_for_one_read() -> None:
    reloads = Reloads()
    assert reloads.mark("1500") is True
    assert reloads.mark("1500") is False
    assert reloads.mark("1501") is False
    assert reloads.take() == (True, {"1500", "1501"})
    assert reloads.mark("1500") is True  # a new quiet period


def test_the_supervisor_codes() -> None:
    assert supervisor_code("listen", "202") == "*66*202*"
    assert supervisor_code("whisper", "202") == "*67*202*"
    assert supervisor_code("barge", "202") == "*68*202*"
    with pytest.raises(ValueError, match="not a supervisor action"):
        supervisor_code("steal", "202")
    with pytest.raises(ValueError, match="digits only"):
        supervisor_code("listen", "20x")


def test_the_queue_events_as_the_stream_parses_them() -> None:
    assert parse_event(
        {"type": "queue.changed", "data": {"number": "1500", "removed": True}}
    ) == QueueChanged("1500", True)
    assert parse_event(
        {"type": "queue.agent_changed",
         "data": {"queue": "1500", "extension": "201", "status": "paused", "reason": "app"}}
    ) == QueueAgentChanged("1500", "201", "paused", "app")  # fmt: skip
    assert parse_event({"type": "queue.updated", "data": {"number": 1500}}) == QueueUpdated("1500")
    with pytest.raises(ValueError, match=r"queue\.changed event: removed must be true or false"):
        parse_event({"type": "queue.changed", "data": {"number": "1500"}})
