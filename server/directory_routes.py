"""REST routes of the directory: search (``GET /api/v1/directory``) and the changes feed.

``GET /api/v1/directory/changes?since=<version>&epoch=<epoch>`` gives a client that keeps its own
copy of the directory what changed after its version: every entry when it has none, or when its
epoch is from an earlier run of the server (``full`` is then true). Pages of at most ``limit``
entries: ``next`` is the ``after`` of the following page (null on the last); keys removed come
with the first page. The ``directory.changed`` event on the WebSocket says a new version exists.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel, Field

from pbx_core.directory import (
    DirectoryUser,
    QueueEntry,
    ServiceEntry,
    contact_key,
    service_key,
    user_key,
)
from pbx_core.directory_index import Match
from pbx_core.directory_queues import queue_key
from pbx_core.pbx import Pbx
from pbx_core.store import ContactRecord
from server.deps import CurrentUser, PbxDep
from server.router import api_router
from server.routes import presence_out
from server.schemas import ContactNumberOut, DirectoryEntryOut, ErrorOut

__all__ = ["router"]

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "not signed in"},
    422: {"model": ErrorOut, "description": "invalid request"},
}

router = api_router()


class MatchOut(BaseModel):
    """A matched part of a field, for bold text: ``field`` is a text field or ``numbers.<i>``."""

    field: str
    start: int
    end: int


class DirectorySearchEntryOut(DirectoryEntryOut):
    matches: list[MatchOut] = Field(default_factory=list, description="where the query matched")


class DirectoryKeyedEntryOut(DirectoryEntryOut):
    key: str = Field(
        description='"user:<extension>", "contact:<id>", "service:<extension>" or "queue:<number>"'
    )


class DirectoryChangesOut(BaseModel):
    epoch: str = Field(description="changes with every start of the server")
    version: int
    full: bool = Field(description="true: entries is the whole directory; drop what you had")
    entries: list[DirectoryKeyedEntryOut]
    removed: list[str] = Field(description="keys of entries that left the directory")
    next: int | None = Field(description="``after`` for the next page; null on the last page")


@router.get(
    "/api/v1/directory",
    response_model=list[DirectorySearchEntryOut],
    tags=["directory"],
    responses=_ERRORS,
)
async def directory(
    user: CurrentUser,
    pbx: PbxDep,
    q: Annotated[
        str, Query(max_length=200, description="name, department, company or number")
    ] = "",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[DirectorySearchEntryOut]:
    """Users (with presence and line state), company contacts, service numbers and queues
    matching q (company contacts an address book keeps from the user left out)."""
    hidden = pbx.contacts.hidden_company_ids(user)
    result = await pbx.directory.search(q, limit)
    spans = result.matches
    entries = [
        DirectorySearchEntryOut(
            **_user_out(pbx, u).model_dump(),
            matches=_matches(spans.get(user_key(u.user.extension))),
        )
        for u in result.users
    ]
    entries += [
        DirectorySearchEntryOut(
            **_contact_out(c).model_dump(), matches=_matches(spans.get(contact_key(c.id)))
        )
        for c in result.contacts
        if c.id not in hidden
    ]
    entries += [
        DirectorySearchEntryOut(
            **_service_out(s).model_dump(), matches=_matches(spans.get(service_key(s.extension)))
        )
        for s in result.services
    ]
    entries += [
        DirectorySearchEntryOut(
            **_queue_out(q).model_dump(), matches=_matches(spans.get(queue_key(q.number)))
        )
        for q in result.queues
    ]
    return entries


@router.get(
    "/api/v1/directory/changes",
    response_model=DirectoryChangesOut,
    tags=["directory"],
    responses=_ERRORS,
)
async def directory_changes(
    user: CurrentUser,
    pbx: PbxDep,
    since: Annotated[int | None, Query(ge=0, description="the client's version")] = None,
    epoch: Annotated[str | None, Query(max_length=64, description="the client's epoch")] = None,
    after: Annotated[int, Query(ge=0, description="the previous page's next")] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 2000,
) -> DirectoryChangesOut:
    """Entries changed and removed after ``since``; the whole directory without it (company
    contacts an address book keeps from the user left out)."""
    hidden = pbx.contacts.hidden_company_ids(user)
    got = await pbx.directory.changes(since, epoch, after=after, limit=limit)
    entries = [
        DirectoryKeyedEntryOut(**_user_out(pbx, u).model_dump(), key=user_key(u.user.extension))
        for u in got.users
    ]
    entries += [
        DirectoryKeyedEntryOut(**_contact_out(c).model_dump(), key=contact_key(c.id))
        for c in got.contacts
        if c.id not in hidden
    ]
    entries += [
        DirectoryKeyedEntryOut(**_service_out(s).model_dump(), key=service_key(s.extension))
        for s in got.services
    ]
    entries += [
        DirectoryKeyedEntryOut(**_queue_out(q).model_dump(), key=queue_key(q.number))
        for q in got.queues
    ]
    return DirectoryChangesOut(
        epoch=got.epoch,
        version=got.version,
        full=got.full,
        entries=entries,
        removed=list(got.removed),
        next=got.next,
    )


def _matches(found: tuple[Match, ...] | None) -> list[MatchOut]:
    return [MatchOut(field=m.field, start=m.start, end=m.end) for m in found or ()]


def _user_out(pbx: Pbx, entry: DirectoryUser) -> DirectoryEntryOut:
    u = entry.user
    return DirectoryEntryOut(
        kind="user",
        id=u.id,
        name=u.display_name,
        extension=u.extension,
        email=u.email,
        department=u.department,
        numbers=[ContactNumberOut(label="extension", number=u.extension)],
        presence=presence_out(pbx, u.extension),
        line_state=entry.line_state,
        registered=entry.registered,
    )


def _contact_out(c: ContactRecord) -> DirectoryEntryOut:
    return DirectoryEntryOut(
        kind="contact",
        id=c.id,
        name=c.name,
        extension=None,
        email=c.email,
        company=c.company,
        numbers=[ContactNumberOut(label=n.label, number=n.number) for n in c.numbers],
    )


def _service_out(s: ServiceEntry) -> DirectoryEntryOut:
    return DirectoryEntryOut(
        kind="service",
        id=None,
        name=s.name,
        extension=s.extension,
        numbers=[ContactNumberOut(label="extension", number=s.extension)],
    )


def _queue_out(q: QueueEntry) -> DirectoryEntryOut:
    return DirectoryEntryOut(
        kind="queue",
        id=None,
        name=q.name,
        extension=q.number,
        numbers=[ContactNumberOut(label="queue", number=q.number)],
        metadata=q.metadata or None,
    )
