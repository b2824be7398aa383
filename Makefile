# Satu Pintu: the two commands a new user needs are `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: demo test lint install install-production messages clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## On a server: the runtime packages only, none of the test tools (README, "Production").
install-production:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .

## Fresh clone -> the Lamongan demo at http://127.0.0.1:8000 (safe to run twice).
demo: $(STAMP)
	$(BIN)/satupintu demo

## The whole suite on SQLite, then again on PostgreSQL when DATABASE_URL is set.
test: $(STAMP) lint
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== again on PostgreSQL ($$DATABASE_URL)"; \
		$(BIN)/pytest $(PYTEST_ARGS); \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/satupintu makemigrations --check --dry-run -v0

## Recompile translations after editing satupintu/locale/*/LC_MESSAGES/django.po (needs gettext).
messages: $(STAMP)
	cd satupintu && ../$(BIN)/satupintu compilemessages -v0

clean:
	rm -rf $(VENV) var
