"""The company directory: users, company contacts and service numbers, searched by name or number.

Text matches are case-insensitive on every word of the query (name, e-mail, department,
company). Number matches ignore spaces and punctuation and accept international (``+31 20 555``,
``0031 20``) and national (``020 555``) forms, since numbers are stored in E.164. A directory of a
few thousand entries is filtered in memory; a bigger one would move the search into SQL.
Users come from the store's memory; contacts are read through the store's gateway
(``store.aio``), so searches run on the event loop without waiting on SQL there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import phonenumbers

from pbx_core.presence import Presence, PresenceService
from pbx_core.store import ContactRecord, Store, UserRecord

__all__ = [
    "SERVICES",
    "Directory",
    "DirectoryResult",
    "DirectoryUser",
    "ServiceEntry",
    "normalise_number",
]


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
    users: tuple[DirectoryUser, ...]
    contacts: tuple[ContactRecord, ...]
    services: tuple[ServiceEntry, ...]


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
    """Searches users, company contacts and service numbers."""

    def __init__(
        self,
        store: Store,
        presence: PresenceService,
        line_state: Callable[[str], str],
        *,
        is_registered: Callable[[str], bool] | None = None,
        region: str = "NL",
    ) -> None:
        self._store = store
        self._presence = presence
        self._line_state = line_state
        self._is_registered = is_registered
        self._region = region

    def user_entry(self, user: UserRecord) -> DirectoryUser:
        registered = self._is_registered(user.extension) if self._is_registered else None
        return DirectoryUser(
            user, self._presence.get(user.extension), self._line_state_of(user), registered
        )

    async def search(self, query: str = "", limit: int = 50) -> DirectoryResult:
        """Entries matching ``query`` (all entries when it is blank), at most ``limit`` each."""
        matcher = _Matcher(query)
        all_contacts = await self._store.aio.contacts()
        users = [
            self.user_entry(u)
            for u in self._store.users()
            if matcher.matches((u.display_name, u.email, u.department or ""), (u.extension,), ())
        ]
        contacts = [
            c
            for c in all_contacts
            if matcher.matches(
                (c.name, c.company or "", c.email or ""),
                tuple(n.number for n in c.numbers),
                tuple(_national_digits(n.number) for n in c.numbers),
            )
        ]
        services = [s for s in SERVICES if matcher.matches((s.name,), (s.extension,), ())]
        return DirectoryResult(tuple(users[:limit]), tuple(contacts[:limit]), tuple(services))

    async def name_for_number(self, number: str) -> str | None:
        """Who ``number`` is: a user, a service or a contact ("Name, Company"); None if unknown."""
        return (await self.names_for_numbers([number]))[number]

    async def names_for_numbers(self, numbers: Iterable[str]) -> dict[str, str | None]:
        """:meth:`name_for_number` of each number, reading the contacts once."""
        wanted = list(dict.fromkeys(numbers))
        contacts: Sequence[ContactRecord] | None = None
        names: dict[str, str | None] = {}
        for number in wanted:
            name = self._name_without_contacts(number)
            if name is None:
                if contacts is None:
                    contacts = await self._store.aio.contacts()
                name = self._contact_name(number, contacts)
            names[number] = name
        return names

    def _name_without_contacts(self, number: str) -> str | None:
        user = self._store.user_by_extension(number)
        if user is not None:
            return user.display_name
        for service in SERVICES:
            if service.extension == number:
                return service.name
        return None

    def _contact_name(self, number: str, contacts: Sequence[ContactRecord]) -> str | None:
        try:
            e164 = normalise_number(number, self._region)
        except ValueError:
            return None
        for contact in contacts:
            if any(n.number == e164 for n in contact.numbers):
                if contact.company and contact.company != contact.name:
                    return f"{contact.name}, {contact.company}"
                return contact.name
        return None

    def _line_state_of(self, user: UserRecord) -> str:
        try:
            return self._line_state(user.extension)
        except Exception:
            return "unknown"


class _Matcher:
    """One parsed query: either a number (digits only) or words that must all match text."""

    def __init__(self, query: str) -> None:
        text = query.strip()
        compact = "".join(ch for ch in text if ch not in " -./()")
        self._blank = not text
        self._number: tuple[str, ...] = ()
        if compact and (compact.lstrip("+").isdigit()):
            digits = compact.lstrip("+")
            forms = [digits]
            if digits.startswith("00"):
                forms.append(digits[2:])
            self._number = tuple(forms)
        self._words = tuple(w.casefold() for w in text.split())

    def matches(
        self, texts: tuple[str, ...], numbers: tuple[str, ...], national: tuple[str, ...]
    ) -> bool:
        if self._blank:
            return True
        if self._number:
            candidates = [_digits(n) for n in numbers] + list(national)
            return any(form in c for form in self._number for c in candidates)
        haystack = " ".join(texts).casefold()
        return all(word in haystack for word in self._words)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _national_digits(e164: str) -> str:
    """``+31205550134`` -> ``0205550134``: the digits a local caller would type."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return ""
    return _digits(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL))
