"""The company address books for the organisation's administrator (permission
``manage_address_books``, docs/contacts.md): list them, create or replace one (its user groups
and its company contacts), remove one. Who sees a company contact follows at once: the
Contacts list, the directory search and every app's copy of the directory (sent again)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Response
from pydantic import BaseModel, Field

from pbx_core.contacts.address_books import AddressBook
from pbx_core.permissions import Permission
from pbx_core.store import UserRecord
from server.deps import PbxDep, requires
from server.errors import ApiError
from server.router import api_router
from server.schemas import ErrorOut

__all__ = ["router"]

router = api_router(tags=["contacts"])

BooksAdmin = Annotated[UserRecord, Depends(requires(Permission.MANAGE_ADDRESS_BOOKS))]
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "not signed in"},
    403: {"model": ErrorOut, "description": "not allowed to change the address books"},
}


class AddressBookIn(BaseModel):
    groups: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list,
        max_length=100,
        description="departments or role names that see its contacts; empty: everyone",
    )
    contacts: list[Annotated[str, Field(max_length=20)]] = Field(
        default_factory=list, max_length=10_000, description="company contact ids, c<n>"
    )


class AddressBookOut(BaseModel):
    id: int
    name: str
    groups: list[str]
    contacts: list[str]

    @classmethod
    def of(cls, book: AddressBook) -> AddressBookOut:
        return cls(
            id=book.id, name=book.name, groups=list(book.groups), contacts=list(book.contacts)
        )


@router.get("/api/v1/address-books", response_model=list[AddressBookOut], responses=_ERRORS)
async def list_address_books(pbx: PbxDep, user: BooksAdmin) -> list[AddressBookOut]:
    """Every company address book with its groups and contacts."""
    books = await pbx.contacts.address_books()
    return [AddressBookOut.of(b) for b in books]


@router.put(
    "/api/v1/address-books/{name}",
    response_model=AddressBookOut,
    responses={**_ERRORS, 422: {"model": ErrorOut, "description": "ids of no company contact"}},
)
async def put_book(name: str, body: AddressBookIn, pbx: PbxDep, user: BooksAdmin) -> AddressBookOut:
    """Create the book or replace its groups and contacts (all or nothing)."""
    try:
        book = await pbx.contacts.put_address_book(name, body.groups, body.contacts)
    except ValueError as exc:
        raise ApiError(422, "invalid_request", str(exc)) from exc
    pbx.directory.renew_epoch()  # every copy of the directory is sent again, as now seen
    return AddressBookOut.of(book)


@router.delete(
    "/api/v1/address-books/{name}",
    status_code=204,
    responses={**_ERRORS, 404: {"model": ErrorOut, "description": "no such address book"}},
)
async def delete_book(name: str, pbx: PbxDep, user: BooksAdmin) -> Response:
    """Remove the book; its contacts stay (seen as their other books allow)."""
    if not await pbx.contacts.delete_address_book(name):
        raise ApiError(404, "not_found", f"no address book {name!r}")
    pbx.directory.renew_epoch()
    return Response(status_code=204)
