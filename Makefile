# Quick start on a fresh Debian 12 machine:  make run   |   make test
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DATA   ?= $(HOME)/.local/share/AcmePhone-dev

# Debian packages: the X libraries Qt needs and PortAudio for sounddevice (to run the app);
# SIPp and Xvfb besides for the tests.
DEB_RUN  := libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 libegl1 \
            libportaudio2 libgl1 libfontconfig1 libdbus-1-3
DEB_TEST := $(DEB_RUN) sip-tester xvfb libxtst6 libx11-6

.PHONY: run server test lint typecheck deb-run deb-test clean translations ringtone

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

deb-run:
	@$(MAKE) --no-print-directory _deb PACKAGES="$(DEB_RUN)"

deb-test:
	@$(MAKE) --no-print-directory _deb PACKAGES="$(DEB_TEST)"

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

# Developer tools (tools/): rebuild the translations after changing strings; the ringtone.
translations: $(STAMP)
	$(PY) -m tools.i18n_build

ringtone: $(STAMP)
	$(PY) -m tools.ringtone_build

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache
