"""Drafting a quiz: choose passages, build and check items, optionally let a language model
rewrite them, put them in the trainer's language when a translator is installed."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field

from answer.generator import Generator
from answer.prompts import PromptError, PromptTemplate, load_prompt
from index.retriever import HybridRetriever
from quiz.assemble import assemble
from quiz.constants import Kind
from quiz.llm import rewrite
from quiz.pool import StatementPool
from quiz.schemas import QuizItem, QuizOut, QuizRequest
from quiz.selection import Scope, passage_groups
from quiz.store import new_quiz_id, now
from quiz.translate import localise_items
from translation.service import TranslationService

log = logging.getLogger("haven.quiz")
EXTRACTIVE = "extractive"


@dataclass
class Drafted:
    items: list[QuizItem]
    seed: int
    lang: str
    generator: str
    notes: list[str] = field(default_factory=list)
    rejected: int = 0  # drafts the checks threw away before these items were kept


class QuizService:
    def __init__(
        self,
        pool: StatementPool,
        retriever: HybridRetriever | None = None,
        generator: Generator | None = None,
        prompt: PromptTemplate | None = None,
        translator: TranslationService | None = None,
    ) -> None:
        self.pool = pool
        self.retriever = retriever
        self.generator = generator
        self.prompt = prompt
        self.translator = translator

    def draft(self, request: QuizRequest) -> Drafted:
        seed = request.seed if request.seed is not None else random.SystemRandom().randrange(2**31)
        rng = random.Random(seed)
        kinds: list[Kind] = list(dict.fromkeys(request.kinds))
        topic = request.topic.strip() if request.topic and request.topic.strip() else None
        scope = Scope(topic, request.doc_ids, request.sections, request.lang)
        groups = passage_groups(self.pool, self.retriever, scope, rng)
        assembly = assemble(self.pool, groups, kinds, request.n, rng)
        items = [b.item for b in assembly.built]
        notes: list[str] = []
        if len(items) < request.n:
            ran_out = ", ".join(assembly.exhausted)
            notes.append(
                f"Only {len(items)} of the {request.n} items asked for could be drafted from "
                f"these passages" + (f" (none left for: {ran_out})." if ran_out else ".")
            )
        generator_name = EXTRACTIVE
        if self.generator is not None and self.prompt is not None and items:
            result = rewrite(assembly.built, self.generator, self.prompt)
            items = result.items
            if result.written:
                generator_name = self.generator.name
            if result.dropped:
                notes.append(
                    f"{result.dropped} item(s) written by the language model failed the checks; "
                    "the drafted items were kept instead."
                )
            if result.failed:
                notes.append(f"The language model stopped answering ({result.failed}).")
        items, lang, lang_notes = localise_items(items, request.lang, self.translator)
        notes.extend(lang_notes)
        return Drafted(items, seed, lang, generator_name, notes, assembly.rejected)


def make_quiz_service(
    retriever: HybridRetriever,
    generator: Generator | None = None,
    translator: TranslationService | None = None,
) -> QuizService:
    """A service over a loaded index; building its statement pool takes a few seconds for the
    whole corpus, so callers keep one per index (wiring.container does)."""
    titles = {doc_id: d.info.title for doc_id, d in retriever.documents.items()}
    pool = StatementPool.from_store(retriever.store, titles)
    prompt = _quiz_prompt() if generator is not None else None
    return QuizService(pool, retriever, generator, prompt, translator)


def _quiz_prompt() -> PromptTemplate | None:
    try:
        return load_prompt("quiz")
    except PromptError as exc:
        log.warning("quiz prompt unusable, items stay extractive: %s", exc)
        return None


def quiz_record(request: QuizRequest, drafted: Drafted, title: str, topic: str | None) -> QuizOut:
    """A new saved-quiz record for a draft: the one shape the API and the CLI both store."""
    stamp = now()
    return QuizOut(
        quiz_id=new_quiz_id(),
        title=title,
        topic=topic,
        doc_ids=request.doc_ids,
        sections=request.sections,
        kinds=list(dict.fromkeys(request.kinds)),
        n=request.n,
        lang=drafted.lang,
        requested_lang=request.lang,
        seed=drafted.seed,
        generator=drafted.generator,
        created_at=stamp,
        updated_at=stamp,
        notes=drafted.notes,
        items=drafted.items,
    )
