"""The notifier without sockets or clocks: SUBSCRIBE in, answers and NOTIFYs out (RFC 6665)."""

from __future__ import annotations

import pytest

from pbx_core.signaling.message import SipRequest, parse_message
from pbx_core.signaling.subscriptions import (
    TRANSITIONS,
    Answer,
    Arm,
    Body,
    Disarm,
    Notifier,
    NotifierAction,
    NotifierLimits,
    SendNotify,
    SubEvent,
    Subscription,
    SubscriptionError,
    SubState,
)
from pbx_core.signaling.transport import Address
from pbx_core.signaling.uri import NameAddr, SipUri

PHONE = Address("udp", "127.0.0.1", 5070)
CONTACT = NameAddr(SipUri("pbx", "127.0.0.1", 5060))
USERS = {"201", "202", "203"}


def _subscribe(
    target: str = "202",
    *,
    event: str = "dialog",
    expires: int | None = 600,
    cseq: int = 1,
    to_tag: str | None = None,
    call_id: str = "sub-1",
) -> SipRequest:
    lines = [
        f"SUBSCRIBE sip:{target}@127.0.0.1 SIP/2.0",
        "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK" + f"{cseq}x{call_id}",
        "Max-Forwards: 70",
        "From: <sip:201@127.0.0.1>;tag=watcher",
        f"To: <sip:{target}@127.0.0.1>" + (f";tag={to_tag}" if to_tag else ""),
        f"Call-ID: {call_id}",
        f"CSeq: {cseq} SUBSCRIBE",
        "Contact: <sip:201@127.0.0.1:5070>",
        f"Event: {event}",
    ]
    if expires is not None:
        lines.append(f"Expires: {expires}")
    text = "\r\n".join([*lines, "Content-Length: 0", "", ""])
    message = parse_message(text.encode())
    assert isinstance(message, SipRequest)
    return message


def _render(sub: Subscription) -> Body:
    return Body("text/plain", f"{sub.target} v{sub.version}".encode())


def _notifier(**limits: float) -> Notifier:
    def may_watch(watcher: str, target: str, package: str) -> bool:
        return watcher in USERS and target in USERS and (package != "mwi" or watcher == target)

    return Notifier(
        packages={"dialog": _render, "presence": _render, "mwi": _render},
        may_watch=may_watch,
        limits=NotifierLimits(**limits),  # type: ignore[arg-type]
    )


def _of(kind: type, actions: list[NotifierAction]) -> list:  # type: ignore[type-arg]
    return [a for a in actions if isinstance(a, kind)]


def _state(notify: SendNotify) -> str:
    return notify.request.headers.get("Subscription-State") or ""


def _start(n: Notifier, now: float = 0.0) -> tuple[Answer, SendNotify]:
    actions = n.subscribe(_subscribe(), PHONE, "201", CONTACT, now)
    (answer,) = _of(Answer, actions)
    (notify,) = _of(SendNotify, actions)
    return answer, notify


def test_transition_table_ends_in_terminated() -> None:
    assert TRANSITIONS[SubState.TERMINATED] == {}
    ends = [e for e, s in TRANSITIONS[SubState.ACTIVE].items() if s is SubState.TERMINATED]
    assert set(ends) == {
        SubEvent.UNSUBSCRIBE,
        SubEvent.EXPIRED,
        SubEvent.WATCHER_GONE,
        SubEvent.SHUTDOWN,
        SubEvent.REJECTED,
    }


def test_subscribe_answers_200_and_sends_initial_notify() -> None:
    n = _notifier()
    actions = n.subscribe(_subscribe(), PHONE, "201", CONTACT, 0.0)
    answer, arm, notify = actions
    assert isinstance(answer, Answer) and answer.status == 200 and answer.to_tag
    assert ("Expires", "600") in answer.headers
    assert arm == Arm(notify.subscription_id, "expire", 600.0)  # type: ignore[union-attr]
    assert isinstance(notify, SendNotify)
    assert notify.dest == PHONE
    assert notify.request.method == "NOTIFY"
    assert str(notify.request.uri) == "sip:201@127.0.0.1:5070"
    assert notify.request.headers.get("Event") == "dialog"
    assert _state(notify) == "active;expires=600"
    assert notify.request.to_addr.tag == "watcher"
    assert notify.request.from_addr.tag == answer.to_tag
    assert notify.request.body == b"202 v0"
    assert notify.request.headers.get("Contact") == str(CONTACT)


def test_unknown_package_is_489_with_allow_events() -> None:
    (answer,) = _notifier().subscribe(_subscribe(event="foo"), PHONE, "201", CONTACT, 0.0)
    assert answer == Answer(489, (("Allow-Events", "dialog, mwi, presence"),))


def test_watcher_without_permission_is_403() -> None:
    n = _notifier()
    (outsider,) = n.subscribe(_subscribe("999"), PHONE, "201", CONTACT, 0.0)
    (mailbox,) = n.subscribe(_subscribe(event="mwi"), PHONE, "201", CONTACT, 0.0)
    assert isinstance(outsider, Answer) and outsider.status == 403
    assert isinstance(mailbox, Answer) and mailbox.status == 403
    assert n.active() == []


def test_too_brief_and_bad_expires() -> None:
    n = _notifier(min_expires=10)
    (brief,) = n.subscribe(_subscribe(expires=3), PHONE, "201", CONTACT, 0.0)
    assert brief == Answer(423, (("Min-Expires", "10"),))
    request = _subscribe()
    request.headers.set("Expires", "soon")
    (bad,) = n.subscribe(request, PHONE, "201", CONTACT, 0.0)
    assert isinstance(bad, Answer) and bad.status == 400


def test_expires_is_capped_and_defaulted() -> None:
    n = _notifier(max_expires=100, default_expires=50)
    capped = _of(Answer, n.subscribe(_subscribe(expires=9999), PHONE, "201", CONTACT, 0.0))[0]
    assert ("Expires", "100") in capped.headers
    other = _subscribe(expires=None, call_id="sub-2")
    default = _of(Answer, n.subscribe(other, PHONE, "201", CONTACT, 0.0))[0]
    assert ("Expires", "50") in default.headers


def test_refresh_renews_and_notifies() -> None:
    n = _notifier()
    answer, first = _start(n)
    refresh = _subscribe(expires=300, cseq=2, to_tag=answer.to_tag)
    actions = n.refresh(refresh, PHONE, 500.0)
    assert _of(Answer, actions)[0].headers == (("Expires", "300"),)
    assert Arm(first.subscription_id, "expire", 300.0) in actions
    (notify,) = _of(SendNotify, actions)
    assert _state(notify) == "active;expires=300"
    assert notify.request.cseq.seq == first.request.cseq.seq + 1
    assert notify.request.body == b"202 v1"
    assert n.timer_fired(first.subscription_id, "expire", 600.0) == []  # the old deadline
    (ended,) = n.timer_fired(first.subscription_id, "expire", 800.0)
    assert isinstance(ended, SendNotify) and _state(ended) == "terminated;reason=timeout"


def test_refresh_of_unknown_dialog_is_481_and_old_cseq_500() -> None:
    n = _notifier()
    answer, _ = _start(n)
    (unknown,) = n.refresh(_subscribe(cseq=2, to_tag="nope"), PHONE, 1.0)
    assert unknown == Answer(481)
    (old,) = n.refresh(_subscribe(cseq=1, to_tag=answer.to_tag), PHONE, 1.0)
    assert isinstance(old, Answer) and old.status == 500


def test_unsubscribe_sends_terminated_timeout() -> None:
    n = _notifier()
    answer, first = _start(n)
    actions = n.refresh(_subscribe(expires=0, cseq=2, to_tag=answer.to_tag), PHONE, 5.0)
    assert _of(Answer, actions)[0] == Answer(200, (("Expires", "0"),))
    assert Disarm(first.subscription_id, "expire") in actions
    (notify,) = _of(SendNotify, actions)
    assert _state(notify) == "terminated;reason=timeout"
    assert n.active() == []
    n.notify_done(first.subscription_id)
    assert n.get(first.subscription_id) is None
    (gone,) = n.refresh(_subscribe(expires=0, cseq=3, to_tag=answer.to_tag), PHONE, 6.0)
    assert gone == Answer(481)


def test_fetch_with_expires_zero_notifies_once() -> None:
    n = _notifier()
    actions = n.subscribe(_subscribe(expires=0), PHONE, "201", CONTACT, 0.0)
    assert _of(Answer, actions)[0].status == 200
    (notify,) = _of(SendNotify, actions)
    assert _state(notify) == "terminated;reason=timeout"
    assert _of(Arm, actions) == []


def test_expiry_terminates_with_timeout() -> None:
    n = _notifier()
    _, first = _start(n)
    assert n.timer_fired(first.subscription_id, "expire", 599.0) == []
    (notify,) = n.timer_fired(first.subscription_id, "expire", 600.0)
    assert isinstance(notify, SendNotify)
    assert _state(notify) == "terminated;reason=timeout"
    with pytest.raises(SubscriptionError, match="expired in state terminated"):
        n.get(first.subscription_id).step(SubEvent.EXPIRED)  # type: ignore[union-attr]


def test_changes_are_paced_per_subscription() -> None:
    n = _notifier(min_interval=1.0)
    _, first = _start(n, now=0.0)
    assert n.changed("202", "dialog", 0.5) == [Arm(first.subscription_id, "pace", 0.5)]
    assert n.changed("202", "dialog", 0.7) == []  # already pending: coalesced
    (paced,) = n.timer_fired(first.subscription_id, "pace", 1.0)
    assert isinstance(paced, SendNotify) and paced.request.body == b"202 v1"
    (now,) = n.changed("202", "dialog", 2.5)
    assert isinstance(now, SendNotify) and now.request.body == b"202 v2"
    assert n.changed("203", "dialog", 9.0) == []  # nobody watches 203
    assert n.changed("202", "presence", 9.0) == []  # nor 202's presence


def test_watcher_gone_and_shutdown_terminate() -> None:
    n = _notifier()
    _start(n)
    n.subscribe(_subscribe("203", call_id="sub-2"), PHONE, "201", CONTACT, 0.0)
    gone = _of(SendNotify, n.watcher_gone("201", 1.0))
    assert [_state(x) for x in gone] == ["terminated;reason=deactivated"] * 2
    n.subscribe(_subscribe(call_id="sub-3"), PHONE, "202", CONTACT, 2.0)
    (last,) = _of(SendNotify, n.shutdown(3.0))
    assert _state(last) == "terminated;reason=noresource"


def test_failed_notify_forgets_silently() -> None:
    n = _notifier()
    _, first = _start(n)
    actions = n.notify_failed(first.subscription_id)
    assert _of(SendNotify, actions) == []
    assert n.get(first.subscription_id) is None


def test_too_many_subscriptions_of_one_watcher() -> None:
    n = _notifier(max_per_watcher=1)
    _start(n)
    (refused,) = n.subscribe(_subscribe("203", call_id="sub-2"), PHONE, "201", CONTACT, 0.0)
    assert isinstance(refused, Answer) and refused.status == 503
