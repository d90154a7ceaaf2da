# One task runner. `make run` and `make test` are the whole set-up on a fresh machine.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
PORT ?= 8000
MARQUEE := $(UV) run --frozen marquee

.PHONY: run test lint types migrations-check pytest browser-test bench sync uv clean

uv:
	@command -v uv >/dev/null 2>&1 || test -x "$(UV)" || python3 -m pip install --user --quiet uv

sync: uv
	$(UV) sync --frozen --quiet

run: sync
	$(MARQUEE) migrate --no-input
	$(MARQUEE) demo --if-empty
	$(MARQUEE) serve --port $(PORT)

test: sync lint types migrations-check pytest

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
