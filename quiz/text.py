"""Small text helpers: display clean-up, comparison keys and word-overlap measures."""

from __future__ import annotations

import re
from functools import lru_cache

from answer.terms import content_stems
from ingest.matching import normalize_for_match

# A footnote number glued to a word or punctuation: "origin.86 A victim's", "consent.87".
_FOOTNOTE = re.compile(r"(?<=[a-z)\].,;:’”\"])(?<!\d\.)\d{1,3}(?=[\s,.;:)]|$)")
_SPACES = re.compile(r"\s+")
_TRAILING = re.compile(r"[\s,;:–—-]+$")
# Negation words standing alone ("Do-No-Harm" is a name, not a negation).
_NEGATION = re.compile(
    r"(?<![\w-])(?:not|never|no|nor|cannot|avoid|without)(?![\w-])|n[’']t\b", re.I
)


def one_line(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def clean_display(text: str, end: str = ".") -> str:
    """A handbook sentence as an option or statement: one line, no footnote numbers, and a
    closing full stop where a list item ended with a comma or semicolon."""
    text = _FOOTNOTE.sub("", one_line(text))
    text = _TRAILING.sub("", text)
    if end and text and text[-1] not in ".!?":
        text += end
    return text


def strip_end(text: str) -> str:
    return text.rstrip(" .;:,!")


def cap_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def lower_first(text: str) -> str:
    """Lower-case the first word unless it is an acronym or a name ("INTERPOL", "ASEAN")."""
    if not text:
        return text
    word = text.split(" ", 1)[0]
    if len(word) > 1 and not word[1:].islower():
        return text
    return text[:1].lower() + text[1:]


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """Comparison key: two texts with the same key read as the same option."""
    return strip_end(normalize_for_match(text))


@lru_cache(maxsize=65536)
def stems(text: str) -> frozenset[str]:
    return frozenset(content_stems(text))


def jaccard(a: str, b: str) -> float:
    sa, sb = stems(a), stems(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def coverage(claim: str, source: str) -> float:
    """Share of the claim's content words (stemmed) that the source contains."""
    sc = stems(claim)
    if not sc:
        return 0.0
    return len(sc & stems(source)) / len(sc)


def negations(text: str) -> int:
    return len(_NEGATION.findall(text))


def word_count(text: str) -> int:
    return len(text.split())


def words(text: str) -> frozenset[str]:
    """A word list written as one string."""
    return frozenset(text.split())
