"""Sentence and clause boundaries in running text, the only places a chunk may be cut."""

from __future__ import annotations

import re

from ingest.wordlists import ABBREVIATIONS

# A sentence ends at . ! or ? (closing quotes or brackets and a glued note number may follow),
# before whitespace and a capital, digit, quote or bracket.
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\d{0,3}(?=\s+[\"'“‘(\[]?[A-Z0-9À-ÖØ-Þ])")
# Sentence punctuation at the end of a line (a glued note number may follow it).
TERMINAL = re.compile(r"[.!?:;][\"'”’)\]]*\d{0,3}$")
CLAUSE_MARKS = (";", ":", ",", "–", "—")
WORD = re.compile(r"\S+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; together they cover all non-space text."""
    spans: list[tuple[int, int]] = []
    start = _skip_space(text, 0)
    for match in SENTENCE_END.finditer(text):
        end = match.end()
        if end <= start or _is_abbreviation(text, match.start()):
            continue
        spans.append((start, end))
        start = _skip_space(text, end)
    if start < len(text.rstrip()):
        spans.append((start, len(text.rstrip())))
    return spans


def clause_spans(text: str, start: int, end: int, max_words: int) -> list[tuple[int, int]]:
    """Cut an over-long sentence at clause punctuation (or, failing that, between words) so
    that no piece exceeds max_words."""
    pieces: list[tuple[int, int]] = []
    piece_start = start
    last_cut: int | None = None
    words = 0
    for word in WORD.finditer(text, start, end):
        words += 1
        if words > max_words:
            cut = last_cut if last_cut is not None else word.start()
            pieces.append((piece_start, _trim_end(text, cut)))
            piece_start = _skip_space(text, cut)
            words = len(WORD.findall(text, piece_start, word.end()))
            last_cut = None
        if word.end() < end and (word.group().endswith(CLAUSE_MARKS) or word.group() == "-"):
            last_cut = word.end()
    if piece_start < end:
        pieces.append((piece_start, end))
    return pieces


def word_count(text: str, start: int = 0, end: int | None = None) -> int:
    return len(WORD.findall(text, start, len(text) if end is None else end))


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > 0 and not text[word_start - 1].isspace() and text[word_start - 1] != "(":
        word_start -= 1
    word = text[word_start:dot].lower()
    if word in ABBREVIATIONS:
        return True
    # Initials ("J. Smith", "U.S.") are single letters followed by a full stop.
    return len(word.replace(".", "")) == 1 and word[-1:].isalpha()


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def _trim_end(text: str, i: int) -> int:
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return i


def ends_sentence(text: str) -> bool:
    """The text ends with sentence punctuation (a glued footnote number may follow it)."""
    return bool(TERMINAL.search(text))
