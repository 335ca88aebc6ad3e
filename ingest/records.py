"""The records ingestion produces: a document's catalog facts and its chunks.

A chunk is the unit of citation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SECTION_SEPARATOR = " › "


@dataclass(frozen=True)
class DocumentInfo:
    """What the catalog (or the file name, for uncatalogued files) says about one document."""

    doc_id: str
    title: str
    file: str
    publisher: str = ""
    year: str = ""
    language: str = "en"
    # How page numbers are found: "pdf" (real PDF pages), "space-marker" (a line starting with
    # one space opens a page), or "none" (no reliable pages: cite sections only).
    pages: str = "none"
    # Names practitioners use for this handbook ("NEXUS guide", "NRM Handbook"): a question that
    # names one leans retrieval towards it.
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chunk:
    """A passage small enough to read and cite: its id is a hash of its content."""

    chunk_id: str
    doc_id: str
    ordinal: int
    section: tuple[str, ...]
    page_start: int | None
    page_end: int | None
    char_start: int
    char_end: int
    text: str
    lang: str = "en"
    kind: str = "body"  # "body" or "footnote"
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def section_path(self) -> str:
        return SECTION_SEPARATOR.join(self.section)
