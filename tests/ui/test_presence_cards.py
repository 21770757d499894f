"""The colleague's card under the search results, the contact card of a colleague, and the Call
button of a 1:1 chat: what they show and what they ask for (no server: typed entries)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtWidgets import QApplication

from app.planned_status import PlannedStatus
from app.presence_text import until_text
from app.stores.chat import ChatConversation, ChatMember, ChatStore
from app.stores.contacts import ContactEntry, ContactNumber
from app.stores.directory import DirectoryEntry
from ui.chat_page import ChatPage
from ui.contacts_card import ContactCard
from ui.search_results_card import ColleagueCard

SOON = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30)

BRAM = DirectoryEntry(
    "user",
    "Bram Jansen",
    "202",
    ("+31201234502",),
    "Sales",
    None,
    "meeting",
    "idle",
    registered=True,
    email="bram@acme.example",
    until=SOON,
    note="Back at three",
    role="private",
)


def test_the_colleague_card_shows_details_and_asks_for_call_and_chat(qapp: QApplication) -> None:
    card = ColleagueCard()
    calls: list[str] = []
    chats: list[str] = []
    card.call_requested.connect(calls.append)
    card.chat_requested.connect(chats.append)
    card.set_entry(BRAM)
    assert card.state.text().startswith("In a meeting until ")
    assert card.state.text().endswith(" · Private")
    assert card.note.text() == "\u201cBack at three\u201d"
    assert (card.department.text(), card.email.text()) == ("Sales", "bram@acme.example")
    assert card.numbers.text() == "★ 202   020 123 4502"  # as people read it at home (NL)
    card.call_button.click()
    card.chat_button.click()
    assert (calls, chats) == (["202"], ["202"])


def test_the_contact_card_of_a_colleague_shows_presence_and_chat(qapp: QApplication) -> None:
    card = ContactCard()
    contact = ContactEntry(
        "c1", "company", "Bram Jansen", numbers=(ContactNumber("work", "202", True),)
    )
    card.set_contact(contact)
    assert card.presence.isHidden() and card.chat_button.isHidden()  # no lookup: no presence
    card.colleague_of = lambda c: BRAM if c.numbers[0].number == "202" else None
    card.set_contact(contact)
    assert card.presence.text().startswith("In a meeting until ")
    assert card.note.text() == "\u201cBack at three\u201d"
    chats: list[str] = []
    card.chat_requested.connect(chats.append)
    card.chat_button.click()
    assert chats == ["202"]
    gone = DirectoryEntry(
        "user", "Bram Jansen", "202", (), None, None, "available", "offline", registered=False
    )
    card.colleague_of = lambda c: gone
    card.refresh_presence()
    assert card.presence.text() == "Not signed in"


def test_both_cards_show_the_next_planned_status(qapp: QApplication) -> None:
    now = dt.datetime.now(dt.UTC)
    start = now + dt.timedelta(hours=2)
    planned = (PlannedStatus("meeting", start, start + dt.timedelta(minutes=30)),)
    bram = replace(BRAM, presence="available", until=None, planned=planned)
    card = ColleagueCard()
    card.set_entry(bram, now)
    starts = until_text(start, now)  # the locale's short time, "tomorrow" past midnight
    assert card.next.text().startswith(f"Next: In a meeting {starts}\u2013")
    assert not card.next.isHidden()
    card.set_entry(replace(bram, planned=()), now)
    assert card.next.isHidden()
    contact = ContactCard()
    contact.colleague_of = lambda c: bram
    contact.set_contact(ContactEntry("c1", "company", "Bram", numbers=(ContactNumber("w", "202"),)))
    assert contact.next.text().startswith(f"Next: In a meeting {starts}\u2013")


class _Chat:
    viewing = False

    def __init__(self) -> None:
        self.opened: list[int | None] = []

    def open(self, cid: int | None) -> None:
        self.opened.append(cid)

    def read_open(self) -> None: ...
    def load_earlier(self) -> None: ...
    def send(self, text: str) -> None: ...
    def start_direct(self, extension: str) -> None: ...
    def create_group(self, name: str, members: list[str]) -> None: ...
    def rename(self, cid: int, name: str) -> None: ...
    def add_members(self, cid: int, extensions: list[str]) -> None: ...
    def leave(self, cid: int) -> None: ...
    def typing(self) -> None: ...


def test_call_from_a_one_to_one_chat_header(qapp: QApplication) -> None:
    store = ChatStore()
    store.me = "201"
    now = dt.datetime.now(dt.UTC)
    members = (ChatMember("201", "Anna de Vries"), ChatMember("202", "Bram Jansen"))
    store.put_conversation(ChatConversation(7, "direct", None, members, 0, now))
    group = ChatConversation(8, "group", "Sales", (*members, ChatMember("203", "Chris")), 0, now)
    store.put_conversation(group)
    page = ChatPage(store, _Chat())
    dialled: list[str] = []
    page.on_call = dialled.append
    page.show()
    store.open(7)
    qapp.processEvents()
    assert page.call_button.isVisible()
    page.call_button.click()
    assert dialled == ["202"]
    store.open(8)
    qapp.processEvents()
    assert not page.call_button.isVisible()
