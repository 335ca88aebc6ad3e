"""Blocks: lines grouped into headings, paragraphs, list items and footnotes, with sections.

Every block carries the section path in force where it stands, and where its pages begin.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.cleaning import WordForms, join_lines
from ingest.document import Footnote, Line
from ingest.headings import Heading, display_title
from ingest.sentences import ends_sentence

MAX_DEPTH = 4
LIST_NUMBER = re.compile(r"^(?:\(?\d{1,2}[.)]|\(?[a-z][.)]|\([ivx]{1,4}\)|[ivx]{1,4}\))\s")


@dataclass(frozen=True)
class Block:
    """A heading, paragraph or list item of the cleaned document, with its section path."""

    kind: str  # "heading", "paragraph", "item" or "footnote"
    text: str
    section: tuple[str, ...]
    # (offset into text, page) where each page's part of the text begins.
    breaks: tuple[tuple[int, int | None], ...]
    group: int = 0  # footnotes: notes of one page block, chunked together


def footnote_blocks(
    notes: Sequence[Footnote], sections: Sequence[tuple[str, ...]], vocabulary: WordForms
) -> list[Block]:
    """Notes as blocks of their own, in the section of the body text they were printed under."""
    blocks = []
    for note in notes:
        text, breaks = join_lines(note.lines, vocabulary)
        if not text:
            continue
        section = sections[note.position - 1] if 0 < note.position <= len(sections) else ()
        blocks.append(Block("footnote", text, section, tuple(breaks), note.group))
    return blocks


def build_blocks(
    lines: Sequence[Line], found: Sequence[Heading], vocabulary: WordForms, title: str = ""
) -> tuple[list[Block], list[tuple[str, ...]]]:
    """Blocks in reading order, and the section path in force at every line."""
    sections: list[tuple[str, ...]] = []
    starts = {heading.start: heading for heading in found}
    stack: list[Heading] = []
    blocks: list[Block] = []
    paragraph: list[Line] = []
    paragraph_kind = "paragraph"
    pending_break = False
    title_key = display_title(title).lower() if title else ""

    current = _path(stack, title_key)

    def section() -> tuple[str, ...]:
        return current

    def flush() -> None:
        nonlocal paragraph
        if paragraph:
            blocks.append(_block(paragraph_kind, paragraph, section(), vocabulary))
        paragraph = []

    i = 0
    while i < len(lines):
        heading = starts.get(i)
        if heading is not None:
            flush()
            _push(stack, heading)
            current = _path(stack, title_key)
            text = join_lines(lines[heading.start : heading.end], vocabulary)
            blocks.append(Block("heading", heading.title, section(), tuple(text[1][:1])))
            pending_break = False
            sections.extend([section()] * (heading.end - i))
            i = heading.end
            continue
        line = lines[i]
        sections.append(section())
        i += 1
        if line.blank:
            pending_break = bool(paragraph)
            continue
        starts_new = _starts_block(line, paragraph, pending_break)
        pending_break = False
        if starts_new:
            flush()
            paragraph_kind = "item" if line.item or LIST_NUMBER.match(line.text) else "paragraph"
        paragraph.append(line)
    flush()
    return blocks, sections


def _starts_block(line: Line, paragraph: Sequence[Line], after_blank: bool) -> bool:
    if not paragraph:
        return True
    if line.item or LIST_NUMBER.match(line.text):
        return True
    previous = paragraph[-1]
    open_sentence = not ends_sentence(previous.text)
    if line.text[:1].islower() and open_sentence:
        return False  # the sentence runs on across a blank line, box edge or page end
    if after_blank or line.page_start or line.indented:
        return True
    if ends_sentence(previous.text) and len(paragraph) >= 2:
        # A short closing line ends a paragraph in text that has no blank lines between them.
        return len(previous.text) < 0.7 * len(paragraph[-2].text)
    return False


def _block(
    kind: str, lines: Sequence[Line], section: tuple[str, ...], vocabulary: WordForms
) -> Block:
    text, breaks = join_lines(lines, vocabulary)
    if kind == "item" and lines[0].item:
        # The bullet glyph was removed in cleaning; the item keeps a plain "- " marker.
        text = "- " + text
        breaks = [(0 if offset == 0 else offset + 2, page) for offset, page in breaks]
    return Block(kind, text, section, tuple(breaks))


def _push(stack: list[Heading], heading: Heading) -> None:
    if heading.clears_chapter:
        stack[:] = [h for h in stack if h.level < 1]
    while stack and stack[-1].level >= heading.level:
        stack.pop()
    stack.append(heading)


def _path(stack: Sequence[Heading], title_key: str) -> tuple[str, ...]:
    titles = [h.title for h in stack if h.title and h.title.lower() != title_key]
    deduped: list[str] = []
    for title in titles:
        if not deduped or deduped[-1].lower() != title.lower():
            deduped.append(title)
    if len(deduped) > MAX_DEPTH:
        # Keep the outermost heading for orientation and the innermost ones for precision.
        deduped = deduped[:1] + deduped[-(MAX_DEPTH - 1) :]
    return tuple(deduped)
