# Haven: two commands on a fresh machine — `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The CPU torch wheel lies on disk on the project's machines; elsewhere pip finds it on PyPI.
FIND_LINKS := $(if $(wildcard /opt/wheels),--find-links /opt/wheels,)
PIP := $(BIN)/pip install --disable-pip-version-check $(FIND_LINKS)
export HF_HUB_OFFLINE ?= 1
export TRANSFORMERS_OFFLINE ?= 1
export TOKENIZERS_PARALLELISM ?= false

.PHONY: run install install-test system-deps index serve test test-fast lint format eval bench clean

run: install index serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check --quiet --upgrade pip

# Torch first and pinned, so nothing later resolves an unpinned (CUDA) torch.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) --quiet torch==2.13.0
	$(PIP) --quiet -e ".[multilingual]"
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PIP) --quiet -e ".[multilingual,test]"
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test system-deps

# Debian packages for the browser tests (and apertium once translation lands); skipped where
# the machine has no apt or we are not root, in which case those tests skip themselves.
system-deps:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "note: chromium not installed; browser tests will skip"; fi

# Incremental: embeds only new or changed documents, and does nothing when the index is current.
index: install
	$(BIN)/haven ingest corpus

serve: install
	$(BIN)/haven serve --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/pytest

test-fast: install-test
	$(BIN)/pytest -m "not integration and not browser"

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

eval: install index
	$(BIN)/haven eval

bench: install-test index
	$(BIN)/python bench/ingest_bench.py
	$(BIN)/python bench/search_bench.py

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
