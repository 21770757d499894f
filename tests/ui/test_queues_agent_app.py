"""The Queues section of the real app as an agent (S6): Anna (201, the demo app's user) is a
member of Support (1500) and Sales (1501). The side bar has Queues; the list shows both queues
with their numbers and waiting counts; her switch logs her in, pauses her and logs her out, and
the server has each state (read through the API as the supervisor, Chris 203). When Chris pauses
her through the API, her row follows by itself (``queue.agent_changed``). A change the server
refuses (Anna changing a colleague) is said in plain words and changes nothing.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from tests.ui._app_harness import RealApp, click
from tests.ui._queues import agent_status, api_as, queue_state, signed_in_as, wait
from ui.queues_page import QueuesPage

pytestmark = [pytest.mark.own_process, pytest.mark.timeout(240)]


@pytest.fixture(scope="module")
def real_app(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealApp]:
    with signed_in_as(tmp_path_factory.mktemp("app") / "data", "201") as app:
        yield app


def _page(app: RealApp) -> QueuesPage:
    page = app.window.queues_page
    assert page is not None, "the main window has the Queues section"
    return page


def _open_section(app: RealApp) -> QueuesPage:
    button = app.window.side_bar.buttons["queues"]
    wait(app, button.isVisible, "the Queues button shows once the queues are read")
    click(button)
    return _page(app)


def test_the_list_shows_my_queues(real_app: RealApp) -> None:
    page = _open_section(real_app)
    wait(real_app, lambda: set(page.list.rows) == {"1500", "1501"}, "Support and Sales listed")
    support, sales = page.list.rows["1500"], page.list.rows["1501"]
    assert support.title.text() == "Support"
    assert sales.title.text() == "Sales"
    assert "1500" in support.details.text()
    assert support.waiting.text() == "0 waiting"
    assert support.switch.isVisible()
    assert page.stack.currentWidget() is page.list


def test_log_in_pause_and_log_out_from_the_list(real_app: RealApp) -> None:
    page = _open_section(real_app)
    wait(real_app, lambda: "1501" in page.list.rows, "Sales listed")
    for status in ("logged_in", "paused", "logged_out"):
        row = page.list.rows["1501"]
        wait(real_app, lambda r=row: r.switch.isEnabled() and all(
            b.isEnabled() for b in r.switch.buttons.values()), "the switch is free")  # fmt: skip
        click(row.switch.buttons[status])
        wait(
            real_app,
            lambda s=status: page.list.rows["1501"].switch.status == s,
            f"the app shows {status}",
        )
        state = real_app.run(queue_state(real_app, "1501"))
        assert agent_status(state, "201") == status


def test_the_supervisor_pauses_me_and_my_row_follows(real_app: RealApp) -> None:
    page = _open_section(real_app)
    wait(real_app, lambda: "1500" in page.list.rows, "Support listed")

    async def chris_pauses_anna() -> None:
        chris = await api_as(real_app, "203")
        try:
            answer = await chris.put("/api/v1/queues/1500/agents/201", json={"status": "paused"})
            assert answer.status_code == 200, answer.text
        finally:
            await chris.aclose()

    real_app.run(chris_pauses_anna())
    wait(real_app, lambda: page.list.rows["1500"].switch.status == "paused", "Anna paused")
    assert page.list.rows["1500"].switch.buttons["paused"].isChecked()


def test_a_refused_change_is_said_in_plain_words(real_app: RealApp) -> None:
    """An agent may not change a colleague's status: the server refuses, the app says why."""
    seen: list[str] = []
    real_app.ctx.notices.posted.connect(lambda notice: seen.append(str(notice.text)))
    controller = real_app.ctx.queues_ctl
    assert controller is not None
    controller.set_status("1500", "202", "logged_out")
    wait(real_app, lambda: bool(seen), "a notice")
    assert seen[-1].startswith("The status of 202 in Support could not be changed: ")
    assert "may not" in seen[-1]
    state = real_app.run(queue_state(real_app, "1500"))
    assert agent_status(state, "202") == "logged_in"  # nothing changed


def test_the_server_away_is_said_and_the_queues_come_back(real_app: RealApp) -> None:
    """The embedded PBX dies: the page says so above what was known, and is current again
    once the PBX is back (its queue states kept)."""
    page = _open_section(real_app)
    wait(real_app, lambda: set(page.list.rows) == {"1500", "1501"}, "both queues listed")
    os.kill(real_app.embedded_pid(), signal.SIGKILL)
    wait(real_app, page.problem.isVisible, "the problem line")
    assert page.problem.text() == (
        "The phone system cannot be reached; the queues show what was known before."
    )
    assert set(page.list.rows) == {"1500", "1501"}  # what was known stays
    wait(real_app, real_app.online, "online again")
    wait(real_app, lambda: not page.problem.isVisible(), "the problem line gone")
    assert page.list.rows["1500"].title.text() == "Support"


def test_taken_off_every_queue_the_page_says_so_and_the_section_goes(real_app: RealApp) -> None:
    """The administrator (Eva, 205) takes Anna off Support and Sales while her Queues page is
    open: "No queues available"; once she leaves the section, its button goes."""
    page = _open_section(real_app)
    wait(real_app, lambda: set(page.list.rows) == {"1500", "1501"}, "both queues listed")

    async def eva_takes_anna_off() -> None:
        eva = await api_as(real_app, "205")
        try:
            for queue in (await eva.get("/api/v1/org/queues")).json():
                queue["members"] = [m for m in queue["members"] if m["extension"] != "201"]
                answer = await eva.put(f"/api/v1/org/queues/{queue['number']}", json=queue)
                assert answer.status_code == 200, answer.text
        finally:
            await eva.aclose()

    real_app.run(eva_takes_anna_off())
    wait(real_app, lambda: page.stack.currentWidget() is page.empty, "the empty state")
    assert page.empty.label.text() == "No queues available"
    button = real_app.window.side_bar.buttons["queues"]
    assert button.isVisible()  # still where she is
    click(real_app.window.side_bar.buttons["calls"])
    wait(real_app, lambda: not button.isVisible(), "the Queues button gone")
