"""Help → About: the product and the versions support asks for (app, Qt, PySide6, pjsua2)."""

from __future__ import annotations

from importlib import metadata

import PySide6
from PySide6.QtCore import QCoreApplication, Qt, qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

__all__ = ["show_about", "versions"]


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
