# ActLocal — two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WEB_WORKERS ?= 3
export ACTLOCAL_DATA_DIR ?= $(CURDIR)/var
export ACTLOCAL_BASE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run install install-dev assets migrate demo serve test lint typecheck pytest bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installs exactly the versions in constraints.txt (the lock).
$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed assets
install-dev: $(VENV)/.installed-dev assets

# Front-end libraries (htmx, Leaflet) from npm, pinned by package-lock.json.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
assets: node_modules/.package-lock.json

migrate: install
	$(BIN)/actlocal migrate --no-input -v 0

demo: migrate
	$(BIN)/actlocal demo

run: demo
	@echo "Serving ActLocal on $(ACTLOCAL_BASE_URL) with the logins above (Ctrl-C to stop)"
	@trap 'kill 0' INT TERM EXIT; \
	  $(BIN)/actlocal worker --no-reload --interval 1 & \
	  while sleep 60; do $(BIN)/actlocal periodic >/dev/null; done & \
	  $(BIN)/gunicorn actlocal.wsgi:application --bind 127.0.0.1:$(PORT) \
	    --workers $(WEB_WORKERS) --worker-class gthread --threads 4 --timeout 60 --access-logfile - ; wait

test: install-dev lint typecheck pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-dev
	$(BIN)/mypy

pytest: install-dev
	$(BIN)/python -m pytest --cov --cov-report=term:skip-covered $(PYTEST_ARGS)

bench: install-dev
	$(BIN)/python -m bench $(BENCH_ARGS)

# Regenerate the Spanish catalogue after changing user-facing text.
messages: install-dev
	cd src/actlocal && ../../$(BIN)/actlocal makemessages -l es --no-obsolete -e html,txt,py,subject -i "api/*" && ../../$(BIN)/actlocal compilemessages -l es

# Refresh the lock after changing dependencies in pyproject.toml.
lock: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean:
	rm -rf $(VENV) node_modules .mypy_cache .ruff_cache .coverage
