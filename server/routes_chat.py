"""Chat routes of API v1 under ``/api/v1/chats``: conversations, messages, receipts, search.

The chat service (:mod:`pbx_core.chat`) does the work; a route maps bodies in and records out.
Every route first joins the SIP side to the chat (once), so a message posted here reaches a
colleague's SIP-only phone as a MESSAGE. A conversation you are not in is 404, as if it did not
exist; bad input is 400 (``bad_request``) or 422 (``invalid_request``) and changes nothing.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query

from pbx_core.chat import MAX_PAGE, ChatService, Conversation, Message, Receipt, chat_service
from pbx_core.signaling.messaging import sip_messaging
from pbx_core.telephony import Telephony
from server.chat_schemas import (
    ConversationIn,
    ConversationOut,
    ConversationPatch,
    MemberOut,
    MembersIn,
    MessageIn,
    MessageOut,
    MessagePageOut,
    ReceiptIn,
    ReceiptOut,
)
from server.deps import CurrentUser, PbxDep, RowId
from server.errors import ApiError
from server.router import api_router
from server.schemas import ErrorOut

__all__ = ["router"]

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "refused input (empty text, unknown colleague)"},
    401: {"model": ErrorOut, "description": "not signed in"},
    404: {"model": ErrorOut, "description": "no such conversation of yours"},
    409: {"model": ErrorOut, "description": "not possible in a 1:1 chat"},
    422: {"model": ErrorOut, "description": "invalid request"},
}

router = api_router(prefix="/api/v1/chats", tags=["chat"], responses=_ERRORS)


async def _chat(pbx: PbxDep) -> ChatService:
    chat = chat_service(pbx.store, pbx.bus)
    if isinstance(pbx.telephony, Telephony):
        sip_messaging(pbx.telephony, pbx.store, pbx.bus)
    return chat


ChatDep = Annotated[ChatService, Depends(_chat)]


def _message_out(m: Message) -> MessageOut:
    return MessageOut.model_validate(m)


def _conversation_out(pbx: PbxDep, c: Conversation) -> ConversationOut:
    def name(ext: str) -> str | None:
        user = pbx.store.user_by_extension(ext)
        return None if user is None else user.display_name

    return ConversationOut(
        id=c.id,
        kind=c.kind,
        name=c.name,
        picture=c.picture,
        created_by=c.created_by,
        created_at=c.created_at,
        last_seq=c.last_seq,
        last_at=c.last_at,
        unread=c.unread,
        members=[
            MemberOut(
                extension=m.extension,
                name=name(m.extension),
                delivered_seq=m.delivered_seq,
                read_seq=m.read_seq,
            )
            for m in c.members
        ],
        last_message=None if c.last_message is None else _message_out(c.last_message),
    )


def _receipt_out(r: Receipt) -> ReceiptOut:
    return ReceiptOut(
        conversation_id=r.conversation_id,
        extension=r.extension,
        delivered_seq=r.delivered_seq,
        read_seq=r.read_seq,
    )


@router.get("", response_model=list[ConversationOut])
async def conversations(user: CurrentUser, pbx: PbxDep, chat: ChatDep) -> list[ConversationOut]:
    """Your conversations, the most recently active first, each with your unread count."""
    found = await chat.conversations(user.extension)
    return [_conversation_out(pbx, c) for c in found]


@router.post("", response_model=ConversationOut, status_code=201)
async def create(
    body: ConversationIn, user: CurrentUser, pbx: PbxDep, chat: ChatDep
) -> ConversationOut:
    """Start a 1:1 chat (``kind`` direct, one member; the existing one if there is one) or a
    group (``kind`` group, a ``name``, the other members)."""
    if body.kind == "direct":
        if len(body.members) != 1 or body.name is not None:
            raise ApiError(422, "invalid_request", "a 1:1 chat has one other member and no name")
        conv = await chat.open_direct(user.extension, body.members[0])
    else:
        conv = await chat.create_group(user.extension, body.name or "", body.members, body.picture)
    return _conversation_out(pbx, conv)


@router.get("/search", response_model=list[MessageOut])
async def search(
    user: CurrentUser,
    chat: ChatDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="text to find")],
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
) -> list[MessageOut]:
    """Messages of your conversations containing ``q`` (any case), newest first."""
    return [_message_out(m) for m in await chat.search(user.extension, q, limit)]


@router.get("/{conversation_id}", response_model=ConversationOut)
async def conversation(
    conversation_id: RowId, user: CurrentUser, pbx: PbxDep, chat: ChatDep
) -> ConversationOut:
    return _conversation_out(pbx, await chat.conversation(conversation_id, user.extension))


@router.patch("/{conversation_id}", response_model=ConversationOut)
async def update(
    conversation_id: RowId, body: ConversationPatch, user: CurrentUser, pbx: PbxDep, chat: ChatDep
) -> ConversationOut:
    """Rename a group or change its picture (any member may)."""
    conv = await chat.update(
        conversation_id,
        user.extension,
        name=body.name,
        picture=body.picture,
        set_picture="picture" in body.model_fields_set,
    )
    return _conversation_out(pbx, conv)


@router.post("/{conversation_id}/members", response_model=ConversationOut)
async def add_members(
    conversation_id: RowId, body: MembersIn, user: CurrentUser, pbx: PbxDep, chat: ChatDep
) -> ConversationOut:
    """Add colleagues to a group (any member may); they see its whole history."""
    conv = await chat.add_members(conversation_id, user.extension, body.extensions)
    return _conversation_out(pbx, conv)


@router.delete("/{conversation_id}/members/{extension}", status_code=204)
async def remove_member(
    conversation_id: RowId, extension: str, user: CurrentUser, chat: ChatDep
) -> None:
    """Remove a member from a group; your own extension leaves it."""
    await chat.remove_member(conversation_id, user.extension, extension)


@router.post("/{conversation_id}/leave", status_code=204)
async def leave(conversation_id: RowId, user: CurrentUser, chat: ChatDep) -> None:
    """Leave a group; its settings and history stay for the others."""
    await chat.remove_member(conversation_id, user.extension, user.extension)


@router.get("/{conversation_id}/messages", response_model=MessagePageOut)
async def messages(
    conversation_id: RowId,
    user: CurrentUser,
    chat: ChatDep,
    before: Annotated[int | None, Query(ge=1, description="only messages before this seq")] = None,
    after: Annotated[int | None, Query(ge=0, description="only messages after this seq")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
) -> MessagePageOut:
    """A page of history in ``seq`` order: the newest ``limit`` (before ``before``), or the
    oldest ``limit`` after ``after``. What you fetch counts as delivered to you."""
    if before is not None and after is not None:
        raise ApiError(422, "invalid_request", "give before or after, not both")
    page = await chat.history(
        conversation_id, user.extension, before=before, after=after, limit=limit
    )
    return MessagePageOut(messages=[_message_out(m) for m in page.messages], has_more=page.has_more)


@router.post("/{conversation_id}/messages", response_model=MessageOut, status_code=201)
async def post_message(
    conversation_id: RowId, body: MessageIn, user: CurrentUser, chat: ChatDep
) -> MessageOut:
    """Send a message; it is stored when this answers (a retry with the same ``client_id``
    returns the stored message instead of sending it twice)."""
    posted = await chat.post(conversation_id, user.extension, body.text, client_id=body.client_id)
    return _message_out(posted.message)


@router.post("/{conversation_id}/read", response_model=ReceiptOut)
async def mark_read(
    conversation_id: RowId, body: ReceiptIn, user: CurrentUser, chat: ChatDep
) -> ReceiptOut:
    """You read up to message ``seq`` (marks only move forward)."""
    return _receipt_out(await chat.mark(conversation_id, user.extension, read=body.seq))


@router.post("/{conversation_id}/delivered", response_model=ReceiptOut)
async def mark_delivered(
    conversation_id: RowId, body: ReceiptIn, user: CurrentUser, chat: ChatDep
) -> ReceiptOut:
    """Your app received up to message ``seq``."""
    return _receipt_out(await chat.mark(conversation_id, user.extension, delivered=body.seq))


@router.post("/{conversation_id}/typing", status_code=204)
async def typing(conversation_id: RowId, user: CurrentUser, chat: ChatDep) -> None:
    """Tell the others you are typing (send again every few seconds while you type)."""
    await chat.typing(conversation_id, user.extension)
