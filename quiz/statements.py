"""A chunk's quotable statements: sentences and list items, with their list's lead-in."""

from __future__ import annotations

from dataclasses import dataclass

from answer.units import split_units
from ingest.records import Chunk


@dataclass(frozen=True)
class Statement:
    """One sentence of a chunk; `chunk.text[start:end]` is its exact text (the quote)."""

    chunk: Chunk
    title: str
    start: int
    end: int
    order: int  # position among the chunk's statements
    is_item: bool = False
    item_first: bool = False  # the first sentence of a list item
    list_no: int = -1  # which list of the chunk the item belongs to
    lead: str = ""  # the sentence introducing the list, when it is in this chunk

    @property
    def text(self) -> str:
        return self.chunk.text[self.start : self.end]

    @property
    def doc_id(self) -> str:
        return self.chunk.doc_id

    @property
    def group(self) -> tuple[str, tuple[str, ...]]:
        """Statements of one group (a section of a handbook) never answer each other's items."""
        return (self.chunk.doc_id, self.chunk.section)

    @property
    def ref(self) -> str:
        return f"{self.chunk.chunk_id}:{self.start}"


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(i + 1 for i, ch in enumerate(text) if ch == "\n")
    return starts


def split_statements(chunk: Chunk, title: str) -> list[Statement]:
    text = chunk.text
    units = split_units(text)
    line_starts = _line_starts(text)
    statements: list[Statement] = []
    previous_line = -1
    list_no = -1
    in_list = False
    lead = ""
    last_plain = ""
    for order, unit in enumerate(units):
        line = max(i for i, s in enumerate(line_starts) if s <= unit.start)
        first_on_line = line != previous_line
        previous_line = line
        if unit.is_item:
            if not in_list:
                list_no += 1
                in_list = True
                lead = last_plain if last_plain.rstrip().endswith(":") else ""
        elif first_on_line:
            in_list = False
            last_plain = unit.text
        else:
            last_plain = unit.text
        statements.append(
            Statement(
                chunk=chunk,
                title=title,
                start=unit.start,
                end=unit.end,
                order=order,
                is_item=unit.is_item,
                item_first=unit.is_item and first_on_line,
                list_no=list_no if unit.is_item else -1,
                lead=lead if unit.is_item else "",
            )
        )
    return statements
