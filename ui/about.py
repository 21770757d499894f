"""Help → About: the product and the versions support asks for (app, Qt, PySide6, pjsua2); and
Help → Download installers, for admins (seed 000 "Inloggen & Installeren"): the setup .exe, the
.dmg and the .msi for IT, with the links the update feed gives (app/updates.py)."""

from __future__ import annotations

import html
from importlib import metadata

import PySide6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, qVersion
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from app.bus import Changes
from app.stores import SessionStore
from app.updates import UpdateStore

__all__ = ["DownloadsAction", "download_rows", "show_about", "show_downloads", "versions"]

_KINDS = ("exe", "msi", "dmg", "linux")


def _dist_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return QCoreApplication.translate("About", "not installed")


def versions() -> list[tuple[str, str]]:
    """(component, version) pairs; pjsua2 is read from package metadata, never imported here."""
    return [
        ("Acme Phone", _dist_version("acme-softphone")),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("pjsua2", _dist_version("pjsua2-python")),
    ]


def show_about(parent: QWidget | None) -> QMessageBox:
    """Open the About box (non-blocking) and return it."""
    rows = "".join(f"<tr><td>{k}</td><td>&nbsp;&nbsp;{v}</td></tr>" for k, v in versions())
    text = QCoreApplication.translate("About", "A business softphone with a built-in phone system.")
    notice = QCoreApplication.translate(
        "About", "Emergency calls (112) are not supported: use a mobile or a fixed phone."
    )
    box = QMessageBox(parent)
    box.setWindowTitle(QCoreApplication.translate("About", "About Acme Phone"))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(f"<h3>Acme Phone</h3><p>{text}</p><table>{rows}</table><p>{notice}</p>")
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.open()
    return box


def _kind_name(kind: str) -> str:
    names = {
        "exe": QCoreApplication.translate("About", "Windows setup (.exe), for one user"),
        "msi": QCoreApplication.translate("About", "Windows Installer (.msi), for IT"),
        "dmg": QCoreApplication.translate("About", "macOS (.dmg)"),
        "linux": QCoreApplication.translate("About", "Linux (.tar.gz)"),
    }
    return names.get(kind, kind)


def download_rows(updates: UpdateStore) -> list[tuple[str, str]]:
    """(name, url) of each installer the feed lists, in a fixed order."""
    latest = updates.latest
    if latest is None:
        return []
    links = dict(latest.downloads)
    order = [k for k in _KINDS if k in links] + sorted(set(links) - set(_KINDS))
    return [(_kind_name(k), links[k]) for k in order]


def show_downloads(parent: QWidget | None, updates: UpdateStore) -> QMessageBox:
    """The installers with their links (non-blocking), or why there are none."""
    rows = download_rows(updates)
    box = QMessageBox(parent)
    box.setWindowTitle(QCoreApplication.translate("About", "Download installers"))
    box.setTextFormat(Qt.TextFormat.RichText)
    if rows:
        version = updates.latest.version if updates.latest is not None else ""
        intro = QCoreApplication.translate(
            "About", "Installers of Acme Phone {0} for your organisation:"
        ).format(html.escape(version))
        items = "".join(
            f'<li><a href="{html.escape(url, quote=True)}">{html.escape(name)}</a></li>'
            for name, url in rows
        )
        box.setText(f"<p>{intro}</p><ul>{items}</ul>")
    else:
        box.setText(
            QCoreApplication.translate(
                "About", "The download links are not available: the update service was not reached."
            )
        )
    label = box.findChild(QWidget, "qt_msgbox_label")
    if label is not None:
        label.setProperty("openExternalLinks", True)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.open()
    return box


class DownloadsAction(QAction):
    """Help → Download installers: shown to admins only (roles from ``/api/v1/me``)."""

    def __init__(self, session: SessionStore, updates: UpdateStore, parent: QWidget) -> None:
        super().__init__(parent)
        self._session = session
        self._updates = updates
        self.box: QMessageBox | None = None
        self.triggered.connect(lambda _=False: self._show(parent))
        session.hub.subscribe(self._on_changes, owner=self)
        parent.installEventFilter(self)
        self.refresh()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches("session"):
            self.refresh()

    def refresh(self) -> None:
        me = self._session.me
        self.setVisible(me is not None and "admin" in me.roles)
        self.setText(QCoreApplication.translate("About", "Download installers…"))

    def _show(self, parent: QWidget) -> None:
        self.box = show_downloads(parent, self._updates)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LanguageChange:
            self.refresh()
        return False
