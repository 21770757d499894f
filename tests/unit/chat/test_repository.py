from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from pbx_core.chat import MAX_TEXT, ChatInputError, ChatRepository
from pbx_core.errors import Conflict, NotFound
from pbx_core.store import Store
from pbx_core.store.models import Base

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def repo(store: Store) -> ChatRepository:
    return ChatRepository(store)


def _at(n: int) -> datetime:
    return T0 + timedelta(seconds=n)


def test_the_migrations_create_exactly_the_chat_tables_of_the_models(store: Store) -> None:
    url = str(store._engine.url) if store._engine is not None else ""
    engine = create_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_a_direct_chat_is_one_conversation_whoever_starts_it(repo: ChatRepository) -> None:
    first, created = repo.open_direct("201", "202", T0)
    again, created_again = repo.open_direct("202", "201", _at(1))
    assert created and not created_again
    assert first.id == again.id and first.kind == "direct"
    assert first.extensions == ("201", "202")
    with pytest.raises(ChatInputError, match="other than yourself"):
        repo.open_direct("201", "201", T0)
    with pytest.raises(ChatInputError, match="no colleague with extension 999"):
        repo.open_direct("201", "999", T0)


def test_messages_are_numbered_per_conversation_and_counted_unread(
    repo: ChatRepository,
) -> None:
    direct, _ = repo.open_direct("201", "202", T0)
    group = repo.create_group("201", "Sales", None, ["203"], T0)
    seqs = [repo.post(direct.id, "201", f"hello {n} 👋", _at(n)).message.seq for n in range(3)]
    assert seqs == [1, 2, 3]
    assert repo.post(group.id, "203", "hi all", _at(5)).message.seq == 1
    assert repo.conversation(direct.id, "202").unread == 3
    assert repo.conversation(direct.id, "201").unread == 0  # your own messages are read
    listed = repo.conversations("201")
    assert [c.id for c in listed] == [group.id, direct.id]  # most recent first
    assert listed[0].unread == 1 and listed[0].last_message is not None
    assert listed[0].last_message.text == "hi all"
    assert repo.history(direct.id, "202").messages[0].text == "hello 0 👋"


def test_receipts_move_forward_only_and_read_implies_delivered(repo: ChatRepository) -> None:
    conv, _ = repo.open_direct("201", "202", T0)
    for n in range(4):
        repo.post(conv.id, "201", f"m{n}", _at(n))
    delivered = repo.mark(conv.id, "202", delivered=2)
    assert (delivered.delivered_seq, delivered.read_seq, delivered.changed) == (2, 0, True)
    read = repo.mark(conv.id, "202", read=3)
    assert (read.delivered_seq, read.read_seq) == (3, 3)
    back = repo.mark(conv.id, "202", read=1, delivered=1)
    assert (back.delivered_seq, back.read_seq, back.changed) == (3, 3, False)
    beyond = repo.mark(conv.id, "202", read=99)
    assert beyond.read_seq == 4  # never past the last message
    assert repo.conversation(conv.id, "202").unread == 0
    member = repo.conversation(conv.id, "201").member("202")
    assert member is not None and member.read_seq == 4


def test_history_pages_backwards_and_catches_up_forwards(repo: ChatRepository) -> None:
    conv, _ = repo.open_direct("201", "202", T0)
    for n in range(7):
        repo.post(conv.id, "201", f"m{n + 1}", _at(n))
    newest = repo.history(conv.id, "202", limit=3)
    assert [m.seq for m in newest.messages] == [5, 6, 7] and newest.has_more
    older = repo.history(conv.id, "202", before=5, limit=3)
    assert [m.seq for m in older.messages] == [2, 3, 4] and older.has_more
    oldest = repo.history(conv.id, "202", before=2, limit=3)
    assert [m.seq for m in oldest.messages] == [1] and not oldest.has_more
    later = repo.history(conv.id, "202", after=5, limit=10)
    assert [m.text for m in later.messages] == ["m6", "m7"]
    with pytest.raises(ChatInputError, match="limit"):
        repo.history(conv.id, "202", limit=0)


def test_bad_input_is_refused_and_changes_nothing(repo: ChatRepository) -> None:
    conv, _ = repo.open_direct("201", "202", T0)
    for text in ("", "   \n", "x" * (MAX_TEXT + 1), "a\x00b"):
        with pytest.raises(ChatInputError):
            repo.post(conv.id, "201", text, T0)
    with pytest.raises(NotFound, match="no conversation"):
        repo.post(conv.id, "203", "let me in", T0)
    with pytest.raises(NotFound):
        repo.post(999, "201", "nowhere", T0)
    assert repo.conversation(conv.id, "201").last_seq == 0
    assert repo.history(conv.id, "201").messages == ()


def test_a_retried_message_with_the_same_client_id_is_stored_once(repo: ChatRepository) -> None:
    conv, _ = repo.open_direct("201", "202", T0)
    first = repo.post(conv.id, "201", "once", T0, client_id="c-1")
    again = repo.post(conv.id, "201", "once", _at(1), client_id="c-1")
    assert again.duplicate and again.message == first.message
    assert repo.conversation(conv.id, "201").last_seq == 1


def test_group_rename_members_leave(repo: ChatRepository) -> None:
    group = repo.create_group("201", "  Sales   team ", "https://x/p.png", ["202", "203"], T0)
    assert group.name == "Sales team" and group.extensions == ("201", "202", "203")
    renamed = repo.update(group.id, "202", name="Sales NL", picture=None, set_picture=True)
    assert renamed.name == "Sales NL" and renamed.picture is None
    _, added = repo.add_members(group.id, "203", ["204", "202"], _at(1))
    assert added == ("204",)
    repo.post(group.id, "204", "thanks for adding me", _at(2))
    left = repo.remove_member(group.id, "202", "202", _at(3))
    assert "202" not in left.extensions
    assert [c.id for c in repo.conversations("202")] == []
    with pytest.raises(NotFound):
        repo.history(group.id, "202")
    repo.remove_member(group.id, "201", "203", _at(4))
    assert repo.conversation(group.id, "201").extensions == ("201", "204")
    _, back = repo.add_members(group.id, "201", ["202"], _at(5))
    assert back == ("202",)
    assert repo.history(group.id, "202").messages[0].text == "thanks for adding me"
    with pytest.raises(ChatInputError, match="needs a name"):
        repo.create_group("201", "  ", None, ["202"], T0)
    direct, _ = repo.open_direct("201", "202", T0)
    with pytest.raises(Conflict):
        repo.remove_member(direct.id, "201", "201", T0)
    with pytest.raises(Conflict):
        repo.add_members(direct.id, "201", ["203"], T0)


def test_search_finds_text_in_own_conversations_only(repo: ChatRepository) -> None:
    mine, _ = repo.open_direct("201", "202", T0)
    theirs, _ = repo.open_direct("203", "204", T0)
    repo.post(mine.id, "201", "The Offer is ready 🎉", T0)
    repo.post(mine.id, "202", "100% done_now", _at(1))
    repo.post(theirs.id, "203", "secret offer", _at(2))
    assert [m.text for m in repo.search("201", "offer")] == ["The Offer is ready 🎉"]
    assert [m.text for m in repo.search("202", "100%")] == ["100% done_now"]
    assert repo.search("201", "0%d") == []  # % and _ are literal
    assert [m.text for m in repo.search("201", "🎉")] == ["The Offer is ready 🎉"]


def test_a_group_picture_is_a_web_address_or_a_small_inline_image(repo: ChatRepository) -> None:
    inline = "data:image/jpeg;base64," + "A" * 8000  # a 96 px JPEG as the app sends it
    group = repo.create_group("201", "Sales", inline, ["202"], T0)
    assert repo.conversation(group.id, "202").picture == inline  # kept whole (no 2,000 cut)
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html;base64,PGI+"):
        with pytest.raises(ChatInputError, match="http"):
            repo.update(group.id, "201", name=None, picture=bad, set_picture=True)
    with pytest.raises(ChatInputError, match="longer than"):
        repo.update(
            group.id, "201", name=None, picture="https://x/" + "p" * 40_000, set_picture=True
        )
    assert repo.conversation(group.id, "201").picture == inline  # nothing changed
    https = repo.update(
        group.id, "202", name=None, picture="https://intranet/sales.png", set_picture=True
    )
    assert https.picture == "https://intranet/sales.png"
