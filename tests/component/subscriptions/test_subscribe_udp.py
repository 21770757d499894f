"""SUBSCRIBE/NOTIFY against a started PBX from a bare UDP watcher: authentication, the three
packages, refresh, unsubscribe, expiry, 403 and 489, the end on unregister and on shutdown."""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from pbx_core.calendar.model import Plan
from pbx_core.events import VoicemailCountsChanged
from pbx_core.ids import Extension
from pbx_core.pbx import Pbx
from pbx_core.presence_view import PresenceUpdated
from pbx_core.signaling.notifier import SubscriptionService
from pbx_core.telephony import Telephony
from tests.component.subscriptions.conftest import Watcher, make_watcher


def _service(pbx: Pbx) -> SubscriptionService:
    assert isinstance(pbx.telephony, Telephony)
    return pbx.telephony.subscriptions


async def test_dialog_subscription_is_challenged_then_notified(watcher: Watcher) -> None:
    sub = await watcher.subscribe("202")
    assert sub.response.status == 200
    assert sub.response.headers.get("Expires") == "600"
    notify = await watcher.notify()
    assert notify.headers.get("Event") == "dialog"
    assert notify.headers.get("Subscription-State") == "active;expires=600"
    assert notify.headers.get("Content-Type") == "application/dialog-info+xml"
    body = notify.body.decode()
    assert 'version="0"' in body and 'state="full"' in body
    assert "<dialog " not in body  # 202 is idle


async def test_unknown_package_is_489(watcher: Watcher) -> None:
    sub = await watcher.subscribe("202", event="conference")
    assert sub.response.status == 489
    allowed = sub.response.headers.get("Allow-Events") or ""
    assert {"dialog", "presence", "message-summary"} <= {a.strip() for a in allowed.split(",")}


async def test_watcher_without_permission_is_403(watcher: Watcher) -> None:
    outsider = await watcher.subscribe("0612345678")  # not a colleague: an outside number
    assert outsider.response.status == 403
    mailbox = await watcher.subscribe("202", event="message-summary")  # someone else's mailbox
    assert mailbox.response.status == 403
    slot_presence = await watcher.subscribe("7001", event="presence")  # a slot has no presence
    assert slot_presence.response.status == 403
    assert watcher.notifies.empty()


async def test_wrong_password_is_403(pbx: Pbx) -> None:
    intruder, transport = await make_watcher(pbx)
    intruder.password = "wrong"
    try:
        sub = await intruder.subscribe("202")
        assert sub.response.status == 403
    finally:
        transport.close()


async def test_refresh_and_unsubscribe(watcher: Watcher) -> None:
    sub = await watcher.subscribe("202", expires=60)
    await watcher.notify()
    refreshed = await sub.again(120)
    assert refreshed.status == 200 and refreshed.headers.get("Expires") == "120"
    again = await watcher.notify()
    assert again.headers.get("Subscription-State") == "active;expires=120"
    assert 'version="1"' in again.body.decode()
    ended = await sub.again(0)
    assert ended.status == 200 and ended.headers.get("Expires") == "0"
    last = await watcher.notify()
    assert last.headers.get("Subscription-State") == "terminated;reason=timeout"
    gone = await sub.again(60)
    assert gone.status == 481


async def test_expiry_ends_with_timeout(watcher: Watcher) -> None:
    sub = await watcher.subscribe("202", expires=5)
    assert sub.response.headers.get("Expires") == "5"
    await watcher.notify()
    last = await watcher.notify(wait=15)
    assert last.headers.get("Subscription-State") == "terminated;reason=timeout"


async def test_too_brief_is_423(watcher: Watcher) -> None:
    sub = await watcher.subscribe("202", expires=1)
    assert sub.response.status == 423
    assert sub.response.headers.get("Min-Expires") == "5"


async def test_presence_follows_status_and_registration(pbx: Pbx, watcher: Watcher) -> None:
    seen: list[PresenceUpdated] = []
    pbx.bus.subscribe(lambda e: seen.append(e) if isinstance(e, PresenceUpdated) else None)
    sub = await watcher.subscribe("202", event="presence")
    assert sub.response.status == 200
    first = (await watcher.notify()).body.decode()
    assert "<basic>closed</basic>" in first and "Not registered" in first
    until = datetime.now(UTC) + timedelta(hours=1)
    await pbx.presence.set("202", "meeting", until)
    await pbx.presence.set_details("202", note="Back at three")
    body = (await watcher.notify()).body.decode()
    while "Back at three" not in body:
        body = (await watcher.notify()).body.decode()
    assert "<rpid:meeting/>" in body and "In a meeting until" in body
    assert seen[-1].status == "meeting" and seen[-1].note == "Back at three"
    assert seen[-1].registered is False and seen[-1].line == "idle"


async def test_message_summary_answers_zero(pbx: Pbx, watcher: Watcher) -> None:
    sub = await watcher.subscribe("201", event="message-summary")
    assert sub.response.status == 200
    notify = await watcher.notify()
    assert notify.headers.get("Content-Type") == "application/simple-message-summary"
    assert b"Messages-Waiting: no" in notify.body and b"Voice-Message: 0/0" in notify.body
    _service(pbx).publish_mailbox("201", 2, 1)
    counts = await watcher.notify()
    assert b"Messages-Waiting: yes" in counts.body and b"Voice-Message: 2/1" in counts.body
    await asyncio.sleep(1.1)  # one change NOTIFY a second per subscription
    pbx.bus.publish(VoicemailCountsChanged(Extension("201"), 0, 3))  # as the voicemail service
    heard = await watcher.notify()
    assert b"Messages-Waiting: no" in heard.body and b"Voice-Message: 0/3" in heard.body


async def test_unregistering_the_last_phone_ends_subscriptions(watcher: Watcher) -> None:
    assert (await watcher.register("201", "Demo-201!")).status == 200
    await watcher.subscribe("202")
    await watcher.notify()
    assert (await watcher.register("201", "Demo-201!", expires=0)).status == 200
    last = await watcher.notify()
    assert last.headers.get("Subscription-State") == "terminated;reason=deactivated"


async def test_shutdown_ends_subscriptions(pbx: Pbx, watcher: Watcher) -> None:
    await watcher.subscribe("202")
    await watcher.notify()
    await pbx.telephony.stop()
    last = await watcher.notify()
    assert last.headers.get("Subscription-State") == "terminated;reason=noresource"
    await asyncio.sleep(0)


async def test_park_slot_lamp_starts_off(watcher: Watcher) -> None:
    sub = await watcher.subscribe("7001")
    assert sub.response.status == 200
    body = (await watcher.notify()).body.decode()
    assert 'entity="sip:7001@' in body and "<dialog " not in body


async def test_presence_notify_carries_an_upcoming_plan(pbx: Pbx, watcher: Watcher) -> None:
    """A plan of 202 two hours ahead reaches a watcher's NOTIFY as an RFC 4481 timed status."""
    sub = await watcher.subscribe("202", event="presence")
    assert sub.response.status == 200
    assert b"<ts:timed-status" not in (await watcher.notify()).body
    start = (datetime.now(UTC) + timedelta(hours=2)).replace(second=0, microsecond=0)
    plan = Plan(
        0,
        "202",
        "Review",
        "meeting",
        start.replace(tzinfo=None),
        start.replace(tzinfo=None) + timedelta(hours=1),
        "UTC",
        note="room 4",
    )
    await pbx.plans.create(plan)
    body = (await watcher.notify()).body
    person = ET.fromstring(body).find("{urn:ietf:params:xml:ns:pidf:data-model}person")
    assert person is not None
    timed = person.findall("{urn:ietf:params:xml:ns:pidf:timed-status}timed-status")
    assert [(datetime.fromisoformat(t.get("from", "")), t.get("until")) for t in timed] == [
        (start, (start + timedelta(hours=1)).isoformat())
    ]
    assert b"room 4" not in body
