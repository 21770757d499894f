"""dmgbuild settings: the .app and a link to /Applications in a compressed disk image.

    dmgbuild -s installers/macos/dmg_settings.py -D app=dist/AcmePhone.app \
        "Acme Phone" dist/AcmePhone-<version>.dmg
"""

import os.path

application = defines.get("app", "dist/AcmePhone.app")  # noqa: F821 - set by dmgbuild
appname = os.path.basename(application)

format = "UDZO"
filesystem = "HFS+"
files = [application]
symlinks = {"Applications": "/Applications"}
icon_locations = {appname: (140, 120), "Applications": (500, 120)}
window_rect = ((100, 100), (640, 300))
icon_size = 96
background = "builtin-arrow"
