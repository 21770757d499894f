"""The company directory: users, company contacts, service numbers and queues, searched by name
or number.

Text matches are case- and accent-insensitive on every word of the query (name, e-mail,
department, company). Number matches ignore spaces and punctuation and accept international
(``+31 20 555``, ``0031 20``, ``+31 (0)20``) and national (``020 555``) forms, since numbers are
stored in E.164. Searches run on an in-memory index (:mod:`pbx_core.directory_index`) filled once
from the store (contacts through ``store.aio``, so the loop never waits on SQL) and kept current
as entries are written: users from the store's own memory, contacts through :meth:`Directory.
add_contact` and the store-write hooks, queues through :meth:`Directory.set_queues`. Each change
is published as :class:`DirectoryChanged`.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import phonenumbers

from pbx_core.acd.model import QueueConfig
from pbx_core.bus import EventBus
from pbx_core.directory_index import DirectoryIndex, Entry, IndexChanges, Match, matches
from pbx_core.directory_queues import QueueEntry, queue_entries, queue_key, queue_of
from pbx_core.directory_records import SortedPairs, number_key
from pbx_core.events import Event
from pbx_core.memory import release_free_memory
from pbx_core.presence import Presence, PresenceService
from pbx_core.store import ContactNumber, ContactRecord, NewContact, Store, UserRecord

__all__ = [
    "SERVICES",
    "SHORT_LABEL",
    "Directory",
    "DirectoryChanged",
    "DirectoryChanges",
    "DirectoryResult",
    "DirectoryUser",
    "QueueEntry",
    "ServiceEntry",
    "normalise_number",
]

SHORT_LABEL = "short"
"""The label of a contact's short number (from the number conversions, P7) in the directory."""

_LOAD_PAGE = 2000
"""Contacts read from the store per page while the index is filled."""


@dataclass(frozen=True, slots=True)
class ServiceEntry:
    """A number the PBX answers itself (echo test, later voicemail, queues)."""

    extension: str
    name: str


SERVICES: tuple[ServiceEntry, ...] = (ServiceEntry("9000", "Echo test"),)


@dataclass(frozen=True, slots=True)
class DirectoryUser:
    """A user as the directory shows them: with presence, line state and whether any of their
    phones is registered (``None`` when the PBX cannot tell)."""

    user: UserRecord
    presence: Presence
    line_state: str
    registered: bool | None = None


@dataclass(frozen=True, slots=True)
class DirectoryResult:
    """Matches by kind; ``matches`` has, by entry key, where the query matched (bold text)."""

    users: tuple[DirectoryUser, ...]
    contacts: tuple[ContactRecord, ...]
    services: tuple[ServiceEntry, ...]
    matches: dict[str, tuple[Match, ...]] = field(default_factory=dict)
    queues: tuple[QueueEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class DirectoryChanged(Event):
    """The directory has a new ``version``; a client asks for the changes since its own."""

    kind: ClassVar[str] = "directory.changed"
    epoch: str
    version: int


@dataclass(frozen=True, slots=True)
class DirectoryChanges:
    """The entries put and keys removed after a client's version (all entries when ``full``)."""

    epoch: str
    version: int
    full: bool
    users: tuple[DirectoryUser, ...]
    contacts: tuple[ContactRecord, ...]
    services: tuple[ServiceEntry, ...]
    removed: tuple[str, ...]
    next: int | None = None
    """The cursor of the next page (``after``); None on the last page."""
    queues: tuple[QueueEntry, ...] = ()


def user_key(extension: str) -> str:
    return f"user:{extension}"


def contact_key(contact_id: int) -> str:
    return f"contact:{contact_id}"


def service_key(extension: str) -> str:
    return f"service:{extension}"


def normalise_number(text: str, region: str = "NL") -> str:
    """A dialled or typed number in E.164, or short extensions as dialled; ValueError if bad."""
    stripped = text.strip()
    digits = _digits(stripped)
    if not digits:
        raise ValueError(f"not a phone number: {text!r}")
    if not stripped.startswith(("+", "00", "0")) and len(digits) <= 6:
        return digits
    try:
        parsed = phonenumbers.parse(stripped, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"not a phone number: {text!r}") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(f"not a valid phone number: {text!r}")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


class Directory:
    """Searches users, company contacts, service numbers and queues through an in-memory index.

    The index holds every entry (contacts packed, with their numbers' labels) and its folded
    text and number forms; answers carry the store's shapes (:class:`UserRecord`, a
    :class:`ContactRecord` built from the index for each answer). ``epoch`` changes with
    every start, so a client's version from an earlier run means "send everything".
    """

    def __init__(
        self,
        store: Store,
        presence: PresenceService,
        line_state: Callable[[str], str],
        *,
        is_registered: Callable[[str], bool] | None = None,
        region: str = "NL",
        bus: EventBus | None = None,
        short_forms: Callable[[str], tuple[str, ...]] | None = None,
    ) -> None:
        self._store = store
        self._short_forms = short_forms
        self._presence = presence
        self._line_state = line_state
        self._is_registered = is_registered
        self._region = region
        self._bus = bus
        self.epoch = secrets.token_hex(6)
        self._index = DirectoryIndex()
        self._by_number = SortedPairs()  # a contact number's digits -> the contact's id
        self._users: tuple[UserRecord, ...] = ()
        self._loaded = False
        self._loading: asyncio.Lock | None = None
        for service in SERVICES:
            self._index.put(
                Entry(service_key(service.extension), "service", (service.name,),
                      (service.extension,))
            )  # fmt: skip

    def publish_on(self, bus: EventBus) -> None:
        """Announce each new version on ``bus`` (as :class:`DirectoryChanged`)."""
        self._bus = bus

    @property
    def version(self) -> int:
        return self._index.version

    def user_entry(self, user: UserRecord) -> DirectoryUser:
        registered = self._is_registered(user.extension) if self._is_registered else None
        return DirectoryUser(
            user, self._presence.get(user.extension), self._line_state_of(user), registered
        )

    async def load(self) -> None:
        """Fill the index from the store once (later calls only pick up changed users)."""
        if not self._loaded:
            if self._loading is None:
                self._loading = asyncio.Lock()
            async with self._loading:
                if not self._loaded:
                    after = None  # page by page: one page of store rows in memory at a time
                    while page := await self._store.aio.contacts_page(after, _LOAD_PAGE):
                        for contact in page:
                            self._put_contact(contact)
                        after = (page[-1].name, page[-1].id)
                    self._sync_users()
                    self._index.prepare()
                    self._index.baseline()
                    self._loaded = True
                    release_free_memory()  # the load's temporaries: tens of MiB at 100,000
        self._sync_users()

    async def search(self, query: str = "", limit: int = 50) -> DirectoryResult:
        """Entries matching ``query`` (all entries when it is blank), at most ``limit`` each."""
        await self.load()
        found = self._index.search(query, limit)
        spans = {e.key: matches(e, query) for kind in found.values() for e in kind}
        return DirectoryResult(
            tuple(self._user_of(e) for e in found["user"]),
            tuple(_contact_of(e) for e in found["contact"]),
            tuple(ServiceEntry(e.numbers[0], e.texts[0]) for e in found["service"]),
            spans,
            tuple(queue_of(e) for e in found["queue"]),
        )

    async def changes(
        self,
        since: int | None,
        epoch: str | None = None,
        *,
        after: int = 0,
        limit: int | None = None,
    ) -> DirectoryChanges:
        """What changed after version ``since`` of this ``epoch`` (everything for another), one
        page of at most ``limit`` entries from cursor ``after``."""
        await self.load()
        known = since if epoch == self.epoch else None
        got: IndexChanges = self._index.changes(known, after, limit)
        users = [self._user_of(e) for e in got.entries if e.kind == "user"]
        contacts = [_contact_of(e) for e in got.entries if e.kind == "contact"]
        services = [
            ServiceEntry(e.numbers[0], e.texts[0]) for e in got.entries if e.kind == "service"
        ]
        return DirectoryChanges(
            self.epoch, got.version, got.full, tuple(users), tuple(contacts), tuple(services),
            got.removed, got.next, tuple(queue_of(e) for e in got.entries if e.kind == "queue"),
        )  # fmt: skip

    async def add_contact(self, new: NewContact) -> ContactRecord:
        """Store a company contact and index it; clients hear of it as :class:`DirectoryChanged`."""
        await self.load()
        record = await self._store.aio.add_contact(new)
        self.contact_written(record)
        return record

    def contact_written(self, record: ContactRecord) -> None:
        """A contact was added or changed in the store: index it (once loaded) and tell clients."""
        if self._loaded and self._put_contact(record):
            self._announce()

    def contact_removed(self, contact_id: int) -> None:
        """A contact was deleted from the store: drop it from the index and tell clients."""
        if self._index.remove(contact_key(contact_id)):
            self._announce()

    def set_queues(self, queues: Sequence[QueueConfig]) -> None:
        """Hold these queues (all of them, each time any changes): the ones not hidden from the
        search are entries of kind ``queue``, the others and the ones gone leave; clients hear of
        a change as :class:`DirectoryChanged` (nothing when every entry is as it was)."""
        wanted = queue_entries(queues)
        changed = False
        for entry in wanted.values():
            changed |= self._index.put(entry)
        for entry in self._index.entries("queue"):
            if entry.key not in wanted:
                changed |= self._index.remove(entry.key)
        if changed:
            self._announce()

    async def name_for_number(self, number: str) -> str | None:
        """Who ``number`` is: a user, a service, a queue or a contact ("Name, Company"); None if
        unknown."""
        return (await self.names_for_numbers([number]))[number]

    async def names_for_numbers(self, numbers: Iterable[str]) -> dict[str, str | None]:
        """:meth:`name_for_number` of each number, from the index (no store read)."""
        await self.load()
        names: dict[str, str | None] = {}
        for number in dict.fromkeys(numbers):
            name = self._name_without_contacts(number)
            names[number] = name if name is not None else self._contact_name(number)
        return names

    def _sync_users(self) -> None:
        users = tuple(self._store.users())
        if users == self._users:
            return
        changed = False
        for user in users:
            changed |= self._index.put(
                Entry(
                    user_key(user.extension),
                    "user",
                    (user.display_name, user.email, user.department or ""),
                    (user.extension,),
                )
            )  # fmt: skip
        gone = {user_key(u.extension) for u in self._users} - {user_key(u.extension) for u in users}
        for key in gone:
            changed |= self._index.remove(key)
        self._users = users
        if changed and self._loaded:
            self._announce()

    def short_forms_changed(self) -> None:
        """The number conversions changed: give every contact its short numbers again."""
        if not self._loaded:
            return
        changed = False
        for entry in self._index.entries("contact"):
            changed |= self._put_contact(_contact_of(entry))
        if changed:
            self._index.prepare()
            self._announce()

    def _put_contact(self, contact: ContactRecord) -> bool:
        """Index ``contact`` with the short numbers that dial its numbers (label ``short``);
        the index keeps it packed (no record object per contact)."""
        numbers = [n for n in contact.numbers if n.label != SHORT_LABEL]
        if self._short_forms is not None:
            shorts = [s for n in numbers for s in self._short_forms(n.number)]
            numbers += [ContactNumber(SHORT_LABEL, s) for s in dict.fromkeys(shorts)]
        for n in numbers:
            if (key := number_key(_digits(n.number))) is not None:
                self._by_number.add(key, contact.id)
        return self._index.put(
            Entry(
                contact_key(contact.id),
                "contact",
                (contact.name, contact.company or "", contact.email or ""),
                tuple(n.number for n in numbers),
                tuple(n.label for n in numbers),
            )
        )

    def renew_epoch(self) -> None:
        """Every client's copy starts over (a full answer on its next ask): what a user may
        see changed in a way the changes feed cannot say (an address book's groups)."""
        self.epoch = secrets.token_hex(6)
        self._announce()

    def _announce(self) -> None:
        if self._bus is not None:
            self._bus.publish(DirectoryChanged(self.epoch, self._index.version))

    def _user_of(self, entry: Entry) -> DirectoryUser:
        extension = entry.numbers[0]
        user = self._store.user_by_extension(extension)
        if user is None:  # removed from the store since the last sync
            user = next(u for u in self._users if u.extension == extension)
        return self.user_entry(user)

    def _name_without_contacts(self, number: str) -> str | None:
        user = self._store.user_by_extension(number)
        if user is not None:
            return user.display_name
        for service in SERVICES:
            if service.extension == number:
                return service.name
        queue = self._index.get(queue_key(number))
        return queue.texts[0] if queue is not None else None

    def _contact_name(self, number: str) -> str | None:
        try:
            e164 = normalise_number(number, self._region)
        except ValueError:
            return None
        key = number_key(_digits(e164))
        for contact_id in self._by_number.values(key) if key is not None else ():
            entry = self._index.get(contact_key(contact_id))
            if entry is not None and e164 in entry.numbers:
                name, company = entry.texts[0], entry.texts[1]
                return f"{name}, {company}" if company and company != name else name
        return None

    def _line_state_of(self, user: UserRecord) -> str:
        try:
            return self._line_state(user.extension)
        except Exception:
            return "unknown"


def _contact_of(entry: Entry) -> ContactRecord:
    """The store's record of a contact entry (built for an answer, not kept)."""
    name, company, email = entry.texts
    return ContactRecord(
        id=int(entry.key.split(":", 1)[1]),
        name=name,
        company=company or None,
        email=email or None,
        numbers=tuple(
            ContactNumber(lb, n) for lb, n in zip(entry.labels, entry.numbers, strict=True)
        ),
    )


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
