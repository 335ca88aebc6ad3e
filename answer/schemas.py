"""The public shape of a citation, shared by answers and quiz items. Field names are a contract."""

from __future__ import annotations

from pydantic import BaseModel, Field


class CitationOut(BaseModel):
    n: int = Field(description="The number used as [n] in the answer.")
    chunk_id: str
    doc_id: str
    title: str
    section: str
    page_start: int | None
    page_end: int | None
    quote: str = Field(description="Exact text of the cited passage that supports the point.")
    quote_translation: str | None = Field(
        None,
        description="The quote machine-translated into the answer's language; null when the "
        "answer is in English. `quote` always keeps the handbook's own words.",
    )
