#!/bin/sh
# Install the AcmePhone bundle from the folder this script is in.
#
#   ./install.sh            for you: a menu entry and the sip:/tel:/callto: links for this folder
#   sudo ./install.sh --system
#                           for everyone: copies the folder to /opt/AcmePhone, the menu entry to
#                           /usr/share/applications and the headset rule to /etc/udev/rules.d
#   --autostart             also start the app at sign-in (XDG autostart: for you, or with
#                           --system for every user, as the MSI's AUTOSTART=1 does on Windows)
#   ./install.sh --uninstall  [sudo ... --system --uninstall]  removes what the same form added
set -eu
here=$(cd "$(dirname "$0")" && pwd)
scope=user
action=install
autostart=no
for arg in "$@"; do
  case "$arg" in
    --system) scope=system ;;
    --uninstall) action=uninstall ;;
    --autostart) autostart=yes ;;
    *) echo "usage: $0 [--system] [--autostart] [--uninstall]" >&2; exit 2 ;;
  esac
done
if [ "$scope" = system ]; then
  prefix=/opt/AcmePhone
  apps=/usr/share/applications
  icons=/usr/share/icons/hicolor/256x256/apps
  rules=/etc/udev/rules.d
  login=/etc/xdg/autostart
else
  prefix=$here
  apps=${XDG_DATA_HOME:-$HOME/.local/share}/applications
  icons=${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/256x256/apps
  rules=
  login=${XDG_CONFIG_HOME:-$HOME/.config}/autostart
fi
if [ "$action" = uninstall ]; then
  rm -f "$apps/acmephone.desktop" "$icons/acmephone.png" "$login/acmephone.desktop"
  if [ "$scope" = system ]; then
    rm -f "$rules/70-acme-headset.rules"
    rm -rf "$prefix"
  fi
  command -v update-desktop-database >/dev/null && update-desktop-database "$apps" || true
  echo "AcmePhone removed ($scope)"
  exit 0
fi
if [ "$scope" = system ] && [ "$here" != "$prefix" ]; then
  rm -rf "$prefix"
  mkdir -p "$(dirname "$prefix")"
  cp -a "$here" "$prefix"
fi
mkdir -p "$apps" "$icons"
sed "s|@EXEC@|\"$prefix/AcmePhone\"|" "$here/acmephone.desktop" > "$apps/acmephone.desktop"
cp "$here/_internal/resources/app/acmephone.png" "$icons/acmephone.png"
if [ -n "$rules" ]; then
  cp "$here/70-acme-headset.rules" "$rules/"
  if command -v udevadm >/dev/null; then
    udevadm control --reload && udevadm trigger --subsystem-match=hidraw || true
  fi
fi
if [ "$autostart" = yes ]; then
  mkdir -p "$login"
  sed -e "s|@EXEC@ %u|\"$prefix/AcmePhone\" --autostart|" -e '/^MimeType=/d' \
    "$here/acmephone.desktop" > "$login/acmephone.desktop"
  echo "X-GNOME-Autostart-enabled=true" >> "$login/acmephone.desktop"
fi
command -v update-desktop-database >/dev/null && update-desktop-database "$apps" || true
if [ "$scope" = user ] && command -v xdg-mime >/dev/null; then
  for scheme in sip tel callto; do
    xdg-mime default acmephone.desktop "x-scheme-handler/$scheme" || true
  done
fi
echo "AcmePhone installed ($scope): $prefix/AcmePhone"
