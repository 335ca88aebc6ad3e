"""Answering a question: retrieve, judge answerability, compose (or generate), cite, check."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from answer.answerability import AnswerabilityConfig, Verdict, asking_part, judge
from answer.composer import ComposerConfig, score_units, select_points, short_title
from answer.focus import focus_of
from answer.followup import Turn, resolve
from answer.generated import NOT_COVERED, format_passages, parse_generated
from answer.generator import Generator, GeneratorError
from answer.localise import english_basis, localise_answer
from answer.prompts import PromptTemplate
from answer.question_kind import question_kind
from answer.records import Answer, AnswerDraft, Citation, Point, Quote, compose_body
from answer.safety import STANDING_LINE, Reminder, topics_for
from answer.terms import TermStats
from index.retriever import HybridRetriever, SearchHit
from translation.detect import detect_language, question_language, searched_language
from translation.languages import SOURCE_LANG, language_code
from translation.service import TranslationService
from translation.translator import TranslationError

log = logging.getLogger("haven.answer")

NOT_COVERED_TEXT = "The handbooks do not cover this question."
MODEL_UNAVAILABLE = "The language model was unavailable; this answer is extractive."
MODEL_UNCHECKED = (
    "The language model's answer did not hold up against the handbooks (no line it wrote was "
    "backed by a passage it cited); this answer is extractive."
)


@dataclass(frozen=True)
class AskConfig:
    k: int = 6
    composer: ComposerConfig = field(default_factory=ComposerConfig)
    answerability: AnswerabilityConfig = field(default_factory=AnswerabilityConfig)


class AskService:
    def __init__(
        self,
        retriever: HybridRetriever,
        stats: TermStats,
        reminders: dict[str, Reminder],
        config: AskConfig | None = None,
        generator: Generator | None = None,
        prompt: PromptTemplate | None = None,
        translator: TranslationService | None = None,
        translate_question: bool = True,
    ) -> None:
        self.retriever = retriever
        self.translator = translator
        self.translate_question = translate_question
        self.stats = stats
        self.reminders = reminders
        self.config = config or AskConfig()
        self.generator = generator
        self.prompt = prompt

    def ask(
        self,
        question: str,
        history: Sequence[Turn] = (),
        k: int | None = None,
        doc_ids: Sequence[str] | None = None,
        lang: str | None = None,
    ) -> Answer:
        """`lang` names the language to answer in (and, unless detection is sure otherwise,
        the question's); without it the question's detected language is used."""
        detected = detect_language(question)
        wanted = language_code(lang) or detected.lang
        asked_in = question_language(detected, language_code(lang))
        resolved = resolve(question, list(history))
        english = self._to_english(resolved, asked_in)
        # Answerability and the extractive composer read English: the translated question,
        # else the lexicon's English terms for the question's words.
        basis = english_basis(resolved, asked_in, english)
        retrieval = self.retriever.retrieve(
            resolved,
            k or self.config.k,
            doc_ids,
            lang=asked_in,
            translations=[english] if english else [],
        )
        hits = retrieval.hits
        best = max((s.score for s in score_units(basis, hits, self.stats)), default=0.0)
        ask = asking_part(basis)
        if ask != basis:
            # A long situation spreads the question's weight over its details: the ask alone
            # covered counts too ("…on a building site. Can we detain him?").
            best = max([best, *(s.score for s in score_units(ask, hits, self.stats))])
        verdict = judge(
            basis, hits, retrieval.top_cosine, best, self.stats, self.config.answerability
        )
        if verdict.answered:
            draft = self._draft(basis, hits, resolved)
        else:
            draft = AnswerDraft(answered=False, lead=NOT_COVERED_TEXT, pointers=hits[:3])
        if draft.answered and not draft.points and draft.lead_point is None:
            draft = AnswerDraft(answered=False, lead=NOT_COVERED_TEXT, pointers=hits[:3])
        topics = resolved if basis == resolved else f"{resolved} {basis}"
        answer = self._finish(question, topics, draft, hits, verdict)
        answer.resolved_question = resolved
        answer.question_kind = question_kind(basis).value
        answer.lang, answer.detected_lang = wanted, detected.lang
        localise_answer(answer, wanted, self.translator)
        return answer

    def search(
        self,
        query: str,
        k: int,
        doc_ids: Sequence[str] | None = None,
        lang: str | None = None,
    ) -> tuple[list[SearchHit], str]:
        """Passages for a query in any language, found as /api/ask finds them (the query's
        language detected unless `lang` names it, its translation searched too when a
        backend has one), and the language it was searched as."""
        asked_in = searched_language(query, lang)
        english = self._to_english(query, asked_in)
        translations = [english] if english else []
        return self.retriever.search(
            query, k, doc_ids, lang=asked_in, translations=translations
        ), asked_in

    def _to_english(self, question: str, lang: str) -> str | None:
        if lang == SOURCE_LANG or self.translator is None or not self.translate_question:
            return None
        if not self.translator.can_translate(lang, SOURCE_LANG):
            return None
        try:
            return self.translator.translate([question], SOURCE_LANG, lang)[0] or None
        except TranslationError as exc:
            log.warning("question translation failed (%s); searching without it", exc)
            return None

    def _draft(
        self, question: str, hits: list[SearchHit], original: str | None = None
    ) -> AnswerDraft:
        if self.generator is not None and self.prompt is not None:
            # A language model reads the question as asked, in any language.
            generated = self._generate(original or question, hits)
            if isinstance(generated, AnswerDraft):
                return generated
            fallback_note = generated
        else:
            fallback_note = ""
        # The passages' hypothetical questions say which of them answers what is asked.
        hinted = self.retriever.passage_questions([h.chunk.chunk_id for h in hits])
        focus = focus_of(question, self.stats, hinted)
        points = select_points(question, hits, self.stats, self.config.composer, focus)
        lead_point, points = (points[0], points[1:]) if points else (None, [])
        lead = _one_line(lead_point.text) if lead_point else ""
        draft = AnswerDraft(answered=True, lead=lead, points=points, lead_point=lead_point)
        if fallback_note:
            draft.notes.append(fallback_note)
        return draft

    def _generate(self, question: str, hits: list[SearchHit]) -> AnswerDraft | str:
        """The model's answer, or the note saying why the extractive one stands instead."""
        assert self.generator is not None and self.prompt is not None
        system, user = self.prompt.render(
            question=question, passages=format_passages(hits), language="English"
        )
        try:
            text = self.generator.complete(system, user)
        except GeneratorError as exc:
            log.warning("generator failed, using the extractive answer: %s", exc)
            return MODEL_UNAVAILABLE
        if text.strip().upper().startswith(NOT_COVERED):
            return AnswerDraft(answered=False, lead=NOT_COVERED_TEXT, pointers=hits[:3])
        lead, points, problems = parse_generated(text, hits)
        if not points:
            log.warning("generator answer had no cited sentence; using the extractive answer")
            return MODEL_UNCHECKED
        return AnswerDraft(answered=True, lead=lead, points=points, notes=problems)

    def _finish(
        self,
        question: str,
        resolved: str,
        draft: AnswerDraft,
        hits: list[SearchHit],
        verdict: Verdict,
    ) -> Answer:
        passages = list(hits)
        numbering: dict[tuple[str, int, int], int] = {}
        citations: list[Citation] = []

        def cite(hit: SearchHit, start: int, end: int) -> int:
            key = (hit.chunk.chunk_id, start, end)
            if key not in numbering:
                numbering[key] = len(numbering) + 1
                citations.append(Citation(numbering[key], hit, hit.chunk.text[start:end]))
            return numbering[key]

        lead = draft.lead
        lead_parts: tuple[str, str] | None = None
        if draft.lead_point is not None:
            marks = "".join(
                f"[{cite(hits[q.hit_index], q.start, q.end)}]" for q in draft.lead_point.quotes
            )
            lead_parts = (_one_line(draft.lead_point.text), marks)
            lead = f"{lead_parts[0]} {marks}"
        lines: list[str] = []
        parts: list[tuple[str, str]] = []
        for point in draft.points:
            marks = "".join(f"[{cite(hits[q.hit_index], q.start, q.end)}]" for q in point.quotes)
            parts.append((_one_line(point.text), marks))
            lines.append(f"{_one_line(point.text)} {marks}")
        notes = list(draft.notes)
        pointer = ""
        if draft.answered:
            notes.extend(self._reminders(question + " " + resolved, passages, cite))
        else:
            pointer = _pointer_note(draft.pointers)
        notes.append(STANDING_LINE)
        body = compose_body(lead, pointer, lines)
        citations, dropped = verify_citations(citations, passages)
        if dropped:
            notes.append(f"{dropped} citation(s) failed verification and were removed.")
        return Answer(
            question=question,
            resolved_question=resolved,
            answer=body,
            answered=draft.answered,
            citations=citations,
            passages=passages,
            notes=notes,
            lead=lead,
            lead_parts=lead_parts,
            points=lines,
            verdict=verdict,
            point_parts=parts,
            pointer_note=pointer,
        )

    def _reminders(
        self, text: str, passages: list[SearchHit], cite: Callable[[SearchHit, int, int], int]
    ) -> list[str]:
        notes = []
        for topic in topics_for(text):
            reminder = self.reminders.get(topic.name)
            if reminder is None:
                continue
            hit = next(
                (p for p in passages if p.chunk.chunk_id == reminder.hit.chunk.chunk_id), None
            )
            if hit is None:
                passages.append(reminder.hit)
                hit = reminder.hit
            n = cite(hit, reminder.start, reminder.end)
            notes.append(f"{topic.label}: {_one_line(reminder.quote)} [{n}]")
        return notes


def verify_citations(
    citations: list[Citation], passages: list[SearchHit]
) -> tuple[list[Citation], int]:
    """Keep only citations whose passage was retrieved and whose quote stands in it verbatim."""
    by_id = {p.chunk.chunk_id: p for p in passages}
    kept = [
        c
        for c in citations
        if c.hit.chunk.chunk_id in by_id
        and c.quote
        and c.quote in by_id[c.hit.chunk.chunk_id].chunk.text
    ]
    return kept, len(citations) - len(kept)


def _pointer_note(pointers: list[SearchHit]) -> str:
    if not pointers:
        return "No related sections were found."
    parts = []
    for hit in pointers:
        where = f"{short_title(hit.title)} › {hit.chunk.section_path}".rstrip(" ›")
        if hit.chunk.page_start is not None:
            where += f" (p. {hit.chunk.page_start})"
        parts.append(where)
    return "The nearest sections in the handbooks: " + "; ".join(dict.fromkeys(parts)) + "."


def _one_line(text: str) -> str:
    return " ".join(text.split())


__all__ = [
    "Answer",
    "AskConfig",
    "AskService",
    "Citation",
    "Point",
    "Quote",
    "compose_body",
    "verify_citations",
]
