# The two commands: `make run` serves the demo at http://127.0.0.1:8000, `make test` runs
# every check and the whole suite. Both set up the environment with uv first.
SHELL := /bin/bash
UV = $(shell scripts/ensure-uv)
PY = .venv/bin/python
PYTEST_WORKERS ?= auto
# More pytest arguments, e.g. PYTEST_ARGS='-m "not browser"' (what CI's second run passes).
PYTEST_ARGS ?=

.PHONY: install run test lint format messages clean bench bench-smoke

install:
	$(UV) sync --frozen

run: install
	scripts/run

test: install lint
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# The deployment under load beside its ceiling (PostgreSQL at 127.0.0.1, wrk installed); see
# docs/performance.md. bench-smoke is the same harness in a few seconds, as CI runs it.
bench: install
	$(PY) bench/run.py

bench-smoke: install
	$(PY) bench/run.py --smoke

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	.venv/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check --fail-level WARNING

format:
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

# Extract the strings to translate and compile them (needs GNU gettext; the compiled .mo
# files are committed, so nobody else needs it). The catalogue is kept wrapped at 100 columns,
# like the code, so that an extraction changes only the entries that changed.
PO = src/ventanilla/locale/en/LC_MESSAGES/django.po
messages:
	cd src/ventanilla && ../../$(PY) ../../manage.py makemessages -l en --no-obsolete --no-location --ignore "*/migrations/*" --ignore "demo/*"
	$(PY) -c "import polib; polib.pofile('$(PO)', wrapwidth=100).save()"
	cd src/ventanilla && ../../$(PY) ../../manage.py compilemessages -l en -l es

clean:
	rm -rf .venv .mypy_cache .ruff_cache
