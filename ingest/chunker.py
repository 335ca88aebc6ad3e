"""Chunks: passages of about `target_words`, cut only between sentences, never across sections.

Within a section, cut points are chosen by dynamic programming: each chunk pays for straying
from the target size and for where it ends (a paragraph end is free, a sentence end inside a
paragraph costs a little, ending on a sentence that introduces a list costs a lot, cutting a
too-long sentence at a comma costs most). Chunks never cross a heading: a citation names the
section, so a chunk must sit in exactly one. Tiny sections therefore stay tiny chunks rather than
merging into a neighbour whose section path would then be wrong for part of the text.
"""

from __future__ import annotations

import bisect
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.blocks import Block
from ingest.language import LanguageGuesser
from ingest.records import Chunk
from ingest.sentences import clause_spans, sentence_spans, word_count

BREAK_AT_BLOCK_END = 0.0
BREAK_BETWEEN_ITEMS = 0.15
BREAK_MID_PARAGRAPH = 0.35
BREAK_AFTER_INTRO = 3.0  # a sentence ending in ":" introduces what follows
BREAK_MID_SENTENCE = 6.0
UNDERSIZE = 4.0


@dataclass(frozen=True)
class ChunkerConfig:
    target_words: int = 110
    max_words: int = 180
    min_words: int = 25

    def __post_init__(self) -> None:
        if not 0 < self.min_words <= self.target_words <= self.max_words:
            raise ValueError("need 0 < min_words <= target_words <= max_words")


@dataclass(frozen=True)
class _Atom:
    """A sentence (or a clause of an over-long one): the smallest unit a chunk holds."""

    start: int  # offsets into the document text
    end: int
    words: int
    break_cost: float  # cost of ending a chunk right after this atom


@dataclass(frozen=True)
class DocumentText:
    """The cleaned document as one string: blocks joined by newlines, footnotes last."""

    text: str
    offsets: tuple[int, ...]  # start of each block in text
    page_offsets: tuple[int, ...]
    pages: tuple[int | None, ...]

    def page_at(self, offset: int) -> int | None:
        index = bisect.bisect_right(self.page_offsets, offset) - 1
        return self.pages[index] if index >= 0 else None


def document_text(blocks: Sequence[Block]) -> DocumentText:
    parts: list[str] = []
    offsets: list[int] = []
    page_offsets: list[int] = []
    pages: list[int | None] = []
    position = 0
    for block in blocks:
        offsets.append(position)
        for offset, page in block.breaks:
            if not pages or pages[-1] != page:
                page_offsets.append(position + offset)
                pages.append(page)
        parts.append(block.text)
        position += len(block.text) + 1
    return DocumentText("\n".join(parts), tuple(offsets), tuple(page_offsets), tuple(pages))


def chunk_blocks(
    blocks: Sequence[Block], doc_id: str, language: str, config: ChunkerConfig
) -> list[Chunk]:
    """Chunk a document's blocks; chunk text is exactly `text[char_start:char_end]`."""
    doc = document_text(blocks)
    guesser = LanguageGuesser(language, doc.text)
    spans: list[tuple[int, int, tuple[str, ...], str]] = []
    for group in _groups(blocks):
        atoms = _atoms(group, blocks, doc, config)
        section = blocks[group[0]].section
        kind = "footnote" if blocks[group[0]].kind == "footnote" else "body"
        spans.extend((start, end, section, kind) for start, end in _pack(atoms, config))
    chunks: list[Chunk] = []
    seen: Counter[str] = Counter()
    for ordinal, (start, end, section, kind) in enumerate(sorted(spans)):
        text = doc.text[start:end]
        seen[text] += 1
        chunks.append(
            Chunk(
                chunk_id=chunk_id(doc_id, text, seen[text]),
                doc_id=doc_id,
                ordinal=ordinal,
                section=section,
                page_start=doc.page_at(start),
                page_end=doc.page_at(end - 1),
                char_start=start,
                char_end=end,
                text=text,
                lang=guesser.guess(text),
                kind=kind,
            )
        )
    return chunks


def chunk_id(doc_id: str, text: str, occurrence: int = 1) -> str:
    """Content address: unchanged text keeps its id when other text in the document changes.
    A repeat of the same text in one document adds its occurrence number to stay unique."""
    key = f"{doc_id}\x1f{text}" if occurrence == 1 else f"{doc_id}\x1f{text}\x1f{occurrence}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _groups(blocks: Sequence[Block]) -> list[list[int]]:
    """Runs of body blocks between headings; footnotes grouped by the block they came from."""
    groups: list[list[int]] = []
    current: list[int] = []
    current_key: tuple[str, int] | None = None
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            key = None
        elif block.kind == "footnote":
            key = ("footnote", block.group)
        else:
            key = ("body", 0)
        if key != current_key or key is None:
            if current:
                groups.append(current)
            current = []
            current_key = key
        if key is not None and block.text.strip():
            current.append(index)
    if current:
        groups.append(current)
    return groups


def _atoms(
    group: Sequence[int], blocks: Sequence[Block], doc: DocumentText, config: ChunkerConfig
) -> list[_Atom]:
    atoms: list[_Atom] = []
    for position, index in enumerate(group):
        block = blocks[index]
        base = doc.offsets[index]
        following = blocks[group[position + 1]] if position + 1 < len(group) else None
        spans = sentence_spans(block.text)
        for n, (start, end) in enumerate(spans):
            pieces = [(start, end)]
            if word_count(block.text, start, end) > config.max_words:
                pieces = clause_spans(block.text, start, end, config.max_words)
            for m, (piece_start, piece_end) in enumerate(pieces):
                last_piece = m == len(pieces) - 1
                if not last_piece:
                    cost = BREAK_MID_SENTENCE
                elif n < len(spans) - 1:
                    cost = BREAK_MID_PARAGRAPH
                elif block.kind == "item" and following is not None and following.kind == "item":
                    cost = BREAK_BETWEEN_ITEMS
                else:
                    cost = BREAK_AT_BLOCK_END
                if last_piece and block.text[:piece_end].rstrip().endswith(":"):
                    cost = max(cost, BREAK_AFTER_INTRO)
                words = word_count(block.text, piece_start, piece_end)
                atoms.append(_Atom(base + piece_start, base + piece_end, words, cost))
    return atoms


def _pack(atoms: Sequence[_Atom], config: ChunkerConfig) -> list[tuple[int, int]]:
    """Cut atoms into chunks at minimal total cost; returns (start, end) offsets per chunk."""
    n = len(atoms)
    if n == 0:
        return []
    prefix = [0]
    for atom in atoms:
        prefix.append(prefix[-1] + atom.words)
    best = [0.0] + [float("inf")] * n
    back = [0] * (n + 1)
    for end in range(1, n + 1):
        for start in range(end - 1, -1, -1):
            words = prefix[end] - prefix[start]
            if words > config.max_words and end - start > 1:
                break
            cost = best[start] + _size_cost(words, start == 0 and end == n, config)
            if end < n:
                cost += atoms[end - 1].break_cost
            if cost < best[end]:
                best[end] = cost
                back[end] = start
    cuts: list[tuple[int, int]] = []
    end = n
    while end > 0:
        start = back[end]
        cuts.append((atoms[start].start, atoms[end - 1].end))
        end = start
    return cuts[::-1]


def _size_cost(words: int, whole_group: bool, config: ChunkerConfig) -> float:
    cost = ((words - config.target_words) / config.target_words) ** 2
    if words < config.min_words and not whole_group:
        cost += UNDERSIZE
    return cost
