"""SIP MESSAGE (RFC 3428, ``text/plain``) between phones and the chat.

A registered phone's MESSAGE to a colleague (request URI ``sip:202@pbx``) is authenticated like
an INVITE, stored in the two users' 1:1 chat conversation and answered 200 only once stored;
storing it hands it to the relay, like any new chat message. The relay sends each new message of
a 1:1 chat as a MESSAGE to the other member's registered phones, except the PBX's own app
(User-Agent ``AcmePhone``), which gets chat over the API's event stream instead. Group chats are
not relayed (a phone has nothing to show a group in).

Refusals: 401/403 without valid credentials, 404 for an unknown extension, 415 for a body that is
not ``text/plain`` (UTF-8 or US-ASCII), 400 for an empty one, 413 for one over the chat's limit.

The parsing and building here are pure (:func:`incoming_text`, :func:`build_message`); the
:class:`SipMessaging` glue runs on the event loop with the endpoint.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

from pbx_core.bus import EventBus
from pbx_core.chat import MAX_TEXT, ChatInputError, Conversation, Posted, chat_service
from pbx_core.errors import NotFound, StoreError
from pbx_core.signaling.dialog import USER_AGENT
from pbx_core.signaling.message import Headers, SipRequest, new_call_id, new_tag
from pbx_core.signaling.uri import NameAddr, SipUri
from pbx_core.store import Store

if TYPE_CHECKING:
    from pbx_core.chat import ChatService
    from pbx_core.signaling.authenticator import DigestAuthenticator
    from pbx_core.signaling.bindings import Binding
    from pbx_core.signaling.endpoint import ServerTransactionHandle, SipEndpoint
    from pbx_core.telephony import Telephony

__all__ = [
    "APP_USER_AGENT",
    "UDP_TEXT_LIMIT",
    "MessageRefusedError",
    "SipMessaging",
    "build_message",
    "incoming_text",
    "sip_messaging",
]

_log = logging.getLogger(__name__)

APP_USER_AGENT = "AcmePhone"
"""User-Agent prefix of the PBX's own app: it has the chat, so no MESSAGE is relayed to it."""

UDP_TEXT_LIMIT = 1300
"""Bytes of text sent in one MESSAGE over UDP (RFC 3428 §9: stay under the path MTU)."""

_CHARSETS = ("utf-8", "utf8", "us-ascii")


class MessageRefusedError(Exception):
    """A MESSAGE we answer with ``status`` (and ``headers``) instead of storing it."""

    def __init__(self, status: int, reason: str, headers: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(f"{status} {reason}")
        self.status = status
        self.reason = reason
        self.headers = headers


def incoming_text(request: SipRequest) -> str:
    """The text of a MESSAGE; MessageRefusedError when it is not one we can store."""
    kind, charset = _content_type(request.content_type)
    if kind != "text/plain" or charset not in _CHARSETS:
        raise MessageRefusedError(415, "Unsupported Media Type", (("Accept", "text/plain"),))
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        raise MessageRefusedError(400, "Text Is Not UTF-8") from None
    if not text.strip():
        raise MessageRefusedError(400, "Empty Message")
    if len(text) > MAX_TEXT:
        raise MessageRefusedError(413, "Message Too Long")
    return text


def _content_type(value: str | None) -> tuple[str, str]:
    if value is None:
        return "", ""
    kind, *params = (part.strip() for part in value.split(";"))
    charset = "utf-8"
    for param in params:
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset":
            charset = val.strip().strip('"').lower()
    return kind.lower(), charset


def build_message(
    host: str,
    sender: str,
    sender_name: str | None,
    target: SipUri,
    to_user: str,
    text: str,
    *,
    udp: bool,
) -> SipRequest:
    """A MESSAGE from ``sender`` at the PBX to one phone (``target``, its Contact URI)."""
    body = text.encode("utf-8")
    if udp and len(body) > UDP_TEXT_LIMIT:
        body = body[: UDP_TEXT_LIMIT - 3].decode("utf-8", "ignore").encode("utf-8") + "…".encode()
    headers = Headers()
    headers.add("Max-Forwards", "70")
    headers.add("From", str(NameAddr(SipUri(sender, host), sender_name).with_tag(new_tag())))
    headers.add("To", str(NameAddr(SipUri(to_user, host))))
    headers.add("Call-ID", new_call_id())
    headers.add("CSeq", "1 MESSAGE")
    headers.add("User-Agent", USER_AGENT)
    headers.add("Content-Type", "text/plain;charset=UTF-8")
    return SipRequest("MESSAGE", target.copy(), headers, body)


_instances: weakref.WeakKeyDictionary[Telephony, SipMessaging] = weakref.WeakKeyDictionary()


def sip_messaging(telephony: Telephony, store: Store, bus: EventBus) -> SipMessaging:
    """The MESSAGE handling of ``telephony``, made on first use and joined to its store's chat
    (whose new 1:1 messages it relays from then on)."""
    found = _instances.get(telephony)
    if found is None:
        chat = chat_service(store, bus)
        found = SipMessaging(
            telephony.endpoint,
            telephony.authenticator,
            telephony.registrar.bindings,
            chat,
            lambda ext: _display_name(store, ext),
        )
        chat.add_relay(found.relay)
        _instances[telephony] = found
    return found


def _display_name(store: Store, extension: str) -> str | None:
    user = store.user_by_extension(extension)
    return None if user is None else user.display_name


class SipMessaging:
    """Receives phones' MESSAGEs into the chat and relays chat messages to phones."""

    def __init__(
        self,
        endpoint: SipEndpoint,
        authenticator: DigestAuthenticator,
        bindings: Callable[[str], list[Binding]],
        chat: ChatService,
        name_of: Callable[[str], str | None],
    ) -> None:
        self._endpoint = endpoint
        self._auth = authenticator
        self._bindings = bindings
        self._chat = chat
        self._name_of = name_of

    def on_message(self, tx: ServerTransactionHandle) -> None:
        """A MESSAGE outside any dialog: authenticate, check, then store and answer."""
        outcome = self._auth.check(tx.request)
        if not outcome.ok:
            tx.reply(outcome.status, extra_headers=list(outcome.headers))
            return
        sender = outcome.extension or ""
        target = tx.request.uri.user or ""
        try:
            if self._name_of(target) is None:  # names come from memory: every user has one
                raise MessageRefusedError(404, "Not Found")
            text = incoming_text(tx.request)
        except MessageRefusedError as refused:
            tx.reply(refused.status, refused.reason, extra_headers=list(refused.headers))
            return
        self._endpoint.spawn(self._store(tx, sender, target, text))

    async def _store(
        self, tx: ServerTransactionHandle, sender: str, target: str, text: str
    ) -> None:
        try:
            await self._chat.send_direct(sender, target, text, source="sip")
        except ChatInputError as exc:
            tx.reply(400, str(exc)[:100], to_tag=new_tag())
        except NotFound:
            tx.reply(404, to_tag=new_tag())
        except StoreError:
            _log.exception("MESSAGE from %s to %s not stored", sender, target)
            tx.reply(500, to_tag=new_tag())
        else:
            tx.reply(200, to_tag=new_tag())
        self._endpoint.flush()

    def relay(self, posted: Posted, conversation: Conversation) -> None:
        """Send a new 1:1 message to the other member's phones (not to the app)."""
        if conversation.kind != "direct":
            return
        message = posted.message
        name = self._name_of(message.sender)
        for member in conversation.extensions:
            if member == message.sender:
                continue
            for binding in self._bindings(member):
                if (binding.user_agent or "").startswith(APP_USER_AGENT):
                    continue
                request = build_message(
                    self._endpoint.host,
                    message.sender,
                    name,
                    binding.contact,
                    member,
                    message.text,
                    udp=binding.destination.transport == "udp",
                )
                for hop in reversed(binding.path):  # RFC 3327 §5.4: the Path as Route set
                    request.headers.prepend("Route", hop)
                self._endpoint.ua.send_request(request, binding.destination)
        self._endpoint.flush()
