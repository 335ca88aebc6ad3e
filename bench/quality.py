"""Retrieval quality of the optimised path beside the unoptimised one: hybrid hit@5 per
language on the multilingual sets (the tuning set and the held-out set, with their English
originals), for the MiniLM index built and queried with torch and the one built and queried
with ONNX Runtime. Uses the builds bench/ingest_bench.py leaves in .cache/bench/ (and makes
them first if they are missing). The e5 backend is not compared: its engine gives the same
vectors bit for bit either way (bench/ingest_bench.py checks nothing else changed).

    .venv/bin/python bench/quality.py
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from ingest_bench import RUNTIMES, minilm_dir

ROOT = Path(__file__).resolve().parent.parent
SETS = ("questions-multilingual.jsonl", "heldout-multilingual.jsonl")
ALLOWED_DROP = 0.01


def hit_at_5(runtime: str) -> dict[str, float]:
    from core.settings import Settings
    from eval.multilingual import run_multilingual_eval, with_sources
    from eval.questions import DATA_DIR, load_questions
    from eval.run import eval_translate
    from index.config import embedder_spec, load_retriever
    from index.embedder import make_embedder
    from translation.factory import load_translation

    base = Settings()
    embedding = base.embedding.model_copy(update={"runtime": runtime, "query_cache": 0})
    settings = base.model_copy(update={"data_dir": minilm_dir(runtime), "embedding": embedding})
    retriever = load_retriever(settings, make_embedder(embedder_spec(settings)))
    translate = eval_translate(load_translation(base))
    questions = [q for name in SETS for q in load_questions(DATA_DIR / name)]
    report = run_multilingual_eval(
        {runtime: retriever}, with_sources(questions), 5, translate, ("all",)
    )
    retriever.close()
    by_lang = report["embedders"][runtime]["all"]
    return {lang: m["hit@5"] for lang, m in by_lang.items()}


def main() -> None:
    if not all((minilm_dir(r) / "index" / "current").exists() for r in RUNTIMES):
        print("no bench builds yet: running bench/ingest_bench.py --only minilm first")
        subprocess.run(
            [sys.executable, str(Path(__file__).with_name("ingest_bench.py")), "--only", "minilm"],
            check=True,
        )
    scores = {runtime: hit_at_5(runtime) for runtime in RUNTIMES}
    langs = sorted(scores["torch"], key=lambda lang: (lang != "en", lang))
    print("\nhybrid hit@5 per language (multilingual tuning + held-out sets, MiniLM)")
    print(f"{'':6} {'before (torch)':>15} {'after (onnx)':>13} {'change':>8}")
    worst = 0.0
    for lang in langs:
        a, b = scores["torch"][lang], scores["onnx"].get(lang, 0.0)
        worst = min(worst, b - a)
        print(f"{lang:6} {a:15.3f} {b:13.3f} {b - a:+8.3f}")
    verdict = "holds" if worst >= -ALLOWED_DROP else "DROPS"
    print(f"largest drop {max(0.0, -worst):.3f} (allowed {ALLOWED_DROP}): quality {verdict}")


if __name__ == "__main__":
    main()
