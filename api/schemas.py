"""Request and response bodies shared by several routes. Field names are a public contract."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from answer.schemas import CitationOut
from answer.service import Answer
from index.retriever import SearchHit
from translation.languages import LANG_PATTERN


class PassageBase(BaseModel):
    chunk_id: str
    doc_id: str
    title: str
    section: str = Field(description="Section path, outermost first, joined with ' › '.")
    page_start: int | None = Field(description="First PDF page; null where pages are unknown.")
    page_end: int | None
    text: str


class Passage(PassageBase):
    score: float = Field(description="Fused retrieval score; higher is better.")

    @classmethod
    def from_hit(cls, hit: SearchHit) -> Passage:
        c = hit.chunk
        return cls(
            chunk_id=c.chunk_id,
            doc_id=c.doc_id,
            title=hit.title,
            section=c.section_path,
            page_start=c.page_start,
            page_end=c.page_end,
            text=c.text,
            score=hit.score,
        )


class SearchRequest(BaseModel):
    query: str = Field(description="The question or keywords.", min_length=1)
    k: int | None = Field(None, description="Passages to return (default 5, max 50).")
    doc_ids: list[str] | None = Field(
        None, description="Only search these documents.", max_length=100
    )
    lang: str | None = Field(
        None,
        max_length=20,
        pattern=LANG_PATTERN,
        description="The query's language (ISO 639-1, e.g. 'es', 'th'), unless detection is "
        "sure otherwise. Empty: detected.",
    )


class SearchResponse(BaseModel):
    query: str
    lang: str = Field("en", description="The language the query was searched as.")
    results: list[Passage]


class DocumentOut(BaseModel):
    doc_id: str
    title: str
    publisher: str
    year: str
    language: str
    file: str
    pages: str = Field(description="How pages are known: pdf, space-marker or none.")
    chunk_count: int
    enriched_passages: int = Field(
        0,
        description="Content passages that carry hypothetical questions (so they are found "
        "however a practitioner asks, in any supported language).",
    )
    content_passages: int = Field(0, description="Content passages (footnotes excepted).")
    enriched: bool = Field(
        False, description="True when every content passage has hypothetical questions."
    )
    source: Literal["corpus", "upload"] = Field(
        "corpus",
        description="corpus: a file in the corpus folder (changed there, then `haven ingest`); "
        "upload: added through POST /api/documents (deletable through the API).",
    )


class DocumentsResponse(BaseModel):
    documents: list[DocumentOut]


class DocumentChangeOut(DocumentOut):
    """An uploaded document as now indexed, and what the upload did."""

    result: Literal["created", "replaced", "unchanged"] = Field(
        description="created: a new document; replaced: a new version (or new title or "
        "publisher) of an uploaded one; unchanged: the same bytes and details were indexed "
        "already, so nothing was rebuilt."
    )
    build_id: str | None = Field(description="The index build now serving.")
    seconds: float = Field(description="Time taken to check, store and index the document.")


class HistoryTurn(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


class AskRequest(BaseModel):
    question: str = Field(min_length=1, description="The practitioner's question.")
    history: list[HistoryTurn] = Field(
        default_factory=list, max_length=50, description="Earlier turns, oldest first."
    )
    k: int | None = Field(None, description="Passages to retrieve (default 6, max 50).")
    doc_ids: list[str] | None = Field(None, max_length=100, description="Only these documents.")
    lang: str | None = Field(
        None,
        max_length=20,
        pattern=LANG_PATTERN,
        description="Language to answer in (ISO 639-1, e.g. 'es', 'th'); it also names the "
        "question's language unless detection is sure otherwise. Empty: detected.",
    )


class AskResponse(BaseModel):
    answer: str
    answered: bool = Field(description="False when the handbooks do not cover the question.")
    lead: str = Field(
        "",
        description="The answer's first line: the handbook sentence that answers most directly "
        "(the first step, the direct yes/no answer, the definition) with its [n] marks, or "
        "the refusal.",
    )
    points: list[str] = Field(
        default_factory=list, description="The further points, each with its [n] marks."
    )
    question_kind: str = Field(
        "general",
        description="How the question was read: steps, yes_no, definition, signs, referral or "
        "general; it decides the answer's shape.",
    )
    citations: list[CitationOut]
    passages: list[Passage]
    notes: list[str]
    lang: str = Field("en", description="The language asked for: `lang` if given, else detected.")
    detected_lang: str = Field("en", description="The language detected in the question.")
    answer_lang: str = Field(
        "en",
        description="The language the answer is in: `lang` when a translation backend covers "
        "it, else English (a note then says why).",
    )

    @classmethod
    def from_answer(cls, answer: Answer) -> AskResponse:
        return cls(
            answer=answer.answer,
            answered=answer.answered,
            lead=answer.lead,
            points=answer.points,
            question_kind=answer.question_kind,
            citations=[
                CitationOut(
                    n=c.n,
                    chunk_id=c.hit.chunk.chunk_id,
                    doc_id=c.hit.chunk.doc_id,
                    title=c.hit.title,
                    section=c.hit.chunk.section_path,
                    page_start=c.hit.chunk.page_start,
                    page_end=c.hit.chunk.page_end,
                    quote=c.quote,
                    quote_translation=c.translation,
                )
                for c in answer.citations
            ],
            passages=[Passage.from_hit(h) for h in answer.passages],
            notes=answer.notes,
            lang=answer.lang,
            detected_lang=answer.detected_lang,
            answer_lang=answer.answer_lang,
        )


class PassageOut(PassageBase):
    """One passage as the citation panel shows it: a search result without score, with its
    position in the document."""

    ordinal: int = Field(description="Position of the passage in its document (reading order).")


class PassageContextResponse(BaseModel):
    passage: PassageOut
    before: list[PassageOut] = Field(description="Preceding passages, nearest last.")
    after: list[PassageOut] = Field(description="Following passages, nearest first.")


class FeedbackRequest(BaseModel):
    helpful: bool = Field(strict=True, description="Was the answer helpful?")
    comment: str | None = Field(None, max_length=2000, description="Optional free text.")
    answer: str | None = Field(None, max_length=20_000, description="The answer rated.")
    citations: list[str] | None = Field(
        None, max_length=100, description="chunk_ids of the answer's citations (each ≤ 200 chars)."
    )
    question: str | None = Field(
        None,
        max_length=20_000,
        description="The question; stored only when include_question is true.",
    )
    include_question: bool = Field(
        False, strict=True, description="Keep the question text with the feedback (off by default)."
    )


class FeedbackResponse(BaseModel):
    id: str
