# Haven: two commands on a fresh machine — `make run` and `make test`.
# The interpreter for the venv: PYTHON if given, else the first supported one on the PATH
# (python3.11, 3.12, 3.13, python3); scripts/find_python.sh says what to install if none is.
PYTHON ?=
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The CPU torch wheel for 3.11 lies on disk on the project's machines; elsewhere, and for other
# Pythons, scripts/install_torch.sh takes it from PyTorch's CPU index (or PyPI, with a note).
TORCH_VERSION := 2.13.0
FIND_LINKS := $(if $(wildcard /opt/wheels),--find-links /opt/wheels,)
PIP := $(BIN)/pip install --disable-pip-version-check $(FIND_LINKS)
export HF_HUB_OFFLINE ?= 1
export TRANSFORMERS_OFFLINE ?= 1
export TOKENIZERS_PARALLELISM ?= false

.PHONY: run install install-test system-deps translation-deps export-readers index starter-index serve test test-fast lint format eval bench clean \
	docker-lint fuzz load smoke

# A first start builds the index with the faster MiniLM (about a minute), serves it, and builds
# the multilingual e5 index in the background; the server switches to it when it is ready.
run: install starter-index serve

$(BIN)/python:
	@python=$$(scripts/find_python.sh $(PYTHON)) \
		&& echo "Creating $(VENV) with $$python ($$($$python -V 2>&1))" \
		&& $$python -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check --quiet --upgrade pip

# Torch first and pinned, so nothing later resolves an unpinned (CUDA) torch.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	scripts/install_torch.sh $(BIN) $(TORCH_VERSION)
	$(PIP) --quiet -e ".[multilingual,translate]"
	touch $@

# The llm-test extra compiles llama.cpp (llama-cpp-python has no Linux wheel on PyPI). The
# flags skip what the tests never load (the multimodal library, llama.cpp's own tests,
# examples, tools and server binaries), and build for AVX2 rather than -march=native: the
# native build uses the CPU's AMX tiles, which crash (SIGSEGV) on these machines. pip caches
# the built wheel, so only a fresh machine pays for the build.
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF \
	-DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PIP) --quiet -e ".[multilingual,translate,test,llm-test]"
	touch $@

install: $(VENV)/.installed translation-deps

install-test: $(VENV)/.installed-test system-deps export-readers

# Other programs' readers of the quiz exports (docs/quiz.md): gift-pegjs, at the version in
# tests/support/node/package-lock.json, installed where the tests find it.
NODE_READERS := tests/support/node
export-readers: system-deps
	@if ! command -v npm >/dev/null 2>&1; then echo "note: npm not installed; GIFT reader tests will skip"; \
	elif [ ! $(NODE_READERS)/node_modules/.package-lock.json -nt $(NODE_READERS)/package-lock.json ]; then \
		npm ci --prefix $(NODE_READERS) --no-audit --no-fund --loglevel=error; fi

# Apertium, Debian's rule-based translator: English<->Spanish, and French through Spanish.
# Offline and rough; skipped where the machine has no apt or we are not root (answers in
# those languages then stay in English with a note, and the apertium tests skip).
translation-deps:
	@if command -v apertium >/dev/null 2>&1 && apertium -l 2>/dev/null | grep -q eng-spa \
		&& apertium -l 2>/dev/null | grep -q fr-es; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			apertium apertium-eng-spa apertium-fr-es >/dev/null \
		|| echo "note: apertium could not be installed; Spanish and French answers stay in English"; \
	else echo "note: apertium not installed; Spanish and French answers stay in English"; fi

# Debian packages for the browser tests and translation; skipped where the machine has no apt
# or we are not root, in which case those tests skip themselves.
system-deps: translation-deps
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "note: chromium not installed; browser tests will skip"; fi
	@if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	else echo "note: node not installed; the GIFT reader tests will skip"; fi
	@if command -v soffice >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends libreoffice-calc-nogui >/dev/null; \
	else echo "note: LibreOffice not installed; the CSV-in-Calc test will skip"; fi

# Incremental: embeds only new or changed documents, and does nothing when the index is current.
index: install
	$(BIN)/haven ingest corpus

# `make run`'s build: with no index yet, the starter (MiniLM) build; a starter build in use is
# left for `haven serve` to replace in the background; otherwise the same as `make index`.
starter-index: install
	$(BIN)/haven ingest corpus --starter

serve: install
	$(BIN)/haven serve --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/pytest

test-fast: install-test
	$(BIN)/pytest -m "not integration and not browser"

lint: install-test docker-lint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/shellcheck scripts/*.sh

# Docker cannot run everywhere; the Dockerfile is linted wherever the tests run.
docker-lint: install-test
	$(BIN)/hadolint Dockerfile

# Builds the image with podman from a debootstrapped Debian bookworm base, then serves from the
# image's files in a chroot with no network and asks one question. Root; slow, so not part of
# `make test`. What it does and does not exercise: docs/deployment.md.
.PHONY: image-test
image-test:
	tests/image/run_image_test.sh

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# English set (retrieval and answers), then the multilingual set: hit@5 and MRR per language
# for each embedder and ingredient (an index for the other embedder is built once, in
# data/eval-<backend>; unavailable embedders are skipped).
eval: install index
	$(BIN)/haven eval
	$(BIN)/haven eval --questions eval/data/questions-multilingual.jsonl --no-answers \
		--embedder e5 --embedder sentence-transformers --ablation
	@echo "== held-out set (never tuned on) =="
	$(BIN)/haven eval --questions eval/data/heldout-questions.jsonl
	$(BIN)/haven eval --questions eval/data/heldout-multilingual.jsonl \
		--embedder e5 --embedder sentence-transformers --ablation

# Issue 15's figures in one run, before beside after (bench/README.md); each part runs alone too.
bench: install-test index
	$(BIN)/python bench/bench.py

# Every schemathesis phase against `haven serve` (two workers, 127.0.0.1) over a copy of the
# full index; zero server errors allowed. FUZZ_EXAMPLES per operation, FUZZ_SECONDS at most.
FUZZ_EXAMPLES ?= 50
FUZZ_SECONDS ?= 600
fuzz: install-test
	FUZZ_SERVER=1 FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_SECONDS=$(FUZZ_SECONDS) \
		$(BIN)/pytest -p no:cacheprovider tests/test_fuzz.py::test_server_survives_schemathesis

# Concurrent search, ask and upload against 1 then 2 workers (LOAD_ARGS="--quick" for a smoke
# run); prints throughput, latency percentiles, errors and peak memory, fails on 5xx or loss.
load: install-test index
	$(BIN)/python bench/load_test.py $(LOAD_ARGS)

# One Python's install and first run, in a venv of its own: `make smoke PYTHON=python3.12`
# installs, ingests two short handbooks into a scratch folder and asks one question
# (docs/python-versions.md). CI runs the full suite on one version instead.
SMOKE_VENV ?= .venv-smoke$(if $(PYTHON),-$(notdir $(PYTHON)))
smoke:
	$(MAKE) install VENV=$(SMOKE_VENV)
	scripts/smoke.sh $(SMOKE_VENV)/bin

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
