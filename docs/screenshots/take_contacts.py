"""Take the Contacts screenshots from the REAL app: embedded PBX with the demo organisation,
signed in as Anna de Vries (201), personal contacts added through the app's own controller.

Run under Xvfb from the project root::

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python docs/screenshots/take_contacts.py
    QT_SCALE_FACTOR=1.5 xvfb-run -a -s "-screen 0 2100x1350x24" \\
        .venv/bin/python docs/screenshots/take_contacts.py --suffix @150 --only nl-light

Screens (English and Dutch, light and dark): ``contacts`` (All, a personal contact's card with
every field), ``contacts-company`` (a company contact: read-only), ``contacts-vip`` (the VIP
view), ``contacts-edit`` (the form of a personal contact) and ``contacts-import-report`` (a
rejected CSV file, line by line).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

from PySide6.QtGui import QPixmap  # noqa: E402
from take import Shooter, _written, run_demo  # noqa: E402

from app.stores.contacts import ContactForm, ContactNumber  # noqa: E402
from tests.ui._app_harness import RealApp  # noqa: E402
from ui.contacts_page import ContactsPage  # noqa: E402

EVA = ContactForm(
    "Eva Smit",
    "Smit & Partners Accountants",
    "Financiële administratie",
    "Senior accountant",
    "eva.smit@smitpartners.example",
    "Herengracht 120, 1015 BT Amsterdam",
    (
        ContactNumber("work", "020 624 1187", True),
        ContactNumber("mobile", "06 2831 5570"),
    ),
    "favourite",
)
OTHERS = (
    ContactForm(
        "Kees de Wit",
        "De Wit Transport",
        numbers=(ContactNumber("mobile", "06 1948 2233", True),),
        type="vip",
    ),
    ContactForm("Marloes Bakker", numbers=(ContactNumber("home", "030 231 4455", True),)),
)


def _select(page: ContactsPage, name: str) -> None:
    for row in range(page.list.count()):
        if page.list.item(row).text() == name:
            page.list.setCurrentRow(row)
            return
    raise AssertionError(f"{name} is not listed")


async def _contacts(app: RealApp, shooter: Shooter, tmp: Path) -> None:
    await app.until(lambda: app.online() and app.ctx.contacts.loaded, 90, "signed in")
    window = app.window
    window.resize(1100, 720)
    page = window.contacts_page
    assert page is not None
    window.show_section("contacts")
    for form in (EVA, *OTHERS):
        app.ctx.contacts_ctl.create(form)
    await app.until(
        lambda: len([c for c in app.ctx.contacts.contacts if c.editable]) == 3, 20, "added"
    )
    jan = next(c for c in app.ctx.contacts.contacts if c.name == "Jan Visser")
    app.ctx.contacts_ctl.set_type(jan.id, "vip")
    await app.until(lambda: app.ctx.contacts.get(jan.id).type == "vip", 20, "Jan a VIP")  # type: ignore[union-attr]

    _select(page, "Eva Smit")
    await asyncio.sleep(0.3)
    await shooter.shoot(window, "contacts")
    _select(page, "Jan Visser")
    await asyncio.sleep(0.3)
    await shooter.shoot(window, "contacts-company")
    page.view_buttons["vip"].click()
    await app.until(
        lambda: {page.list.item(r).text() for r in range(page.list.count())} >= {"Jan Visser"}
        and all(c.type == "vip" for c in app.ctx.contacts.contacts),
        20,
        "the VIP view loaded",
    )
    await asyncio.sleep(0.3)
    await shooter.shoot(window, "contacts-vip")
    page.view_buttons["all"].click()  # the view's first page comes from the server again
    await app.until(
        lambda: any(page.list.item(r).text() == "Eva Smit" for r in range(page.list.count())),
        20,
        "every contact listed again",
    )
    _select(page, "Eva Smit")

    async def edit_form() -> QPixmap:
        dialog = page.edit_selected()
        assert dialog is not None
        await asyncio.sleep(0.3)
        shot = dialog.grab()
        dialog.reject()
        return shot

    await shooter.shoot_made("contacts-edit", edit_form)
    broken = tmp / "contacts.csv"
    broken.write_text(
        "name,company,mobile,type\nPiet Jansen,Jansen BV,06 1234 5678,\n"
        ",Zonder Naam BV,06 2345 6789,\nAnja de Groot,,06-abc,\nTom Visser,,,friend\n",
        encoding="utf-8",
    )
    page.import_from(broken)
    await app.until(page.report.isVisible, 20, "the import report")
    await shooter.shoot(window, "contacts-import-report")


def main() -> None:
    parser = argparse.ArgumentParser(description="Take the Contacts screenshots.")
    parser.add_argument("--suffix", default="", help="added to each file name, e.g. @150")
    parser.add_argument("--only", default="", help="one of en-light, nl-light, en-dark, nl-dark")
    args = parser.parse_args()
    run_demo(lambda app, tmp: _contacts(app, Shooter(app, args.suffix, args.only), tmp))
    for path in _written:
        print(path)


if __name__ == "__main__":
    main()
