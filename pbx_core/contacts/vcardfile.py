"""Contacts as vCard 3.0 (RFC 2426) and 4.0 (RFC 6350), read and written with ``vobject``.

Mapping: ``FN`` name (``N`` when there is no ``FN``), ``ORG`` company;department, ``TITLE``
job title, ``EMAIL``, ``ADR`` street (the one-line address), ``TEL`` with ``TYPE`` work / cell
/ home / voice for work / mobile / home / other, the primary number first and marked ``pref``
(3.0: ``TYPE=pref``; 4.0: ``PREF=1``, numbers as ``tel:`` URIs), ``CATEGORIES`` favourite / vip
/ blocked for the contact's type. A file holds any number of cards; each bad card is reported
with the line it starts on (or the line vobject could not parse), and nothing is imported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Literal

import vobject  # type: ignore[import-untyped]

from pbx_core.contacts.model import TYPES, ContactDraft, ContactType, Number, NumberLabel, normalise
from pbx_core.contacts.report import ImportRejectedError, RejectedRow

__all__ = ["VCardVersion", "parse_vcards", "write_vcards"]

VCardVersion = Literal["3.0", "4.0"]

_TEL_TYPES: dict[NumberLabel, str] = {
    "work": "work",
    "mobile": "cell",
    "home": "home",
    "other": "voice",
}
_TYPE_OF: dict[str, ContactType] = {t: t for t in TYPES if t != "none"}
_TYPE_OF["favorite"] = "favourite"
_LABEL_OF: dict[str, NumberLabel] = {
    "work": "work",
    "cell": "mobile",
    "mobile": "mobile",
    "iphone": "mobile",
    "home": "home",
}


def write_vcards(drafts: Iterable[ContactDraft], version: VCardVersion = "4.0") -> str:
    """The contacts as one vCard file (``\\r\\n`` line ends, folded at 75 octets)."""
    return "".join(_card(d, version).serialize() for d in drafts)


def _card(d: ContactDraft, version: VCardVersion) -> Any:
    card = vobject.vCard()
    card.add("version").value = version
    card.add("fn").value = d.name
    given, _, family = d.name.rpartition(" ")
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    if d.company or d.department:
        card.add("org").value = [d.company or "", *([d.department] if d.department else [])]
    if d.job_title:
        card.add("title").value = d.job_title
    if d.email:
        card.add("email").value = d.email
    if d.address:
        card.add("adr").value = vobject.vcard.Address(street=d.address)
    for i, n in enumerate(d.numbers):
        tel = card.add("tel")
        kind = _TEL_TYPES[n.label]
        if version == "4.0":
            tel.value = f"tel:{n.number}"
            tel.params["VALUE"] = ["uri"]
            tel.params["TYPE"] = [kind]
            if i == 0:
                tel.params["PREF"] = ["1"]
        else:
            tel.value = n.number
            tel.params["TYPE"] = [kind, "pref"] if i == 0 else [kind]
    if d.type != "none":
        card.add("categories").value = [d.type]
    return card


def parse_vcards(text: str, region: str = "NL") -> list[ContactDraft]:
    """Every card as a draft; :class:`ImportRejectedError` lists each bad card by line."""
    rejected: list[RejectedRow] = []
    drafts: list[ContactDraft] = []
    for start, chunk in _cards(text.removeprefix("\ufeff"), rejected):
        try:
            card = vobject.readOne(chunk)
        except vobject.base.ParseError:
            rejected.append(RejectedRow(start + _bad_line(chunk), "not a valid vCard line"))
            continue
        try:
            drafts.append(_draft(card, region))
        except ValueError as exc:
            rejected.append(RejectedRow(start, str(exc)))
    if not drafts and not rejected:
        rejected.append(RejectedRow(1, "no BEGIN:VCARD in the file"))
    if rejected:
        raise ImportRejectedError(rejected)
    return drafts


def _cards(text: str, rejected: list[RejectedRow]) -> Iterator[tuple[int, str]]:
    """Each ``BEGIN:VCARD`` … ``END:VCARD`` block with the line it starts on."""
    start: int | None = None
    lines: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        word = line.strip().upper()
        if word == "BEGIN:VCARD":
            if start is not None:
                rejected.append(RejectedRow(start, "no END:VCARD before the next card"))
            start, lines = number, [line]
        elif start is None:
            if line.strip():
                rejected.append(RejectedRow(number, "text outside BEGIN:VCARD and END:VCARD"))
        else:
            lines.append(line)
            if word == "END:VCARD":
                yield start, "\r\n".join(lines) + "\r\n"
                start, lines = None, []
    if start is not None:
        rejected.append(RejectedRow(start, "no END:VCARD at the end of the file"))


def _bad_line(chunk: str) -> int:
    """The offset of the first line that is no ``NAME:value`` content line (vobject's own line
    numbers do not count from the card's start); 0 when none is found."""
    for offset, line in enumerate(chunk.split("\r\n")):
        if line and line[0] not in " \t" and ":" not in line:
            return offset
    return 0


def _values(card: object, name: str) -> list[object]:
    return list(getattr(card, "contents", {}).get(name, []))


def _text(card: object, name: str) -> str | None:
    found = _values(card, name)
    value = getattr(found[0], "value", None) if found else None
    return value.strip() or None if isinstance(value, str) else None


def _draft(card: object, region: str) -> ContactDraft:
    name = _text(card, "fn")
    if name is None:
        n = next(iter(_values(card, "n")), None)
        value = getattr(n, "value", None)
        if value is not None:
            names = (getattr(value, "given", ""), getattr(value, "family", ""))
            name = " ".join(" ".join(p) if isinstance(p, list) else p for p in names).strip()
    company = department = None
    org = next(iter(_values(card, "org")), None)
    if org is not None:
        parts = getattr(org, "value", [])
        parts = [parts] if isinstance(parts, str) else list(parts)
        company = (parts[0].strip() or None) if parts else None
        department = (parts[1].strip() or None) if len(parts) > 1 else None
    address = None
    adr = next(iter(_values(card, "adr")), None)
    if adr is not None:
        value = adr.value  # type: ignore[attr-defined]
        fields = (value.street, value.city, value.code, value.region, value.country)
        flat = [" ".join(f) if isinstance(f, list) else f for f in fields]
        address = ", ".join(f.strip() for f in flat if f and f.strip()) or None
    return ContactDraft(
        name or "",
        company,
        department,
        _text(card, "title"),
        _text(card, "email"),
        address,
        _numbers(card, region),
        _type(card),
    )


def _numbers(card: object, region: str) -> tuple[Number, ...]:
    numbers: list[tuple[bool, Number]] = []
    for tel in _values(card, "tel"):
        params = getattr(tel, "params", {})
        kinds = [k.lower() for v in params.get("TYPE", []) for k in v.split(",")]
        pref = "pref" in kinds or bool(params.get("PREF"))
        label: NumberLabel = next((_LABEL_OF[k] for k in kinds if k in _LABEL_OF), "other")
        raw = str(getattr(tel, "value", "")).strip()
        raw = raw.removeprefix("tel:").split(";", 1)[0]
        try:
            numbers.append((pref, Number(label, normalise(raw, region))))
        except ValueError as exc:
            raise ValueError(f"TEL: {exc}") from exc
    numbers.sort(key=lambda pn: not pn[0])
    return tuple(n for _, n in numbers)


def _type(card: object) -> ContactType:
    for cat in _values(card, "categories"):
        value = getattr(cat, "value", [])
        for word in [value] if isinstance(value, str) else value:
            kind = _TYPE_OF.get(str(word).strip().lower())
            if kind is not None:
                return kind
    return "none"
