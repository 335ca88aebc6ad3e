"""Turning raw page text into clean lines: glyphs, tabs, form lines, hyphenation, notes, furniture.

The output keeps one `Line` per source line (blank lines included) so that structure detection
can still see line shapes; `join_lines` later glues a paragraph's lines into running text.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ingest.document import Footnote, Headings, Line, RawDocument
from ingest.footnotes import split_footnotes
from ingest.furniture import drop_furniture
from ingest.sentences import ends_sentence

# Glyphs that only ever mark list items at the start of a line. U+FFFD stands in for symbol-font
# bullets that text extraction could not map; the private-use area holds the same symbol glyphs.
BULLET_GLYPHS = "•·▪◦●○■□▫❑❒➢➤►▶▸‣⁃✓✔◆◇♦\ufffd"
GLYPH_BULLET = re.compile(rf"^[{BULLET_GLYPHS}\ue000-\uf8ff]+\s*")
# These are list markers only in the right context: they are also dashes inside sentences.
DASH_BULLET = re.compile(r"^[-–*+]\s+(?=\S)")
# Dotted or underscored fill-in lines of forms ("Name: ..........").
FORM_LINE = re.compile(r"(?:\.\s?){5,}|_{4,}|…{2,}")
INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
SPACES = re.compile(r"[^\S\n]+")
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
LETTERS = re.compile(r"[^\W\d_]+")
LINE_END_FRAGMENT = re.compile(r"\S+-$", re.MULTILINE)
TRAILING_HYPHENATED = re.compile(r"([^\W\d_]+(?:-[^\W\d_]+)*)-$")


@dataclass(frozen=True)
class CleanText:
    lines: tuple[Line, ...]
    footnotes: tuple[Footnote, ...]
    vocabulary: WordForms


class WordForms:
    """Word forms used in a document, to decide whether a line-end hyphen is part of the word."""

    def __init__(self, lines: Sequence[str]) -> None:
        # A fragment broken at a line end ("oth-") is not a word form: leave it out.
        text = LINE_END_FRAGMENT.sub("", "\n".join(lines)).lower()
        self.counts: Counter[str] = Counter(WORD.findall(text))

    def keep_hyphen(self, left: str, right: str) -> bool:
        """True when 'left-' + 'right' is a hyphenated compound ("non-" + "punishment")."""
        joined = (left + right).lower()
        hyphenated = f"{left}-{right}".lower()
        return self.counts[hyphenated] > 0 and self.counts[joined] == 0


def clean(document: RawDocument, title: str = "") -> CleanText:
    """Normalise every line, drop page furniture and pull out footnotes."""
    lines = normalize_pages(document)
    vocabulary = WordForms([line.text for line in lines])
    lines = drop_furniture(lines, title)
    if document.headings is Headings.MARKED:
        return CleanText(tuple(lines), (), vocabulary)
    body, notes = split_footnotes(lines, paged=document.paged, wide=wide_line_length(lines))
    return CleanText(tuple(body), tuple(notes), vocabulary)


def normalize_pages(document: RawDocument) -> list[Line]:
    lines: list[Line] = []
    marked = document.headings is Headings.MARKED
    for page in document.pages:
        for index, raw in enumerate(page.text.split("\n")):
            text = normalize_text(raw)
            line = Line(
                text=text,
                page=page.number,
                page_start=index == 0 and page.number is not None,
                indented=raw.startswith(" ") and not raw[1:2].isspace(),
            )
            lines.append(line)
    return mark_items(lines, markdown=marked)


def normalize_text(raw: str) -> str:
    """NFKC, no invisible characters, tabs and runs of spaces as one space, no form dots."""
    text = INVISIBLE.sub("", raw)
    text = unicodedata.normalize("NFKC", text)
    text = FORM_LINE.sub(" ", text)
    return SPACES.sub(" ", text).strip()


def mark_items(lines: list[Line], markdown: bool = False) -> list[Line]:
    """Turn bullet glyphs into list items; lines of lone bullets mark the lines after them."""
    out: list[Line] = []
    pending_bullets = 0  # lone bullet glyphs seen: their item texts follow as a block of lines
    in_orphan_block = False
    for line in lines:
        text = line.text
        glyph = GLYPH_BULLET.match(text)
        if glyph:
            rest = text[glyph.end() :]
            if not rest:
                pending_bullets += 1
                in_orphan_block = False
                out.append(replace(line, text=""))
                continue
            out.append(replace(line, text=rest, item=True))
            in_orphan_block = False
            continue
        if not text:
            if in_orphan_block:
                in_orphan_block = False
                pending_bullets = 0
            out.append(line)
            continue
        if pending_bullets and not in_orphan_block:
            in_orphan_block = True
        if in_orphan_block:
            # Extraction separated the bullets from their texts: a capitalised line in the block
            # that follows starts an item, a lowercase one continues the previous item.
            out.append(replace(line, item=text[:1].isupper() or text[:1].isdigit()))
            continue
        dash = DASH_BULLET.match(text)
        if dash and (markdown or dash_starts_item(text[dash.end() :], out)):
            out.append(replace(line, text=text[dash.end() :], item=True))
            continue
        out.append(line)
    return out


def dash_starts_item(rest: str, previous: Sequence[Line]) -> bool:
    """'- ' starts an item unless it continues a sentence ("... traffickers\n- including")."""
    if rest[:1].isupper() or rest[:1].isdigit() or rest[:1] in "\"'“‘(":
        return True
    before = next((line for line in reversed(previous) if not line.blank), None)
    return before is None or before.item or ends_sentence(before.text)


def wide_line_length(lines: Sequence[Line]) -> float:
    """Lines this long are set in a smaller type than body text (notes, in these exports)."""
    lengths = [len(line.text) for line in lines if len(line.text) >= 30]
    if not lengths:
        return float("inf")
    return 1.3 * statistics.median(lengths)


def join_lines(
    lines: Sequence[Line], vocabulary: WordForms
) -> tuple[str, list[tuple[int, int | None]]]:
    """Glue lines into running text, re-joining words hyphenated at line ends.

    Returns the text and its page breaks: (offset, page) where each page's text begins.
    """
    text = ""
    breaks: list[tuple[int, int | None]] = []
    for line in lines:
        piece = line.text
        if not piece:
            continue
        if not text:
            start = 0
            text = piece
        else:
            text, start = _append(text, piece, vocabulary)
        if not breaks or breaks[-1][1] != line.page:
            breaks.append((start, line.page))
    return text, breaks


def _append(text: str, piece: str, vocabulary: WordForms) -> tuple[str, int]:
    if text.endswith("-") and len(text) >= 2 and text[-2].isalpha():
        fragment = TRAILING_HYPHENATED.search(text)
        right = LETTERS.match(piece)
        if fragment and right and piece[0].islower() and text[-2].islower():
            if vocabulary.keep_hyphen(fragment.group(1), right.group(0)):
                return text + piece, len(text)
            return text[:-1] + piece, len(text) - 1
        if piece[0].isupper() or piece[0].isdigit():
            # "Anti-" + "Trafficking", "COVID-" + "19": the hyphen is part of the word.
            return text + piece, len(text)
    return f"{text} {piece}", len(text) + 1
