# Quick start on a fresh Debian 12 machine:  make run   |   make test
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DATA   ?= $(HOME)/.local/share/AcmePhone-dev
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -n 1)

# Debian packages: the X libraries Qt needs and PortAudio for sounddevice (to run the app);
# SIPp, baresip, SIPVicious (the scanner tests), Xvfb and a D-Bus daemon (notification tests)
# besides for the tests; PostgreSQL 15, of
# which the tests start a private server of their own (tests/support/postgres.py), never the
# system service; Kamailio, which the scale-out test starts in front of two PBX nodes as a
# foreground process on loopback (tests/support/kamailio.py), never the service; wixl and
# msitools build and read the MSI, NSIS and p7zip the per-user setup .exe (make test checks
# both).
DEB_RUN  := libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 libegl1 \
            libportaudio2 libgl1 libfontconfig1 libdbus-1-3
DEB_WIN  := wixl msitools nsis p7zip-full
DEB_TEST := $(DEB_RUN) dbus-daemon sip-tester baresip-core sipvicious xvfb libxtst6 libx11-6 \
            postgresql-15 kamailio $(DEB_WIN)
DEB_INSTALLERS := $(DEB_RUN) $(DEB_WIN) xvfb

.PHONY: run server test lint typecheck deb-run deb-test deb-installers installers msi clean \
        translations ringtone prompts

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

deb-run:
	@$(MAKE) --no-print-directory _deb PACKAGES="$(DEB_RUN)"

deb-test:
	@$(MAKE) --no-print-directory _deb PACKAGES="$(DEB_TEST)"

deb-installers:
	@$(MAKE) --no-print-directory _deb PACKAGES="$(DEB_INSTALLERS)"

_deb:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# The desktop app with its embedded PBX and the demo organisation, signed in as 201.
run: $(STAMP) deb-run
	$(PY) -m app --demo

# The PBX alone in the foreground (an office server, or a softphone of your own).
server: $(STAMP)
	$(PY) -m server --demo --data-dir $(DATA)/pbx --bind 127.0.0.1

test: $(STAMP) deb-test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

lint: $(STAMP)
	$(PY) -m ruff check .

typecheck: $(STAMP)
	$(PY) -m mypy

# What this machine can build into dist/ (installers/README.md): the frozen one-folder program,
# the Linux bundle dist/AcmePhone-$(VERSION)-linux-x86_64.tar.gz, dist/AcmePhone-$(VERSION).msi and
# dist/AcmePhone-$(VERSION)-setup.exe (those two on Linux from a staged tree: the authoring check;
# the installable ones are built on Windows by CI).
INSTALLERS_STAMP := $(VENV)/.installers
LINUX_TARBALL    := dist/AcmePhone-$(VERSION)-linux-x86_64.tar.gz

$(INSTALLERS_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,installers]'
	touch $(INSTALLERS_STAMP)

installers: $(INSTALLERS_STAMP) deb-installers
	$(PY) -m PyInstaller --noconfirm --log-level WARN --distpath dist \
	  --workpath build/pyinstaller installers/acmephone.spec
	cp installers/linux/acmephone.desktop installers/linux/install.sh \
	  resources/linux/70-acme-headset.rules dist/AcmePhone/
	tar -C dist -czf $(LINUX_TARBALL) AcmePhone
	$(PY) installers/build_msi.py
	$(PY) installers/build_setup.py
	@ls -l $(LINUX_TARBALL) dist/AcmePhone-$(VERSION).msi dist/AcmePhone-$(VERSION)-setup.exe

# The MSI and the setup .exe alone (a staged tree unless dist/AcmePhone holds AcmePhone.exe).
msi: $(STAMP)
	@$(MAKE) --no-print-directory _deb PACKAGES="$(DEB_WIN)"
	$(PY) installers/build_msi.py
	$(PY) installers/build_setup.py

# Developer tools (tools/): rebuild the translations after changing strings; the ringtone.
translations: $(STAMP)
	$(PY) -m tools.i18n_build

ringtone: $(STAMP)
	$(PY) -m tools.ringtone_build

# The PBX's spoken prompts (espeak-ng, English and Dutch) and hold music in resources/prompts/.
prompts: $(STAMP)
	@$(MAKE) --no-print-directory _deb PACKAGES="espeak-ng"
	$(PY) -m tools.prompts

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache build dist
