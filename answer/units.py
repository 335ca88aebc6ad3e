"""Splitting a passage into quotable units (sentences and list items) with exact offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# A sentence ends at . ! ? (optionally followed by a closing quote or bracket) before a space
# and a capital, digit, bullet or opening quote; abbreviations below do not end one. A footnote
# mark glued to a word's full stop ("…of victims.335 It takes…") stays with its sentence.
_BOUNDARY = re.compile(
    r"(?:(?<=[.!?])|(?<=[^\W\d_][.!?])\d{1,3})(?P<close>[\"'”’)\]]?)\s+"
    r"(?=[\"'“‘(\[]?[A-Z0-9•\-])"
)
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "cf.", "no.", "para.", "art.", "vs.", "mr.", "ms.", "dr.")
_LIST_ITEM = re.compile(r"^\s*(?:[-•·▪◦*]|\d{1,2}[.)]|[a-z][.)])\s+")


@dataclass(frozen=True)
class Unit:
    start: int
    end: int
    text: str
    is_item: bool = False


def _sentence_spans(text: str, offset: int) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        candidate = text[start : match.end("close")].rstrip()
        tail = candidate.lower().rsplit(" ", 1)[-1]
        if tail in _ABBREVIATIONS or len(candidate) < 12:
            continue
        spans.append((offset + start, offset + start + len(candidate)))
        start = match.end()
    if text[start:].strip():
        spans.append((offset + start, offset + len(text.rstrip())))
    return spans


def split_units(text: str) -> list[Unit]:
    """Sentences and list items of a chunk; unit.text == text[unit.start:unit.end] always."""
    units: list[Unit] = []
    position = 0
    for line in text.split("\n"):
        line_start = position
        position += len(line) + 1
        if not line.strip():
            continue
        lead = len(line) - len(line.lstrip())
        item = _LIST_ITEM.match(line)
        body_start = line_start + (item.end() if item else lead)
        body = text[body_start : line_start + len(line)]
        for start, end in _sentence_spans(body, body_start):
            piece = text[start:end]
            stripped = piece.strip()
            if stripped:
                real_start = start + piece.index(stripped)
                units.append(
                    Unit(real_start, real_start + len(stripped), stripped, is_item=bool(item))
                )
    return units


@lru_cache(maxsize=8192)
def passage_units(text: str) -> tuple[Unit, ...]:
    """split_units of a passage, remembered: an answer reads the same passages' units three
    or four times (scoring, quoting, answerability), and popular passages recur across
    questions. Pure, and a few MB for the whole corpus."""
    return tuple(split_units(text))
