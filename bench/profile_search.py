"""Where a search's CPU goes: cProfile over the service calls /api/search and /api/ask make.

Loads the services as the server does (the index in data/, or HAVEN_DATA_DIR; the query-vector
cache off unless HAVEN_EMBEDDING__QUERY_CACHE is set, so each call embeds), warms up, then
profiles searches and asks over the benchmark questions (English, then the six other
languages) and prints, per stage, the cumulative milliseconds per call and the top entries by
cumulative time. The HTTP layer (uvicorn, FastAPI, pydantic) is not included: bench/bench.py
measures a whole request's CPU time in the server.

    .venv/bin/python bench/profile_search.py                 # search and ask, all languages
    .venv/bin/python bench/profile_search.py --top 40 --rounds 5
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HAVEN_EMBEDDING__QUERY_CACHE", "0")

from common import OTHER_LANGUAGE_QUESTIONS, QUESTIONS

# Stage -> (module path fragment, function name) summed from the profile.
STAGES: dict[str, list[tuple[str, str]]] = {
    "language detection": [
        ("translation/detect.py", "searched_language"),
        ("translation/detect.py", "detect_language"),
    ],
    "question translation": [("answer/service.py", "_to_english")],
    "query embedding": [("index/", "embed_queries")],
    "keyword rankings (passages)": [("index/sqlite_store.py", "keyword_search")],
    "vector rankings (passages)": [("index/faiss_store.py", "search")],
    "question keyword rankings": [("index/sqlite_store.py", "question_search")],
    "question rankings (all)": [("index/retriever.py", "_questions")],
    "lexicon expansion": [("index/retriever.py", "_expansion")],
    "renderings (gloss, vocabulary)": [("index/retriever.py", "_renderings")],
    "handbook mentions": [("index/retriever.py", "mentions")],
    "fusion": [("index/retriever.py", "fuse")],
    "passage loading + hits": [("index/retriever.py", "_hits")],
    "retrieval in all": [("index/retriever.py", "retrieve")],
    "answer: scoring units": [("answer/composer.py", "score_units")],
    "answer: answerability": [("answer/answerability.py", "judge")],
    "answer: composing": [("answer/composer.py", "select_points")],
    "answer: finishing (citations, reminders)": [("answer/service.py", "_finish")],
    "answer: localising": [("answer/localise.py", "localise_answer")],
}


def _stage_ms(stats: pstats.Stats, calls: int) -> list[tuple[str, float]]:
    raw = stats.stats  # type: ignore[attr-defined]
    rows = []
    for stage, keys in STAGES.items():
        total = 0.0
        for (path, _line, name), (_cc, _nc, _tt, ct, _callers) in raw.items():
            if any(fragment in path.replace("\\", "/") and name == fn for fragment, fn in keys):
                total += ct
        rows.append((stage, total * 1000 / calls))
    return rows


def profile(
    label: str, call: Callable[[str], object], queries: list[str], rounds: int, top: int
) -> None:
    for q in queries:  # warm caches the way a running server has them
        call(q)
    # CPU time, not wall time: on a busy machine waiting for a core would swamp the figures.
    profiler = cProfile.Profile(time.process_time)
    started = time.perf_counter()
    cpu_started = time.process_time()
    profiler.enable()
    for _ in range(rounds):
        for q in queries:
            call(q)
    profiler.disable()
    calls = rounds * len(queries)
    wall = (time.perf_counter() - started) * 1000 / calls
    cpu = (time.process_time() - cpu_started) * 1000 / calls
    stats = pstats.Stats(profiler)
    print(
        f"\n== {label}: {calls} calls, {wall:.1f} ms wall, {cpu:.1f} ms CPU per call "
        "(CPU time under the profiler, which adds overhead) =="
    )
    for stage, ms in _stage_ms(stats, calls):
        if ms > 0:
            print(f"  {stage:42} {ms:7.2f} ms/call (cumulative)")
    print(f"-- top {top} by cumulative time --")
    stats.sort_stats("cumulative").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes over the questions")
    parser.add_argument("--top", type=int, default=25, help="entries of the profile printed")
    parser.add_argument("--no-ask", action="store_true", help="profile /api/search only")
    args = parser.parse_args()

    # Imported after the sys.path line above: the script runs from bench/, not installed.
    from core.settings import get_settings
    from wiring.container import Container

    state = Container.load(get_settings())
    if state.ask is None:
        raise SystemExit(f"index not ready: {state.problem} (run `haven ingest`)")
    ask = state.ask
    print(f"embedder {state.embedder.name if state.embedder else '?'}")
    for lang_label, queries in (
        ("English", QUESTIONS),
        ("es fr ru id vi th", OTHER_LANGUAGE_QUESTIONS),
    ):
        profile(
            f"search k=5, {lang_label}", lambda q: ask.search(q, 5), queries, args.rounds, args.top
        )
        if not args.no_ask:
            profile(f"ask, {lang_label}", lambda q: ask.ask(q), queries, args.rounds, args.top)
    state.close()


if __name__ == "__main__":
    main()
