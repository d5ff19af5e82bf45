# Beatbridge: `make run` serves the demo city, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
PYTEST_ARGS ?=
# pytest-xdist workers for the fast suite ("auto": one per core). A file's tests stay on one
# worker, so a module-scoped fixture (the demo city, say) is built once.
TEST_WORKERS ?= auto

.PHONY: run dev test lint format install install-test chromium messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# The task worker and the quarter-hourly jobs (reminders, lost messages, alert digests; cron
# runs them in production) run beside the web server in the same shell, which stops them when
# the server exits. Ctrl-C reaches all three; the trap covers a server that stops by itself.
PERIODIC = trap 'kill $$pause 2>/dev/null; exit' TERM; \
	while true; do $(BIN)/beatbridge send_reminders >/dev/null; \
	$(BIN)/beatbridge requeue_notifications >/dev/null; \
	$(BIN)/beatbridge send_digests >/dev/null; $(BIN)/beatbridge mark_dormant_schemes >/dev/null; sleep 900 & pause=$$!; wait $$pause; done
BESIDE_THE_SERVER = $(BIN)/beatbridge worker & worker=$$!; \
	( $(PERIODIC) ) & periodic=$$!; \
	trap 'kill $$worker $$periodic 2>/dev/null; wait $$worker' EXIT INT TERM

# Links in e-mails (reporters' notifications) point at the server these targets start.
run dev: export SITE_URL ?= http://127.0.0.1:$(PORT)

# The demo serves plain HTTP on this machine, hence HTTPS=0.
run: install
	HTTPS=0 $(BIN)/beatbridge migrate --noinput
	HTTPS=0 $(BIN)/beatbridge collectstatic --noinput --verbosity 0
	HTTPS=0 $(BIN)/beatbridge load_demo --site-url http://127.0.0.1:$(PORT)
	@echo "Serving Beatbridge on http://127.0.0.1:$(PORT)/ with a task worker (Ctrl-C stops all)"
	export HTTPS=0; $(BESIDE_THE_SERVER); \
	HTTPS=0 $(BIN)/gunicorn beatbridge.wsgi --bind 127.0.0.1:$(PORT) --workers $(WORKERS) \
		--access-logfile - --access-logformat '%(m)s %(U)s %(s)s %(M)sms'

dev: install
	DEBUG=1 $(BIN)/beatbridge migrate --noinput
	DEBUG=1 $(BIN)/beatbridge load_demo --site-url http://127.0.0.1:$(PORT)
	export DEBUG=1; $(BESIDE_THE_SERVER); \
	DEBUG=1 $(BIN)/beatbridge runserver 127.0.0.1:$(PORT)

# Debian's Chromium drives the browser tests; Playwright never downloads its own.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install-test chromium lint
	$(BIN)/beatbridge check --fail-level WARNING
	$(BIN)/beatbridge makemigrations --check --dry-run
	$(BIN)/python scripts/check_migration_names.py
	$(BIN)/pytest --numprocesses $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

messages: install
	cd beatbridge && ../$(BIN)/beatbridge makemessages --all --no-obsolete --ignore "*/tests/*"
	cd beatbridge && ../$(BIN)/beatbridge makemessages --all --no-obsolete -d djangojs
	cd beatbridge && ../$(BIN)/beatbridge compilemessages

bench: install-test
	$(BIN)/python bench/locate.py
	$(BIN)/python bench/http.py
	$(BIN)/python bench/crimes.py

clean:
	rm -rf $(VENV) var .pytest_cache
