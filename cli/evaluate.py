"""`haven eval`: retrieval and answer evaluation (the work is in eval/)."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from cli.common import open_state, settings
from eval.retrieval import default_question_file
from eval.run import format_evaluation, run_evaluation


def evaluate(
    questions: Annotated[Path | None, typer.Option(help="Question set (JSON lines).")] = None,
    k: Annotated[int, typer.Option(help="Cut-off for hit@k.")] = 5,
    answers: Annotated[bool, typer.Option(help="Also evaluate answers and refusals.")] = True,
    embedder: Annotated[
        list[str] | None,
        typer.Option(
            "--embedder",
            help="For a multilingual set: compare these embedding backends (repeatable: "
            "sentence-transformers, e5). Others than the configured one are indexed once "
            "into <data_dir>/eval-<backend>.",
        ),
    ] = None,
    ablation: Annotated[
        bool, typer.Option(help="For a multilingual set: measure each ingredient's gain.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Retrieval (hit@1/3/5, MRR per mode) and answer (grounding, refusal) evaluation; for a
    set with other languages, hit@5 and MRR per language for each embedder."""
    config = settings()
    state = open_state(config)
    assert state.retriever is not None and state.ask is not None  # else open_state exits
    report = run_evaluation(
        config,
        state.retriever,
        state.ask,
        state.translator,
        questions or default_question_file(),
        k=k,
        answers=answers,
        embedders=embedder,
        ablation=ablation,
        note=partial(typer.echo, err=True),
    )
    typer.echo(json.dumps(report, indent=2) if as_json else format_evaluation(report))
