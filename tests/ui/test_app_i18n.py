"""The app core's messages go through Qt translation, and the Dutch catalogue is complete.

Switching to Dutch changes what the real session controller and calls controller say (a session
message and a notice); every message marked in app/ and every string of ui/ has a finished Dutch
translation in resources/translations/acmephone_nl.ts.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app.headless import headless
from app.notices import Notice
from tools.i18n_build import APP_CONTEXT, app_messages
from ui.i18n import TRANSLATION_DIR, Translations

_APP_DIR = Path(__file__).resolve().parents[2] / "app"


@pytest.fixture
def translations(qapp: QApplication) -> Iterator[Translations]:
    t = Translations(qapp)
    yield t
    t.install("en")


def _catalogue(code: str) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(TRANSLATION_DIR / f"acmephone_{code}.ts").getroot()
    return {
        (str(c.findtext("name") or ""), str(m.findtext("source"))): m
        for c in root.iter("context")
        for m in c.iter("message")
    }


def _said(tmp_path: Path, language: str, translations: Translations) -> tuple[str, list[str]]:
    """The session's message when a remote user must sign in, and the notice F8 gives."""
    translations.install(language)
    with headless(tmp_path / language, demo=False) as (ctx, _loop):
        posted: list[Notice] = []
        ctx.notices.posted.connect(posted.append)
        ctx.settings.mode = "remote"
        ctx.session_ctl.start()
        ctx.calls_ctl.call_clipboard("see you at lunch")
        return ctx.session.message, [n.text for n in posted]


def test_switching_to_dutch_changes_a_session_message_and_a_notice(
    qapp: QApplication, tmp_path: Path, translations: Translations
) -> None:
    message, notices = _said(tmp_path, "en", translations)
    assert message == "Please sign in."
    assert notices == ["The clipboard holds no phone number."]
    message, notices = _said(tmp_path, "nl", translations)
    assert message == "Meld je aan."
    assert notices == ["Er staat geen telefoonnummer op het klembord."]


def test_app_messages_are_collected_for_lupdate(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text(
        "from PySide6.QtCore import QCoreApplication\n"
        "a = tr('One {0}').format(1)\n"
        "b = QCoreApplication.translate('app', 'Two')\n"
        "c = QCoreApplication.translate('Other', 'Not ours')\n"
        "d = tr(variable)\n"
        "e = tr('One {0}')\n"
    )
    assert sorted(app_messages([source])) == ["One {0}", "Two"]


def test_dutch_catalogue_is_complete_for_app_and_ui() -> None:
    nl = _catalogue("nl")
    unfinished = [
        key
        for key, m in nl.items()
        if m.find("translation") is None or m.find("translation").get("type")  # type: ignore[union-attr]
    ]
    assert unfinished == []
    missing = [t for t in app_messages(_APP_DIR.rglob("*.py")) if (APP_CONTEXT, t) not in nl]
    assert missing == [], "run python -m tools.i18n_build and translate the new entries"
    assert nl[(APP_CONTEXT, "Signing in…")].findtext("translation") == "Aanmelden…"
    assert (TRANSLATION_DIR / "acmephone_nl.qm").stat().st_mtime >= (
        TRANSLATION_DIR / "acmephone_nl.ts"
    ).stat().st_mtime - 1


def test_failed_call_reasons_are_dutch_in_the_dutch_app(
    qapp: QApplication, translations: Translations
) -> None:
    from app.outcome_text import outcome_label, outcome_sentence

    translations.install("nl")
    assert outcome_sentence("not_found", "999", "999") == "Nummer 999 bestaat niet"
    assert outcome_sentence("caller_gave_up", "Bram", "202") == "Bram hing op voordat je opnam"
    assert outcome_label("busy") == "In gesprek"
    translations.install("en")
    assert outcome_sentence("not_found", "999", "999") == "Number 999 does not exist"
