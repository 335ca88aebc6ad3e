"""Retrieval quality of the naive pipeline (eval/baseline.py) next to the product's.

Prints hit@5 and MRR (original evidence; pooled in brackets) for keyword, vector and hybrid
search on the English evaluation set, its two fixed halves, and the user's dev set. Uses the
index in data/ (or HAVEN_DATA_DIR) for the product; the naive windows' vectors are cached in
<data_dir>/eval-baseline/.

    .venv/bin/python bench/baseline_naive.py [--window 200]
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from core.settings import get_settings
from eval.baseline import NaiveConfig, load_naive
from eval.questions import DATA_DIR, load_questions
from eval.retrieval import MODES, Searcher, evaluate_questions
from eval.split import HALVES, half_of
from wiring.container import Container


def _cell(report: dict[str, Any], mode: str) -> str:
    strict, pooled = report["overall_strict"][mode], report["overall"][mode]
    return f"{strict['hit@5']:.3f} ({pooled['hit@5']:.3f}) / {strict['mrr']:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--window", type=int, default=200, help="Words per naive window.")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    settings = get_settings()
    state = Container.load(settings)
    if state.retriever is None or state.embedder is None:
        sys.exit(f"no index: {state.problem} (run `haven ingest` first)")
    naive = load_naive(
        settings.corpus_dir,
        settings.catalog_path,
        state.embedder,
        settings.data_dir / "eval-baseline",
        NaiveConfig(window_words=args.window),
    )
    print(f"naive: {len(naive.chunks)} windows of {args.window} words")
    english = load_questions(DATA_DIR / "questions.jsonl")
    sets = {
        "questions.jsonl": english,
        **{f"  half {h}": [q for q in english if half_of(q.id) == h] for h in HALVES},
        "dev-questions.jsonl": load_questions(DATA_DIR / "dev-questions.jsonl"),
    }
    systems: dict[str, Searcher] = {"haven": state.retriever, "naive": naive}
    print("hit@5 with original evidence (pooled in brackets) / MRR")
    print(f"{'set':22} {'system':7} " + " ".join(f"{m:>23}" for m in MODES))
    for name, questions in sets.items():
        answerable = sum(q.answerable for q in questions)
        for system, searcher in systems.items():
            report = evaluate_questions(searcher, questions, name)
            cells = " ".join(f"{_cell(report, m):>23}" for m in MODES)
            print(f"{name + f' ({answerable})':22} {system:7} {cells}")


if __name__ == "__main__":
    main()
