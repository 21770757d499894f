# Quick start on a fresh Debian 12 machine:  make run   |   make test
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DATA   ?= $(HOME)/.local/share/AcmePhone-dev

# Debian packages: SIPp for the SIP tests, Xvfb and the X libraries Qt needs,
# PortAudio for sounddevice.
DEB_PACKAGES := sip-tester xvfb libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 \
                libxkbcommon-x11-0 libegl1 libportaudio2 libgl1 libfontconfig1 libdbus-1-3

.PHONY: run server test lint typecheck deb-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

deb-deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

run: $(STAMP)
	$(PY) -m server --demo --data-dir $(DATA)/pbx --bind 127.0.0.1

server: run

test: $(STAMP) deb-deps
	$(PY) -m pytest -q

lint: $(STAMP)
	$(PY) -m ruff check .

typecheck: $(STAMP)
	$(PY) -m mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache
