"""Full-corpus ingest into a fresh directory: seconds, chunks/s, peak memory."""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> None:
    # Imported after the sys.path line above: the script runs from bench/, not installed.
    from core.settings import Settings
    from documents.catalog import index_builder
    from index.config import chunker_config, embedder_spec
    from index.embedder import make_embedder
    from ingest.catalog import load_catalog
    from ingest.pipeline import chunk_file, discover

    settings = Settings()
    catalog = load_catalog(settings.catalog_path)
    files = discover([settings.corpus_dir])
    started = time.perf_counter()
    chunk_count = sum(
        len(chunk_file(f, catalog.info_for(f), chunker_config(settings))) for f in files
    )
    chunk_seconds = time.perf_counter() - started
    load_started = time.perf_counter()
    embedder = make_embedder(embedder_spec(settings))
    load_seconds = time.perf_counter() - load_started
    with tempfile.TemporaryDirectory() as tmp:
        # As `haven ingest` builds, hypothetical questions included, into a fresh folder.
        fresh = settings.model_copy(update={"data_dir": Path(tmp)})
        report = index_builder(fresh, embedder).build([settings.corpus_dir])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"full-corpus ingest ({len(files)} documents, embedder {embedder.name})")
    print(f"  chunking only               {chunk_seconds:8.1f} s  ({chunk_count} chunks)")
    print(f"  model load                  {load_seconds:8.1f} s")
    print(f"  ingest (chunk+embed+index)  {report.seconds:8.1f} s")
    print(f"  chunks/s                    {report.chunks / report.seconds:8.1f}")
    embedded = report.embedded_questions
    print(f"  hypothetical questions      {report.questions:8d}  ({embedded} embedded)")
    print(f"  peak memory (RSS)           {peak_mb:8.0f} MB")


if __name__ == "__main__":
    main()
