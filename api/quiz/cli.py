"""What `haven quiz` does, kept here so the command in api/cli.py stays a thin wrapper."""

from __future__ import annotations

from typing import Any

from api.quiz.constants import EXPORT_FORMATS
from api.quiz.export import render
from api.quiz.schemas import QuizOut, QuizRequest
from api.quiz.selection import NoPassagesError
from api.quiz.service import quiz_record, service_for
from api.quiz.store import QuizStore


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
    service = service_for(state.retriever, generator)
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
