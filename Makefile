# One task runner. `make run` and `make test` are the whole set-up on a fresh machine.
SHELL := /bin/bash
# Resolved when a recipe runs, so a uv installed by the `uv` target is found.
UV = $(shell command -v uv 2>/dev/null || echo python3 -m uv)
PORT ?= 8000
MARQUEE = $(UV) run --frozen marquee

.PHONY: run test lint types migrations-check pytest postgres-test bench sync uv clean

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || \
		python3 -m pip install --quiet uv || \
		python3 -m pip install --quiet --user --break-system-packages uv

sync: uv
	$(UV) sync --frozen --quiet

run: sync
	$(MARQUEE) demo --if-empty
	$(MARQUEE) serve --port $(PORT)

test: sync lint types migrations-check pytest postgres-test

# The same tests on PostgreSQL when TEST_POSTGRES_URL names a server (.ci/run starts one).
postgres-test:
ifdef TEST_POSTGRES_URL
	DATABASE_URL=$(TEST_POSTGRES_URL) $(UV) run --frozen pytest -m "not browser" -p no:cacheprovider
else
	@echo "postgres-test skipped: TEST_POSTGRES_URL is not set"
endif

lint:
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

types:
	$(UV) run --frozen mypy marquee tests bench

migrations-check:
	$(UV) run --frozen marquee makemigrations --check --dry-run

pytest:
	$(UV) run --frozen pytest

bench: sync
	$(UV) run --frozen python bench/pages.py

clean:
	rm -rf .venv var/test-* .pytest_cache .mypy_cache .ruff_cache test-artifacts
