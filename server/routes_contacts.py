"""The address books through the API (docs/contacts.md): the signed-in user's contacts (personal
ones editable, company ones read-only but typed), import and export of CSV and vCard files.

Every change is published on the bus as ``contact.changed`` (the WebSocket stream carries it).
The address book lives with the app (``app.state.contacts``), made on first use over the PBX's
store and bus; its SQL runs on the store's worker thread.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from pbx_core.contacts import (
    TEMPLATE,
    Contact,
    ContactDraft,
    ContactService,
    ContactType,
    ImportRejectedError,
    Number,
    NumberLabel,
    PageCursor,
    View,
    normalise,
)
from server.deps import CurrentUser, PbxDep
from server.errors import ApiError
from server.router import api_router
from server.schemas import ErrorOut

__all__ = ["router"]

router = api_router(tags=["contacts"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "not signed in"},
    404: {"model": ErrorOut, "description": "no such contact (or another user's)"},
    422: {"model": ErrorOut, "description": "invalid request"},
}
MAX_IMPORT_BYTES = 5_000_000
"""An import file's limit: some ten thousand contacts, well past any address book."""
_MEDIA = {"csv": "text/csv; charset=utf-8", "vcard": "text/vcard; charset=utf-8"}


async def get_contacts(pbx: PbxDep) -> ContactService:
    return pbx.contacts


ContactsDep = Annotated[ContactService, Depends(get_contacts)]


class NumberIO(BaseModel):
    label: NumberLabel = Field(default="work", description="work, mobile, home or other")
    number: str = Field(min_length=1, max_length=40, description="E.164 or an extension")
    primary: bool = Field(default=False, description="the number to call first (starred)")


class ContactIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    company: str | None = Field(default=None, max_length=200)
    department: str | None = Field(default=None, max_length=200)
    job_title: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=320)
    address: str | None = Field(default=None, max_length=500)
    numbers: list[NumberIO] = Field(default_factory=list, max_length=20)
    type: ContactType = Field(default="none", description="none, favourite, vip or blocked")


class ContactOut(ContactIn):
    id: str = Field(description="p<n> for a personal contact, c<n> for a company contact")
    book: Literal["personal", "company"]
    editable: bool = Field(description="personal contacts only; company ones are read-only")


class ContactPageOut(BaseModel):
    contacts: list[ContactOut]
    next: str | None = Field(
        description="the cursor of the next page (give it as `after`); null on the last page"
    )


class TypeIn(BaseModel):
    type: ContactType


class RejectedRowOut(BaseModel):
    line: int
    message: str


class ImportOut(BaseModel):
    imported: int
    contacts: list[ContactOut]


class ImportRejectedOut(ErrorOut):
    rejected: list[RejectedRowOut]


def _out(c: Contact) -> ContactOut:
    return ContactOut(
        id=c.id,
        book=c.book,
        editable=c.editable,
        name=c.name,
        company=c.company,
        department=c.department,
        job_title=c.job_title,
        email=c.email,
        address=c.address,
        numbers=[
            NumberIO(label=n.label, number=n.number, primary=i == 0)
            for i, n in enumerate(c.numbers)
        ],
        type=c.type,
    )


def _draft(body: ContactIn) -> ContactDraft:
    numbers: list[Number] = []
    for i, n in enumerate(body.numbers):
        try:
            numbers.append(Number(n.label, normalise(n.number)))
        except ValueError as exc:
            raise ApiError(422, "invalid_request", f"numbers.{i}: {exc}") from exc
    primary = next((i for i, n in enumerate(body.numbers) if n.primary), 0)
    if numbers:
        numbers.insert(0, numbers.pop(primary))

    def text(value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    try:
        return ContactDraft(
            body.name.strip(),
            text(body.company),
            text(body.department),
            text(body.job_title),
            text(body.email),
            text(body.address),
            tuple(numbers),
            body.type,
        )
    except ValueError as exc:
        raise ApiError(422, "invalid_request", str(exc)) from exc


@router.get("/api/v1/contacts", response_model=list[ContactOut], responses=_ERRORS)
async def list_contacts(
    user: CurrentUser,
    contacts: ContactsDep,
    view: Annotated[View, Query(alias="type", description="all, favorites or vip")] = "all",
) -> list[ContactOut]:
    """Your personal contacts and the company contacts your groups see, by name."""
    return [_out(c) for c in await contacts.contacts(user, view)]


@router.get("/api/v1/contacts/page", response_model=ContactPageOut, responses=_ERRORS)
async def contacts_page(
    user: CurrentUser,
    contacts: ContactsDep,
    view: Annotated[View, Query(alias="type", description="all, favorites or vip")] = "all",
    limit: Annotated[int, Query(ge=1, le=1000, description="contacts per page")] = 200,
    after: Annotated[
        str | None, Query(max_length=1200, description="the previous page's `next`")
    ] = None,
) -> ContactPageOut:
    """The same list as `GET /api/v1/contacts` a page at a time, for a company directory of
    100,000: personal and company contacts merged by name."""
    try:
        cursor = PageCursor.decode(after) if after is not None else None
    except ValueError as exc:
        raise ApiError(422, "invalid_request", f"after: {exc}") from exc
    page = await contacts.page(user, view, cursor, limit)
    return ContactPageOut(
        contacts=[_out(c) for c in page.contacts],
        next=page.next.encode() if page.next is not None else None,
    )


@router.get("/api/v1/contacts/template", response_class=Response, responses=_ERRORS)
async def csv_template(user: CurrentUser) -> Response:
    """An example CSV file with every column, to fill in and import."""
    del user
    return _file(TEMPLATE, "csv", "contacts-template.csv")


@router.get("/api/v1/contacts/export", response_class=Response, responses=_ERRORS)
async def export_contacts(
    user: CurrentUser,
    contacts: ContactsDep,
    fmt: Annotated[Literal["csv", "vcard"], Query(alias="format")] = "csv",
    version: Annotated[Literal["3.0", "4.0"], Query(description="vCard version")] = "4.0",
) -> Response:
    """Your personal contacts as a CSV or vCard file."""
    text = await contacts.export_file(user, fmt, version)
    return _file(text, fmt, f"contacts.{'vcf' if fmt == 'vcard' else 'csv'}")


@router.post(
    "/api/v1/contacts/import",
    status_code=201,
    response_model=ImportOut,
    responses={
        **_ERRORS,
        422: {"model": ImportRejectedOut, "description": "rows rejected; nothing imported"},
    },
)
async def import_contacts(request: Request, user: CurrentUser, contacts: ContactsDep) -> Any:
    """A CSV or vCard file as the request body (told apart by its first line): every contact
    is added to your personal book, or none when any row is bad (422 lists each with its
    line)."""
    raw = await request.body()
    if len(raw) > MAX_IMPORT_BYTES:
        raise ApiError(413, "too_large", "the file is larger than 5 MB; split it")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApiError(422, "invalid_request", "the file is not UTF-8 text") from exc
    try:
        made = await contacts.import_file(user, text)
    except ImportRejectedError as exc:
        body = {
            "error": "import_rejected",
            "message": str(exc),
            "rejected": [{"line": r.line, "message": r.message} for r in exc.rows],
        }
        return JSONResponse(body, status_code=422)
    return ImportOut(imported=len(made), contacts=[_out(c) for c in made])


@router.post("/api/v1/contacts", status_code=201, response_model=ContactOut, responses=_ERRORS)
async def create_contact(body: ContactIn, user: CurrentUser, contacts: ContactsDep) -> ContactOut:
    """Add a personal contact."""
    return _out(await contacts.create(user, _draft(body)))


@router.get("/api/v1/contacts/{contact_id}", response_model=ContactOut, responses=_ERRORS)
async def get_contact(contact_id: str, user: CurrentUser, contacts: ContactsDep) -> ContactOut:
    return _out(await contacts.contact(user, contact_id))


@router.put(
    "/api/v1/contacts/{contact_id}",
    response_model=ContactOut,
    responses={**_ERRORS, 403: {"model": ErrorOut, "description": "a company contact's fields"}},
)
async def update_contact(
    contact_id: str, body: ContactIn, user: CurrentUser, contacts: ContactsDep
) -> ContactOut:
    """Replace a personal contact; of a company contact only ``type`` may change."""
    return _out(await contacts.update(user, contact_id, _draft(body)))


@router.put("/api/v1/contacts/{contact_id}/type", response_model=ContactOut, responses=_ERRORS)
async def set_contact_type(
    contact_id: str, body: TypeIn, user: CurrentUser, contacts: ContactsDep
) -> ContactOut:
    """Make any contact you see a favourite, a VIP, blocked, or none of these."""
    return _out(await contacts.set_type(user, contact_id, body.type))


@router.delete(
    "/api/v1/contacts/{contact_id}",
    status_code=204,
    responses={**_ERRORS, 403: {"model": ErrorOut, "description": "a company contact"}},
)
async def delete_contact(contact_id: str, user: CurrentUser, contacts: ContactsDep) -> None:
    """Delete a personal contact (company contacts are read-only: 403)."""
    await contacts.delete(user, contact_id)


def _file(text: str, fmt: Literal["csv", "vcard"], name: str) -> Response:
    return Response(
        text,
        media_type=_MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
