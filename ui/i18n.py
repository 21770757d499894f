"""Loading the translations: ours from resources/translations, Qt's own where installed.

The language is the settings' code (``"en"``, ``"nl"``) or ``""`` for the system language;
anything without a catalogue falls back to English (the source strings).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.paths import resource

__all__ = ["LANGUAGES", "TRANSLATION_DIR", "Translations", "resolve_language"]

TRANSLATION_DIR = resource("translations")
LANGUAGES: tuple[tuple[str, str], ...] = (("en", "English"), ("nl", "Nederlands"))
"""The shipped languages with their own names (shown untranslated in Settings)."""


def resolve_language(code: str | None) -> str:
    """The language to load: the given code, else the system's, English when not shipped."""
    wanted = (code or QLocale.system().name()).split("_")[0].lower()
    return wanted if wanted in {c for c, _ in LANGUAGES} else "en"


class Translations:
    """Installs the catalogues; a switch replaces whatever any instance installed before."""

    _installed: list[QTranslator] = []  # noqa: RUF012 - one set of translators per process

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self.language = "en"

    def install(self, code: str | None) -> str:
        """Switch to ``code`` (or the system language); returns the language now in force."""
        language = resolve_language(code)
        installed = Translations._installed
        for tr in installed:
            self._app.removeTranslator(tr)
        installed.clear()
        ours = QTranslator(self._app)
        if ours.load(str(TRANSLATION_DIR / f"acmephone_{language}.qm")):
            installed.append(ours)
        if language != "en":
            qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            qt = QTranslator(self._app)
            if qt.load(f"qtbase_{language}", qt_dir):
                installed.append(qt)
        for tr in installed:
            self._app.installTranslator(tr)
        self.language = language
        QLocale.setDefault(QLocale(language))
        return language
