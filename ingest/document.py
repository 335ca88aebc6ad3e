"""What a reader hands on: the raw text of a file, page by page where pages are known."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Headings(Enum):
    """How section headings are found in a document's text."""

    # Guessed from the shape of lines (short, numbered, capitalised, at a page start...).
    INFERRED = "inferred"
    # Marked explicitly: lines starting with "#" (Markdown), level = number of "#".
    MARKED = "marked"


@dataclass(frozen=True)
class RawPage:
    """One page (or the whole file, when pages are unknown) of text as read from the file."""

    number: int | None
    text: str


@dataclass(frozen=True)
class RawDocument:
    pages: tuple[RawPage, ...]
    headings: Headings = Headings.INFERRED

    @property
    def paged(self) -> bool:
        return any(page.number is not None for page in self.pages)


@dataclass(frozen=True)
class Line:
    """One source line after normalisation. Blank lines have empty text."""

    text: str
    page: int | None
    # The first line of a page (paged documents only): often a heading, never a continuation
    # marker on its own.
    page_start: bool = False
    # The raw line began with exactly one space: a page start in space-marked exports, and a box
    # or bullet start in the OSCE export, whose page starts cannot be trusted.
    indented: bool = False
    # A list item whose bullet glyph was removed.
    item: bool = False

    @property
    def blank(self) -> bool:
        return not self.text


@dataclass(frozen=True)
class Footnote:
    """A note from the bottom of a page, kept out of body text and chunked on its own."""

    number: int | None
    lines: tuple[Line, ...]
    group: int  # notes read from the same block are chunked together
    position: int = 0  # how many body lines precede the note: places it in a section

    @property
    def page(self) -> int | None:
        return self.lines[0].page if self.lines else None
