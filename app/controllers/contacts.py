"""The address books: loaded at sign-in, changed through the API, files imported and exported,
and a number called from a contact's card through the calls controller.

An import is all or nothing on the server; a rejected file leaves an
:class:`~app.stores.contacts.ImportReport` with each bad line in the store, for the page to show.
"""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from app.api import ApiClient
from app.connection import Connection
from app.errors import ServerRejected
from app.notices import Notices
from app.stores._base import tr
from app.stores.contacts import (
    ContactEntry,
    ContactForm,
    ContactsStore,
    ContactType,
    ImportReport,
)
from app.tasks import TaskRunner

__all__ = [
    "ContactsActions",
    "ContactsApi",
    "ContactsContext",
    "ContactsController",
    "Dialer",
    "parse_rejected",
]

_log = logging.getLogger(__name__)
_LINE = re.compile(r"line (\d+): (.*?)(?=; line \d+: |$)")
PAGE = 200
"""Contacts asked per page: a screenful many times over, a small part of a large directory."""


class Dialer(Protocol):
    """Who places a call: :class:`app.controllers.calls.CallsController`."""

    def dial(self, text: str) -> None: ...


class ContactsActions(Protocol):
    """What the Contacts page calls: :class:`ContactsController`."""

    def load(self) -> None: ...
    def load_more(self) -> None: ...
    def show(self, view: str) -> None: ...
    def select(self, cid: str | None) -> None: ...
    def create(self, form: ContactForm) -> None: ...
    def update(self, cid: str, form: ContactForm) -> None: ...
    def set_type(self, cid: str, kind: ContactType) -> None: ...
    def delete(self, cid: str) -> None: ...
    def call(self, number: str) -> None: ...
    def import_file(self, path: Path) -> None: ...
    def export_file(self, path: Path, fmt: Literal["csv", "vcard"]) -> None: ...
    def save_template(self, path: Path) -> None: ...


@runtime_checkable
class ContactsContext(Protocol):
    """A UI context with address books (:class:`app.context.AppContext`); the main window
    shows the Contacts section only for one."""

    @property
    def contacts(self) -> ContactsStore: ...
    @property
    def contacts_ctl(self) -> ContactsActions: ...


class ContactsApi:
    """The ``/api/v1/contacts`` routes on the signed-in user's API client."""

    def __init__(self, api: ApiClient) -> None:
        self._api = api

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        return await self._api.request(method, path, **kwargs)

    async def contacts(self) -> list[dict[str, object]]:
        return list(await self._call("GET", "/api/v1/contacts") or [])

    async def page(
        self, view: str, after: str | None, limit: int = PAGE
    ) -> tuple[list[dict[str, object]], str | None]:
        """One page of the view's contacts and the cursor of the next (None: the last)."""
        params: dict[str, object] = {"type": view, "limit": limit}
        if after is not None:
            params["after"] = after
        body = await self._call("GET", "/api/v1/contacts/page", params=params)
        if not isinstance(body, dict) or not isinstance(body.get("contacts"), list):
            raise ValueError("the server sent a page of contacts without contacts")
        following = body.get("next")
        more = following if isinstance(following, str) and following else None
        return list(body["contacts"]), more

    async def create(self, body: dict[str, object]) -> dict[str, object]:
        return dict(await self._call("POST", "/api/v1/contacts", json=body))

    async def update(self, cid: str, body: dict[str, object]) -> dict[str, object]:
        return dict(await self._call("PUT", f"/api/v1/contacts/{cid}", json=body))

    async def set_type(self, cid: str, kind: ContactType) -> dict[str, object]:
        return dict(await self._call("PUT", f"/api/v1/contacts/{cid}/type", json={"type": kind}))

    async def delete(self, cid: str) -> None:
        await self._call("DELETE", f"/api/v1/contacts/{cid}")

    async def import_file(self, data: bytes) -> dict[str, object]:
        return dict(await self._call("POST", "/api/v1/contacts/import", content=data))

    async def export_file(self, fmt: Literal["csv", "vcard"]) -> str:
        return await self._text(f"/api/v1/contacts/export?format={fmt}")

    async def template(self) -> str:
        return await self._text("/api/v1/contacts/template")

    async def _text(self, path: str) -> str:
        return await self._api.text(path)


def parse_rejected(message: str) -> tuple[tuple[int, str], ...]:
    """The ``line N: why`` parts of the server's import-rejected message."""
    return tuple((int(m.group(1)), m.group(2)) for m in _LINE.finditer(message))


class ContactsController:
    def __init__(
        self,
        store: ContactsStore,
        connection: Connection,
        runner: TaskRunner,
        dialer: Dialer,
        notices: Notices,
    ) -> None:
        self._store = store
        self._conn = connection
        self._runner = runner
        self._dialer = dialer
        self._notices = notices
        self._paging: asyncio.Task[None] | None = None

    def _api(self) -> ContactsApi:
        return ContactsApi(self._conn.require_api())

    # -- reading ------------------------------------------------------------------------------

    def load(self) -> None:
        """The first page of the current view (again): at sign-in and when the view changes."""
        self._runner.spawn(self._load(), "loading the contacts")

    async def _load(self) -> None:
        if self._conn.api is None:  # signed out meanwhile: the next sign-in loads them
            return
        if self._paging is not None:
            self._paging.cancel()  # a page of the list that is being replaced
            self._paging = None
        view = self._store.view
        try:
            rows, after = await self._api().page(view, None)
        except ServerRejected as exc:
            if exc.status != 404:
                raise
            _log.info("the server has no address books (404): %s", exc)
            rows, after = [], None
        if view == self._store.view:
            self._store.set_contacts(_entries(rows), after)

    def load_more(self) -> None:
        """The next page, when the server has one and none is on its way (the list scrolled)."""
        if self._store.has_more and self._paging is None and self._conn.api is not None:
            self._paging = self._runner.spawn(self._more(), "loading more contacts")

    async def _more(self) -> None:
        view, after = self._store.view, self._store.next_page
        try:
            if after is None:
                return
            rows, following = await self._api().page(view, after)
            if (view, after) == (self._store.view, self._store.next_page):
                self._store.add_page(_entries(rows), following)
        finally:
            self._paging = None

    def show(self, view: str) -> None:
        if view in ("all", "favorites", "vip") and view != self._store.view:
            self._store.set_view(view)  # type: ignore[arg-type]
            self.load()

    def select(self, cid: str | None) -> None:
        self._store.select(cid)

    # -- changing -----------------------------------------------------------------------------

    def create(self, form: ContactForm) -> None:
        self._runner.spawn(self._create(form), "adding a contact")

    async def _create(self, form: ContactForm) -> None:
        made = ContactEntry.from_api(await self._api().create(form.to_api()))
        self._store.put(made)
        self._store.select(made.id)

    def update(self, cid: str, form: ContactForm) -> None:
        self._runner.spawn(self._update(cid, form), "changing a contact")

    async def _update(self, cid: str, form: ContactForm) -> None:
        self._store.put(ContactEntry.from_api(await self._api().update(cid, form.to_api())))

    def set_type(self, cid: str, kind: ContactType) -> None:
        self._runner.spawn(self._set_type(cid, kind), "marking a contact")

    async def _set_type(self, cid: str, kind: ContactType) -> None:
        self._store.put(ContactEntry.from_api(await self._api().set_type(cid, kind)))

    def delete(self, cid: str) -> None:
        self._runner.spawn(self._delete(cid), "deleting a contact")

    async def _delete(self, cid: str) -> None:
        await self._api().delete(cid)
        self._store.remove(cid)

    def call(self, number: str) -> None:
        """Call a number of a contact's card (the calls controller places the call)."""
        self._dialer.dial(number)

    # -- files ----------------------------------------------------------------------------------

    def import_file(self, path: Path) -> None:
        self._runner.spawn(self._import(path), "importing contacts")

    async def _import(self, path: Path) -> None:
        data = await asyncio.to_thread(path.read_bytes)
        try:
            result = await self._api().import_file(data)
        except ServerRejected as exc:
            if exc.status != 422:
                raise
            rejected = parse_rejected(str(exc))
            self._store.set_report(ImportReport(0, rejected, str(exc)))
            return
        count = result.get("imported")
        imported = count if isinstance(count, int) else 0
        self._store.set_report(ImportReport(imported))
        self._notices.post("info", tr("{0} contacts imported.").format(imported))
        await self._load()

    def export_file(self, path: Path, fmt: Literal["csv", "vcard"]) -> None:
        self._runner.spawn(self._export(path, fmt), "exporting contacts")

    async def _export(self, path: Path, fmt: Literal["csv", "vcard"]) -> None:
        text = await self._api().export_file(fmt)
        await asyncio.to_thread(path.write_text, text, "utf-8")
        self._notices.post("info", tr("Contacts saved to {0}.").format(path.name))

    def save_template(self, path: Path) -> None:
        self._runner.spawn(self._template(path), "saving the contacts template")

    async def _template(self, path: Path) -> None:
        text = await self._api().template()
        await asyncio.to_thread(path.write_text, text, "utf-8")
        self._notices.post("info", tr("Contacts saved to {0}.").format(path.name))


def _entries(rows: list[dict[str, object]]) -> list[ContactEntry]:
    """The rows that parse; a bad one is logged and skipped."""
    entries = []
    for row in rows:
        try:
            entries.append(ContactEntry.from_api(row))
        except ValueError as exc:
            _log.warning("skipping a contact: %s", exc)
    return entries
