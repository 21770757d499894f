"""The demo organisation "Acme": five users and a handful of company contacts.

Roles (docs/permissions.md): Bram (Support) is an agent, Chris leads Support as its supervisor,
Eva is the administrator; everyone picks up and breaks into calls of their own department.
Two queues (:data:`DEMO_QUEUES`): Support 1500 (Bram, Anna) and Sales 1501 (Anna, Dana), both
supervised by Chris.

SIP user name = extension, password ``Demo-<ext>!``; the same password signs in to the API with
the extension or the e-mail address. Loaded only into an empty store, so loading twice is a no-op.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from pbx_core.accounts import Accounts
from pbx_core.directory import normalise_number
from pbx_core.store import ContactNumber, NewContact, Store

__all__ = [
    "DEMO_CONTACTS",
    "DEMO_QUEUES",
    "DEMO_QUEUE_LOGINS",
    "DEMO_USERS",
    "DemoUser",
    "demo_password",
    "load_demo",
]

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DemoUser:
    extension: str
    display_name: str
    email: str
    department: str
    roles: tuple[str, ...] = ("user",)


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("201", "Anna de Vries", "anna.devries@acme.example", "Sales"),
    DemoUser("202", "Bram Jansen", "bram.jansen@acme.example", "Support", ("agent", "user")),
    DemoUser("203", "Chris Peters", "chris.peters@acme.example", "Support", ("supervisor", "user")),
    DemoUser("204", "Dana Bakker", "dana.bakker@acme.example", "Reception"),
    DemoUser("205", "Eva Smit", "eva.smit@acme.example", "Management", ("admin", "user")),
)

# (name, company, e-mail, ((label, number as people write it), ...))
_Contact = tuple[str, str | None, str | None, tuple[tuple[str, str], ...]]
DEMO_CONTACTS: tuple[_Contact, ...] = (
    (
        "Jan Visser",
        "Visser Logistiek B.V.",
        "jan.visser@visserlogistiek.example",
        (("work", "+31 20 555 0134"), ("mobile", "+31 6 1234 5678")),
    ),
    (
        "Sanne Mulder",
        "Mulder & Zonen Installatietechniek",
        "sanne@mulderzonen.example",
        (("work", "020 794 1200"),),
    ),
    ("Pieter de Boer", None, None, (("mobile", "06 4820 1937"),)),
    (
        "Amstel Kantoorinrichting B.V.",
        "Amstel Kantoorinrichting B.V.",
        "info@amstelkantoor.example",
        (("main", "+31 20 820 3040"),),
    ),
    (
        "Lars Nielsen",
        "Nordlys ApS",
        "lars.nielsen@nordlys.example",
        (("work", "+45 33 12 34 56"), ("mobile", "+45 20 12 34 56")),
    ),
    (
        "Mette Jensen",
        "Københavns Kontorforsyning A/S",
        "mette.jensen@kbh-kontor.example",
        (("work", "+45 33 91 22 40"),),
    ),
)

DEMO_CONVERSIONS: tuple[dict[str, object], ...] = (
    {"prefix": "00", "digits": None, "rewrite": "+"},
    {"prefix": "0", "digits": 9, "rewrite": "+31"},
    # Nordlys ApS's short numbers: 6xx is +45 33 12 34 xx (656 is Lars Nielsen)
    {"prefix": "6", "digits": 2, "rewrite": "+45331234"},
)
"""The demo organisation's number conversions (P7): international and Dutch national numbers
to E.164, and one customer's short numbers."""

DEMO_ALLOWED_DESTINATIONS: dict[str, object] = {
    "default": ["national", "mobile"],
    "groups": {"Sales": ["national", "mobile", "international"], "Management": ["national",
               "mobile", "international", "premium"]},
}  # fmt: skip
"""Who may call which outside numbers (toll fraud): everyone in the country, Sales abroad too,
Management also premium rate numbers."""

DEMO_QUEUES: tuple[dict[str, object], ...] = (
    {
        "number": "1500", "name": "Support", "code": "1500",
        "members": [
            {"extension": "202", "priority": 0, "skill": 3},
            {"extension": "201", "priority": 1, "skill": 3},
        ],
        "supervisors": ["203"],
    },
    {
        "number": "1501", "name": "Sales", "code": "1501", "strategy": "skill",
        "members": [
            {"extension": "201", "priority": 0, "skill": 5},
            {"extension": "204", "priority": 1, "skill": 3},
        ],
        "supervisors": ["203"],
    },
)  # fmt: skip
"""The demo organisation's queues (P9, docs/queues.md): Support (1500) rings Bram before Anna,
Sales (1501) offers its calls by skill, Anna (5) before Dana (3); Chris supervises both."""

DEMO_QUEUE_LOGINS: tuple[tuple[str, str], ...] = (("1500", "202"),)
"""(queue, extension) logged in at the demo's first start: Bram in Support; the others are
logged out."""


def demo_password(extension: str) -> str:
    return f"Demo-{extension}!"


def load_demo(store: Store, accounts: Accounts) -> bool:
    """Fill an empty store with Acme; returns False (and changes nothing) if it has users."""
    if store.user_count() > 0:
        _log.info("store already has users; demo organisation not loaded")
        return False
    for u in DEMO_USERS:
        accounts.create_user(
            extension=u.extension,
            display_name=u.display_name,
            email=u.email,
            password=demo_password(u.extension),
            department=u.department,
            roles=u.roles,
        )
    for name, company, email, numbers in DEMO_CONTACTS:
        store.add_contact(
            NewContact(
                name=name,
                company=company,
                email=email,
                numbers=tuple(ContactNumber(label, normalise_number(n)) for label, n in numbers),
            )
        )
    _log.info(
        "demo organisation loaded: %d users, %d contacts", len(DEMO_USERS), len(DEMO_CONTACTS)
    )
    return True
