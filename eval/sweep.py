"""Weight sweeps for tuning retrieval: hybrid hit@k / MRR per language for each setting.

    .venv/bin/python -m eval.sweep --questions eval/data/questions.jsonl \
        --questions eval/data/questions-multilingual.jsonl --half A \
        --set question_keyword_weight=0,0.5,1,2 --set question_vector_weight=0,1

Each `--set` field is varied alone from the configured settings (one factor at a time).
Tune on half A of the tuning sets, confirm on half B; never pass the held-out set here.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Sequence
from pathlib import Path

from core.settings import get_settings
from eval.multilingual import with_sources
from eval.questions import Question, load_questions
from eval.retrieval import Translate, evaluate_questions
from eval.run import eval_translate
from eval.split import half_of
from wiring.container import Container


def _questions(paths: Sequence[str], half: str | None) -> list[Question]:
    loaded = [q for p in paths for q in load_questions(Path(p))]
    questions = with_sources(loaded) if any(q.lang != "en" for q in loaded) else loaded
    seen: dict[str, Question] = {}
    for q in questions:
        source = str(q.extra.get("source_id") or q.id)
        if half is None or half_of(source) == half:
            seen.setdefault(q.id, q)
    return list(seen.values())


def _row(
    retriever: object, questions: list[Question], k: int, translate: Translate | None
) -> dict[str, tuple[float, float]]:
    report = evaluate_questions(
        retriever,  # type: ignore[arg-type]
        questions,
        "sweep",
        k,
        ("hybrid",),
        translate,
    )
    out = {}
    for group, per in report["groups"].items():
        if group.startswith("lang="):
            m = per["hybrid"]
            out[group[5:]] = (m[f"hit@{k}"], m["mrr"])
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", action="append", required=True)
    parser.add_argument("--half", choices=["A", "B"], default=None)
    parser.add_argument("--set", action="append", default=[], help="field=v1,v2,...")
    parser.add_argument(
        "--combo", action="append", default=[], help="several fields at once: a=1,b=0"
    )
    parser.add_argument("-k", type=int, default=5)
    args = parser.parse_args(argv)
    state = Container.load(get_settings())
    retriever = state.retriever
    if retriever is None:
        print(f"error: {state.problem}")
        return 3
    questions = _questions(args.questions, args.half)
    translate = eval_translate(state.translator)
    base = retriever.config
    settings: list[tuple[str, dict[str, float]]] = [("configured", {})]
    for spec in args.set:
        field, _, values = spec.partition("=")
        settings += [(f"{field}={v}", {field: float(v)}) for v in values.split(",")]
    for combo in args.combo:
        pairs = [item.partition("=") for item in combo.split(",")]
        settings.append((combo, {field: float(value) for field, _, value in pairs}))
    langs: list[str] = []
    for label, change in settings:
        retriever.config = dataclasses.replace(base, **change)  # type: ignore[arg-type]
        row = _row(retriever, questions, args.k, translate)
        if not langs:
            langs = sorted(row, key=lambda lang: (lang != "en", lang))
            print(f"{'setting':40} " + " ".join(f"{lang:>11}" for lang in langs))
        cells = [f"{row[lang][0]:.2f}/{row[lang][1]:.2f}" if lang in row else "-" for lang in langs]
        print(f"{label:40} " + " ".join(f"{c:>11}" for c in cells), flush=True)
    retriever.config = base
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
