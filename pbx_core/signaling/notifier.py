"""The asyncio driver of the :class:`~pbx_core.signaling.subscriptions.Notifier` (RFC 6665).

It authenticates a new SUBSCRIBE like every other request (digest, 401/403), checks who may
watch whom, hands the request to the pure notifier and performs what comes back: the response,
NOTIFYs through the endpoint's user-agent layer, ``call_later`` timers. Package bodies are
rendered here from the presence board's views (:mod:`pbx_core.signaling.event_bodies`).

It also ends subscriptions when their watcher's last phone unregisters (``BindingRemoved`` on
the bus) and when the PBX stops. Responses to our NOTIFYs come back here, not to the call
machine, through their :class:`~pbx_core.signaling.useragent.AnsweredContext`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence

from pbx_core.bus import EventBus
from pbx_core.events import BindingRemoved, Event, VoicemailCountsChanged
from pbx_core.permissions import Member, Permission, allowed
from pbx_core.presence_board import Changes, PresenceBoard
from pbx_core.signaling.authenticator import DigestAuthenticator
from pbx_core.signaling.endpoint import AnsweredContext, ServerTransactionHandle, SipEndpoint
from pbx_core.signaling.event_bodies import (
    MailboxCounts,
    dialog_info,
    message_summary,
    pidf,
)
from pbx_core.signaling.features import PARK_SLOTS
from pbx_core.signaling.subscriptions import (
    Answer,
    Arm,
    Body,
    Disarm,
    Notifier,
    NotifierAction,
    NotifierLimits,
    SendNotify,
    Subscription,
)
from pbx_core.signaling.uri import NameAddr

__all__ = ["PACKAGES", "SubscriptionService"]

_log = logging.getLogger(__name__)

PACKAGES = ("dialog", "message-summary", "presence")


_READ_VOICEMAIL, _SEE_PRESENCE = Permission.READ_VOICEMAIL, Permission.SEE_PRESENCE


class SubscriptionService:
    """SUBSCRIBE in, NOTIFY out, for the packages ``dialog``, ``presence``, ``message-summary``."""

    def __init__(
        self,
        endpoint: SipEndpoint,
        authenticator: DigestAuthenticator,
        bus: EventBus,
        board: PresenceBoard,
        *,
        member: Callable[[str], Member | None],
        is_registered: Callable[[str], bool],
        limits: NotifierLimits | None = None,
    ) -> None:
        self._endpoint = endpoint
        self._auth = authenticator
        self._board = board
        self._member = member
        self._is_registered = is_registered
        self._mailboxes: dict[str, MailboxCounts] = {}
        self._timers: dict[tuple[str, str], asyncio.TimerHandle] = {}
        self.notifier = Notifier(
            packages={
                "dialog": self._dialog_body,
                "presence": self._presence_body,
                "message-summary": self._summary_body,
            },
            may_watch=self.may_watch,
            limits=limits,
        )
        self.notifies_sent = 0
        board.listeners.append(self._views_changed)
        self._unsubscribe = bus.subscribe(self._on_event)

    # -- policy ----------------------------------------------------------------------------

    def may_watch(self, watcher: str, target: str, package: str) -> bool:
        """Users of this PBX watch the dialog and presence of the colleagues whose presence
        they may see, and the park slots' dialog; a mailbox's waiting messages whoever may
        read it (pbx_core/permissions.py). Anything else is refused (403)."""
        actor = self._member(watcher)
        if actor is None:
            return False
        if target in PARK_SLOTS:
            return package == "dialog"
        watched = self._member(target)
        if watched is None:
            return False
        wanted = _READ_VOICEMAIL if package == "message-summary" else _SEE_PRESENCE
        return allowed(actor, wanted, watched)

    # -- requests --------------------------------------------------------------------------

    def on_subscribe(self, tx: ServerTransactionHandle) -> None:
        """A SUBSCRIBE: a new subscription (authenticated), or one inside its dialog."""
        request = tx.request
        now = self._now()
        if request.to_addr.tag is not None:
            self._perform(self.notifier.refresh(request, tx.source, now), tx)
            return
        outcome = self._auth.check(request)
        if not outcome.ok:
            tx.reply(outcome.status, extra_headers=list(outcome.headers))
            return
        contact = NameAddr(self._endpoint.contact_uri("pbx", tx.source.transport))
        watcher = outcome.extension or ""
        self._perform(self.notifier.subscribe(request, tx.source, watcher, contact, now), tx)

    def publish_mailbox(self, extension: str, new: int, old: int) -> None:
        """Voicemail counts changed: NOTIFY the mailbox's ``message-summary`` watchers."""
        self._mailboxes[extension] = MailboxCounts(new, old)
        self._perform(self.notifier.changed(extension, "message-summary", self._now()))

    def shutdown(self) -> None:
        """The PBX stops: a last NOTIFY (terminated) to every watcher."""
        self._unsubscribe()
        self._perform(self.notifier.shutdown(self._now()))
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()

    # -- events ----------------------------------------------------------------------------

    def _on_event(self, event: Event) -> None:
        if isinstance(event, BindingRemoved) and not self._is_registered(event.extension):
            self._perform(self.notifier.watcher_gone(event.extension, self._now()))
        elif isinstance(event, VoicemailCountsChanged):  # the message-waiting lamp (RFC 3842)
            self.publish_mailbox(event.extension, event.new, event.old)

    def _views_changed(self, changes: Changes) -> None:
        now = self._now()
        watched_dialog = self.notifier.watched("dialog")
        watched_presence = self.notifier.watched("presence")
        actions: list[NotifierAction] = []
        for ext, (old, new) in changes.items():
            before = old.dialogs if old is not None else ()
            if ext in watched_dialog and before != new.dialogs:
                actions += self.notifier.changed(ext, "dialog", now)
            if ext in watched_presence:
                actions += self.notifier.changed(ext, "presence", now)
        self._perform(actions)

    def _answered(self, key: object, status: int) -> None:
        subscription_id = str(key)
        if status < 300:
            self.notifier.notify_done(subscription_id)
            return
        _log.info("NOTIFY of %s answered %d: subscription ended", subscription_id, status)
        self._perform(self.notifier.notify_failed(subscription_id))

    # -- bodies ----------------------------------------------------------------------------

    def _dialog_body(self, sub: Subscription) -> Body:
        view = self._board.current(sub.target)
        now_ids = [d.call_id for d in view.dialogs]
        before = sub.memory.get("dialogs", "").split()
        ended = tuple(c for c in before if c not in now_ids)
        sub.memory["dialogs"] = " ".join(now_ids)
        domain = sub.dialog.local_uri.uri.host
        return Body("application/dialog-info+xml", dialog_info(view, sub.version, domain, ended))

    def _presence_body(self, sub: Subscription) -> Body:
        view = self._board.current(sub.target)
        return Body("application/pidf+xml", pidf(view, sub.dialog.local_uri.uri.host))

    def _summary_body(self, sub: Subscription) -> Body:
        counts = self._mailboxes.get(sub.target, MailboxCounts())
        domain = sub.dialog.local_uri.uri.host
        return Body(
            "application/simple-message-summary", message_summary(sub.target, counts, domain)
        )

    # -- performing ------------------------------------------------------------------------

    def _now(self) -> float:
        return asyncio.get_running_loop().time()

    def _perform(
        self, actions: Sequence[NotifierAction], tx: ServerTransactionHandle | None = None
    ) -> None:
        for action in actions:
            if isinstance(action, Answer):
                assert tx is not None, "an answer without a SUBSCRIBE"
                if action.status == 200:
                    accepted = "Allow-Events", ", ".join(PACKAGES)
                    headers = [*action.headers, accepted]
                else:
                    headers = list(action.headers)
                tx.reply(action.status, action.reason, to_tag=action.to_tag, extra_headers=headers)
            elif isinstance(action, SendNotify):
                self.notifies_sent += 1
                context = AnsweredContext(action.subscription_id, self._answered)
                self._endpoint.ua.send_request(action.request, action.dest, context=context)
            elif isinstance(action, Arm):
                self._arm(action.subscription_id, action.name, action.delay)
            elif isinstance(action, Disarm):
                timer = self._timers.pop((action.subscription_id, action.name), None)
                if timer is not None:
                    timer.cancel()
        self._endpoint.flush()

    def _arm(self, subscription_id: str, name: str, delay: float) -> None:
        key = (subscription_id, name)
        old = self._timers.pop(key, None)
        if old is not None:
            old.cancel()

        def fire() -> None:
            self._timers.pop(key, None)
            try:
                self._perform(self.notifier.timer_fired(subscription_id, name, self._now()))
            except Exception:
                _log.exception("subscription timer %s failed", name)

        self._timers[key] = asyncio.get_running_loop().call_later(delay, fire)
