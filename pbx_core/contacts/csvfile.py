"""Contacts as CSV: the template, export and import with a per-line report.

Columns (the header row names them; their order is free, only ``name`` is required)::

    name, company, department, job_title, email, address, work, mobile, home, other, primary, type

``work``/``mobile``/``home``/``other`` hold a number each (several numbers of one kind are
separated by ``|``); ``primary`` names the column of the primary number (default: the first
filled one in that order); ``type`` is empty, ``favourite``, ``vip`` or ``blocked``. A header
with ``;`` between the columns (spreadsheets set to Dutch) is read as well.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from pbx_core.contacts.model import LABELS, TYPES, ContactDraft, ContactType, Number, normalise
from pbx_core.contacts.report import ImportRejectedError, RejectedRow

__all__ = ["COLUMNS", "TEMPLATE", "parse_csv", "write_csv"]

COLUMNS: tuple[str, ...] = (
    "name",
    "company",
    "department",
    "job_title",
    "email",
    "address",
    *LABELS,
    "primary",
    "type",
)

_TYPE_WORDS: dict[str, ContactType] = {t: t for t in TYPES}
_TYPE_WORDS.update({"": "none", "favorite": "favourite"})


def write_csv(drafts: Iterable[ContactDraft]) -> str:
    """The contacts as CSV text with a header row (``\\r\\n`` line ends, as spreadsheets write)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for d in drafts:
        by_label = {label: [n.number for n in d.numbers if n.label == label] for label in LABELS}
        primary = d.primary.label if d.primary is not None else ""
        kind = "" if d.type == "none" else d.type
        texts = (d.company, d.department, d.job_title, d.email, d.address)
        writer.writerow(
            [d.name, *(t or "" for t in texts)]
            + [" | ".join(by_label[label]) for label in LABELS]
            + [primary, kind]
        )
    return out.getvalue()


TEMPLATE = write_csv(
    [
        ContactDraft(
            "Jan de Boer",
            "Boer Installatie BV",
            "Sales",
            "Account manager",
            "jan@boer.example",
            "Dorpsstraat 1, 1234 AB Ons Dorp",
            (Number("work", "+31201234567"), Number("mobile", "+31612345678")),
            "favourite",
        )
    ]
)
"""An example file with every column, for users to fill in (``GET /api/v1/contacts/template``)."""


def parse_csv(text: str, region: str = "NL") -> list[ContactDraft]:
    """Every row as a draft; :class:`ImportRejectedError` lists each bad row (nothing half-read)."""
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rejected: list[RejectedRow] = []
    drafts: list[ContactDraft] = []
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ImportRejectedError([RejectedRow(1, "the file is empty")]) from None
    unknown = [h for h in header if h not in COLUMNS]
    if unknown or "name" not in header:
        problem = f"unknown column {unknown[0]!r}" if unknown else "no 'name' column"
        message = f"{problem}; the columns are {', '.join(COLUMNS)}"
        raise ImportRejectedError([RejectedRow(1, message)])
    line = reader.line_num + 1
    try:
        for row in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                message = f"{len(row)} cells, the header has {len(header)}"
                rejected.append(RejectedRow(start, message))
                continue
            try:
                drafts.append(_draft(dict(zip(header, row, strict=False)), region))
            except ValueError as exc:
                rejected.append(RejectedRow(start, str(exc)))
    except csv.Error as exc:
        rejected.append(RejectedRow(line, f"not valid CSV: {exc}"))
    if rejected:
        raise ImportRejectedError(rejected)
    return drafts


def _draft(cells: dict[str, str], region: str) -> ContactDraft:
    def text(column: str) -> str | None:
        return cells.get(column, "").strip() or None

    numbers: list[Number] = []
    for label in LABELS:
        for part in (cells.get(label) or "").split("|"):
            if part.strip():
                try:
                    numbers.append(Number(label, normalise(part, region)))
                except ValueError as exc:
                    raise ValueError(f"{label}: {exc}") from exc
    primary = (text("primary") or "").lower()
    if primary:
        if primary not in LABELS:
            raise ValueError(f"primary: {primary!r} is not one of {', '.join(LABELS)}")
        if not any(n.label == primary for n in numbers):
            raise ValueError(f"primary: the {primary} column is empty")
        numbers.sort(key=lambda n: n.label != primary)
    kind = (text("type") or "").lower()
    if kind not in _TYPE_WORDS:
        raise ValueError(f"type: {kind!r} is not one of favourite, vip, blocked (or empty)")
    return ContactDraft(
        text("name") or "",
        text("company"),
        text("department"),
        text("job_title"),
        text("email"),
        text("address"),
        tuple(numbers),
        _TYPE_WORDS[kind],
    )
