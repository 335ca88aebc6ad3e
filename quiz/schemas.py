"""Request and response bodies of the quiz API. Field names are a public contract."""

from __future__ import annotations

from pydantic import BaseModel, Field

from answer.schemas import CitationOut
from quiz.constants import (
    KINDS,
    MAX_DOC_IDS,
    MAX_ITEMS,
    MAX_OPTIONS,
    MAX_SECTIONS,
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
    MAX_TOPIC_CHARS,
    Kind,
)
from translation.languages import LANG_PATTERN


class QuizRequest(BaseModel):
    topic: str | None = Field(
        None, max_length=MAX_TOPIC_CHARS, description="Select passages about this by retrieval."
    )
    doc_ids: list[str] | None = Field(
        None, max_length=MAX_DOC_IDS, description="Only these handbooks (default: all)."
    )
    sections: list[str] | None = Field(
        None,
        max_length=MAX_SECTIONS,
        description="Only sections whose path contains one of these headings (case-insensitive).",
    )
    n: int = Field(10, ge=1, le=MAX_ITEMS, description=f"Items wanted (1 to {MAX_ITEMS}).")
    kinds: list[Kind] = Field(
        default_factory=lambda: list(KINDS),
        min_length=1,
        max_length=len(KINDS) * 2,
        description="Item kinds to mix: mcq, true_false, fill_blank, scenario.",
    )
    lang: str | None = Field(
        None,
        min_length=1,
        max_length=20,
        pattern=LANG_PATTERN,
        description="Language of the items (BCP 47, e.g. 'fr').",
    )
    seed: int | None = Field(
        None, ge=0, le=2**53, description="Same seed and request, same quiz; random when absent."
    )
    title: str | None = Field(None, max_length=MAX_TITLE_CHARS)


class QuizItem(BaseModel):
    id: str
    kind: Kind
    question: str
    options: list[str] | None = Field(None, description="Choices (mcq and scenario items).")
    answer: str = Field(description="The correct option, 'True'/'False', or the missing term.")
    accept: list[str] = Field(
        default_factory=list, description="Other spellings accepted (fill_blank items)."
    )
    explanation: str
    citation: CitationOut = Field(description="The passage the answer comes from, with its quote.")
    basis: str = Field(
        description="What the item was built from: recommended, advised_against, definition, "
        "statement, term or situation."
    )
    edited: bool = Field(
        default=False, description="A trainer has changed the item since it was drafted."
    )


class QuizOut(BaseModel):
    quiz_id: str
    title: str
    topic: str | None
    doc_ids: list[str] | None
    sections: list[str] | None
    kinds: list[Kind]
    n: int = Field(description="Items asked for; `items` may hold fewer (see notes).")
    lang: str
    requested_lang: str | None
    seed: int
    generator: str = Field(description="'extractive', or the language model that wrote items.")
    created_at: str
    updated_at: str
    notes: list[str]
    items: list[QuizItem]


class QuizSummary(BaseModel):
    quiz_id: str
    title: str
    topic: str | None
    lang: str
    created_at: str
    updated_at: str
    item_count: int


class QuizList(BaseModel):
    quizzes: list[QuizSummary]


class ItemEdit(BaseModel):
    """Fields a trainer may change; those left out keep their value."""

    question: str | None = Field(None, min_length=1, max_length=MAX_TEXT_CHARS)
    options: list[str] | None = Field(None, min_length=2, max_length=MAX_OPTIONS)
    answer: str | None = Field(None, min_length=1, max_length=MAX_TEXT_CHARS)
    accept: list[str] | None = Field(None, max_length=MAX_OPTIONS)
    explanation: str | None = Field(None, max_length=MAX_TEXT_CHARS * 2)


class ItemEditWithId(ItemEdit):
    id: str = Field(min_length=1, max_length=100)


class QuizUpdate(BaseModel):
    """Rename the quiz and/or replace its items: listed items are kept in the given order (with
    any edits), items left out are deleted. New items cannot be added: each needs a citation."""

    title: str | None = Field(None, min_length=1, max_length=MAX_TITLE_CHARS)
    items: list[ItemEditWithId] | None = Field(None, max_length=MAX_ITEMS * 2)
