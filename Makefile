# municloud developer and CI tasks. See README.md.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.NOTPARALLEL:

PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.stamp
PY := $(VENV)/bin/python
PYTEST := $(PY) -m pytest -q -p no:cacheprovider
PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: help venv run test lint bench clean-db sys-base sys-test

help:
	@echo "make venv      create/update .venv (python3 -m venv + uv pip install -e '.[dev]')"
	@echo "make run       migrate, load demo data if var/municloud.db is new, serve on 127.0.0.1:8000"
	@echo "make test      pytest on SQLite, then on a throw-away PostgreSQL (PYTEST_ARGS=...)"
	@echo "make lint      ruff check src tests bench"
	@echo "make bench     python -m bench (BENCH_ARGS=...)"
	@echo "make clean-db  remove var/municloud.db*"

venv: $(STAMP)

# Rebuilt only when pyproject.toml is newer than the stamp (or .venv is gone).
$(STAMP): pyproject.toml
	@if ! $(PYTHON) -c 'import venv, ensurepip' >/dev/null 2>&1; then \
	    scripts/install-system-packages.sh base; \
	fi
	@if [ -x $(PY) ] && $(PY) -c 'import sys; assert sys.version_info >= (3, 11)' >/dev/null 2>&1; then \
	    : ; \
	else \
	    echo "creating $(VENV) with $$(command -v $(PYTHON))"; \
	    $(PYTHON) -m venv --clear $(VENV); \
	fi
	@[ -x $(VENV)/bin/uv ] || { echo '$(PY) -m pip install uv'; $(PY) -m pip install -q --disable-pip-version-check uv; }
	$(VENV)/bin/uv pip install -q --python $(PY) -e '.[dev]'
	@touch $@

sys-base:
	@scripts/install-system-packages.sh base

sys-test:
	@scripts/install-system-packages.sh base postgres fonts browser

run: sys-base venv
	@fresh=0; [ -e var/municloud.db ] || fresh=1; \
	$(VENV)/bin/municloud db upgrade; \
	if [ $$fresh -eq 1 ]; then \
	    echo "$(VENV)/bin/municloud demo"; \
	    $(VENV)/bin/municloud demo; \
	fi
	$(VENV)/bin/municloud serve --host 127.0.0.1 --port 8000

# Both runs always happen; the target fails if either failed.
test: sys-test venv
	@echo "== tests on SQLite =="
	@sqlite=0; env -u MUNICLOUD_TEST_DATABASE_URL $(PYTEST) $(PYTEST_ARGS) || sqlite=$$?; \
	echo "== tests on PostgreSQL 15 =="; \
	pg=0; scripts/with-postgres.sh $(PYTEST) $(PYTEST_ARGS) || pg=$$?; \
	echo "== SQLite: exit $$sqlite, PostgreSQL: exit $$pg =="; \
	[ $$sqlite -eq 0 ] && [ $$pg -eq 0 ]

lint: venv
	$(VENV)/bin/ruff check src tests bench

bench: venv
	$(PY) -m bench $(BENCH_ARGS)

clean-db:
	rm -f var/municloud.db*
