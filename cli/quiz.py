"""`haven quiz`: draft a quiz from the handbooks, or export or list saved ones."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from cli.common import open_state, settings
from index.errors import UnknownDocumentError
from quiz.constants import EXPORT_FORMATS
from quiz.export import render
from quiz.schemas import QuizOut, QuizRequest
from quiz.selection import NoPassagesError
from quiz.service import make_quiz_service, quiz_record
from quiz.store import QuizStore, store_for


def draft_and_save(
    state: Any,
    store: QuizStore,
    topic: str | None,
    n: int,
    kinds: list[str] | None,
    doc_ids: list[str] | None,
    sections: list[str] | None,
    seed: int | None,
    lang: str | None,
    title: str | None,
) -> QuizOut:
    fields: dict[str, Any] = {
        "topic": topic,
        "n": n,
        "doc_ids": doc_ids,
        "sections": sections,
        "seed": seed,
        "lang": lang,
        "title": title,
    }
    if kinds:
        fields["kinds"] = kinds
    request = QuizRequest(**fields)
    generator = state.ask.generator if state.ask is not None else None
    service = make_quiz_service(state.retriever, generator)
    try:
        drafted = service.draft(request)
    except NoPassagesError as exc:
        raise ValueError(str(exc)) from exc
    if not drafted.items:
        raise ValueError("no items could be drafted from these passages")
    quiz = quiz_record(
        request,
        drafted,
        title=title or (f"Quiz: {topic}" if topic else "Quiz on the handbooks"),
        topic=topic,
    )
    store.save(quiz)
    return quiz


def export_text(store: QuizStore, quiz_id: str, fmt: str) -> str:
    quiz = store.get(quiz_id)
    if quiz is None:
        raise ValueError(f"no saved quiz {quiz_id!r}")
    if fmt == "json":
        return quiz.model_dump_json(indent=2) + "\n"
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}: json, {', '.join(EXPORT_FORMATS)}")
    return render(quiz, fmt).content


def list_text(store: QuizStore) -> str:
    rows = [
        f"{q.quiz_id}  {q.updated_at}  {q.item_count:>3} items  {q.title}" for q in store.list()
    ]
    return "\n".join(rows) if rows else "no saved quizzes"


def quiz(
    topic: Annotated[str | None, typer.Option(help="Draw on passages about this.")] = None,
    n: Annotated[int, typer.Option("--n", "-n", help="Items (1 to 50).")] = 10,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help="mcq, true_false, fill_blank or scenario (repeatable)."),
    ] = None,
    doc: Annotated[list[str] | None, typer.Option("--doc", help="Only this handbook.")] = None,
    section: Annotated[
        list[str] | None, typer.Option("--section", help="Only sections naming this heading.")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Same seed, same quiz.")] = None,
    lang: Annotated[str | None, typer.Option(help="Language of the items, e.g. fr.")] = None,
    title: Annotated[str | None, typer.Option(help="Title of the saved quiz.")] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="json, gift, moodle_xml, csv or md.")
    ] = "md",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here.")] = None,
    open_id: Annotated[
        str | None, typer.Option("--open", help="Export this saved quiz instead of drafting.")
    ] = None,
    list_saved: Annotated[bool, typer.Option("--list", help="List saved quizzes.")] = False,
) -> None:
    """Draft a quiz for trainers from the handbooks (saved, like the web Quiz tab), or export
    or list saved ones."""

    config = settings()
    store = store_for(config.data_dir)
    if list_saved:
        typer.echo(list_text(store))
        return
    try:
        if open_id is None:
            state = open_state(config)
            saved = draft_and_save(state, store, topic, n, kind, doc, section, seed, lang, title)
            typer.echo(f"saved quiz {saved.quiz_id} ({len(saved.items)} items)", err=True)
            for note in saved.notes:
                typer.echo(f"note: {note}", err=True)
            open_id = saved.quiz_id
        text = export_text(store, open_id, fmt)
    except (ValidationError, ValueError, UnknownDocumentError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    if output:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)
    else:
        typer.echo(text, nl=False)
