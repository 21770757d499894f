"""Company contacts in the store: added, listed whole, and read a page at a time by keyset.

Functions over an open :class:`~sqlalchemy.orm.Session`; :class:`pbx_core.store.Store` runs each
in one transaction. Name order is ``(lower(name), id)``, the index of migration 0014.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Row, func, select, tuple_
from sqlalchemy.orm import Session

from pbx_core.store.models import ContactNumberRow, ContactRow
from pbx_core.store.records import ContactNumber, ContactRecord, NewContact

__all__ = ["add_contact", "all_contacts", "contacts_page"]

_ContactHead = Row[int, str, str | None, str | None, str | None, str | None, str | None]


def add_contact(session: Session, new: NewContact) -> ContactRecord:
    row = ContactRow(
        name=new.name,
        company=new.company,
        email=new.email,
        numbers=[
            ContactNumberRow(position=i, label=n.label, number=n.number)
            for i, n in enumerate(new.numbers)
        ],
    )
    session.add(row)
    session.flush()
    return _contact(row)


def all_contacts(session: Session) -> list[ContactRecord]:
    order = (func.lower(ContactRow.name), ContactRow.id)  # as contacts_page
    return [_contact(row) for row in session.scalars(select(ContactRow).order_by(*order))]


def contacts_page(
    session: Session, after: tuple[str, int] | None, limit: int, ids: Collection[int] | None
) -> list[ContactRecord]:
    """The next ``limit`` contacts in name order after ``after`` (the previous page's last
    ``(name, id)``), only ``ids`` when given, read as plain rows (no ORM objects)."""
    c = ContactRow
    query = select(c.id, c.name, c.company, c.email, c.department, c.job_title, c.address)
    if after is not None:
        name, id_ = after
        query = query.where(tuple_(func.lower(c.name), c.id) > tuple_(func.lower(name), id_))
    if ids is not None:
        query = query.where(c.id.in_(list(ids)))
    rows = session.execute(query.order_by(func.lower(c.name), c.id).limit(limit)).all()
    if not rows:
        return []
    numbers: dict[int, list[ContactNumber]] = {}
    for contact_id, label, number in session.execute(
        select(ContactNumberRow.contact_id, ContactNumberRow.label, ContactNumberRow.number)
        .where(ContactNumberRow.contact_id.in_([r.id for r in rows]))
        .order_by(ContactNumberRow.contact_id, ContactNumberRow.position)
    ):
        numbers.setdefault(contact_id, []).append(ContactNumber(label, number))
    return [_record(r, tuple(numbers.get(r.id, ()))) for r in rows]


def _record(r: _ContactHead, numbers: tuple[ContactNumber, ...]) -> ContactRecord:
    return ContactRecord(
        r.id, r.name, r.company, r.email, numbers, r.department, r.job_title, r.address
    )


def _contact(row: ContactRow) -> ContactRecord:
    return ContactRecord(
        id=row.id,
        name=row.name,
        company=row.company,
        email=row.email,
        numbers=tuple(ContactNumber(n.label, n.number) for n in row.numbers),
        department=row.department,
        job_title=row.job_title,
        address=row.address,
    )
