"""One evaluation run, as `haven eval` and `make eval` do it: retrieval over the question set,
the multilingual comparison for a set with other languages, and answers and refusals."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from answer.service import AskService
from core.settings import Settings
from documents.catalog import index_builder
from eval.answers import format_answer_report, run_answer_eval
from eval.multilingual import VARIANTS, format_multilingual, run_multilingual_eval, with_sources
from eval.questions import load_questions
from eval.retrieval import format_report, run_retrieval_eval
from index.config import embedder_spec, load_retriever
from index.embedder import make_embedder, resolve_backend
from index.errors import EmbedderUnavailableError
from index.retriever import HybridRetriever
from translation.service import TranslationService
from translation.translator import TranslationError

Note = Callable[[str], None]


def run_evaluation(
    settings: Settings,
    retriever: HybridRetriever,
    ask: AskService,
    translator: TranslationService | None,
    path: Path,
    k: int = 5,
    answers: bool = True,
    embedders: Sequence[str] | None = None,
    ablation: bool = False,
    note: Note = print,
) -> dict[str, Any]:
    """The report `haven eval --json` prints; `note` receives progress and skip messages."""
    translate = eval_translate(translator)
    report: dict[str, Any] = {
        "retrieval": run_retrieval_eval(retriever, path, k=k, translate=translate)
    }
    loaded = load_questions(path)
    if any(q.lang != "en" for q in loaded):
        names = dict.fromkeys(embedders or [resolve_backend(settings.embedding.backend)])
        retrievers = [eval_retriever(settings, retriever, name, note) for name in names]
        variants = tuple(VARIANTS) if ablation else ("all",)
        report["multilingual"] = run_multilingual_eval(
            {r.embedder.name: r for r in retrievers if r is not None},
            with_sources(loaded),
            k,
            translate,
            variants,
        )
    if answers:
        report["answers"] = run_answer_eval(ask, path)
    return report


def format_evaluation(report: dict[str, Any]) -> str:
    parts = [format_report(report["retrieval"])]
    if "multilingual" in report:
        parts.append(format_multilingual(report["multilingual"]))
    if "answers" in report:
        parts.append(format_answer_report(report["answers"]))
    return "\n".join(parts)


def eval_translate(
    translator: TranslationService | None,
) -> Callable[[str, str], str | None]:
    """(question, lang) → its English translation, or None where no backend covers lang."""

    def translate(question: str, lang: str) -> str | None:
        if translator is None or not translator.can_translate(lang, "en"):
            return None
        try:
            return str(translator.translate([question], "en", lang)[0])
        except TranslationError:
            return None

    return translate


def eval_retriever(
    settings: Settings, configured: HybridRetriever, backend: str, note: Note = print
) -> HybridRetriever | None:
    """The configured index, or one built (once, then kept current) for another backend."""
    if backend == resolve_backend(settings.embedding.backend):
        return configured
    embedding = settings.embedding.model_copy(update={"backend": backend, "model": None})
    other = settings.model_copy(
        update={"embedding": embedding, "data_dir": settings.data_dir / f"eval-{backend}"}
    )
    try:
        model = make_embedder(embedder_spec(other))
    except EmbedderUnavailableError as exc:
        note(f"note: skipping the {backend} embedder: {exc}")
        return None
    note(f"checking the {backend} evaluation index in {other.index_dir} ...")
    index_builder(other, model).build([other.corpus_dir])
    return load_retriever(other, model)
