"""The shape of a heading line: what kind of heading a line could be, and its display title.

Only shapes live here; whether a candidate really is a heading depends on its neighbours and on
numbering sequences, which `structure` decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.sentences import ends_sentence
from ingest.wordlists import DANGLING, FUNCTION_WORDS

MAX_TITLE = 100
MAX_HEADING_CHARS = 110
MAX_HEADING_WORDS = 16

ORDINALS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    "first|second|third|fourth|fifth|sixth"
)
KEYWORD = re.compile(
    rf"^(part|pillar|chapter|annex|appendix|module|unit|principle|section)"
    rf"\s+((?:{ORDINALS})\b|[ivxlc]+\b|\d{{1,2}}\b|[a-z]\b)\s*(.*)$",
    re.IGNORECASE,
)
# Outline level of each keyword: parts hold chapters, chapters hold numbered sections.
KEYWORD_LEVEL = {
    "part": 0,
    "pillar": 1,
    "chapter": 1,
    "annex": 1,
    "appendix": 1,
    "module": 1,
    "unit": 1,
    "principle": 2,
    "section": 2,
}
NUMBERED = re.compile(r"^(\d{1,2})(?:\.(\d{1,2}))?(?:\.(\d{1,2}))?(\.?)\s+(\S.*)$")
NUMBER_ONLY = re.compile(r"^(\d{1,2})\.$")

TWO_SENTENCES = re.compile(r"[^\W\d_]{2}[.!?]\s+[A-Z“\"‘']")
GLUED_NOTE = re.compile(r"(?:(?<=[^\W\d_])|(?<=[)’”?]))\d{1,3}$")
GLUED_NOTE_BEFORE_COLON = re.compile(r"(?<=[^\W\d_])\d{1,3}(?=:$)")
NOTE_AFTER_COLON = re.compile(r":\s*\d{1,3}$")


def is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def title_case_share(text: str) -> float:
    """Share of content words that are capitalised ("Formal Interview" = 1.0)."""
    words = [w.strip("‘’“”\"'()[],:;?!") for w in text.split()]
    content = [
        w for w in words if len(w) >= 4 and w[:1].isalpha() and w.lower() not in FUNCTION_WORDS
    ]
    if not content:
        return 1.0 if any(w[:1].isupper() for w in words) else 0.0
    return sum(1 for w in content if w[:1].isupper()) / len(content)


def is_title_case(text: str) -> bool:
    return is_caps(text) or title_case_share(text) >= 0.5


def dangling(text: str) -> bool:
    """The line cannot end a heading: it stops on 'of', a comma, a hyphen or a possessive."""
    stripped = text.rstrip()
    if stripped.endswith(("-", ",", "&", "’s", "'s")):
        return True
    last = stripped.rsplit(" ", 1)[-1].lower()
    return last in DANGLING


def heading_shape(
    text: str, allow_colon: bool = False, allow_question: bool = True, strong: bool = False
) -> bool:
    """Short, one phrase, no closing full stop: could be a heading if its context agrees.

    `strong` headings (numbered, or with a keyword) may be longer: their number vouches for them.
    """
    stripped = strip_note_number(text)
    max_chars = MAX_HEADING_CHARS + 30 if strong else MAX_HEADING_CHARS
    max_words = MAX_HEADING_WORDS + 6 if strong else MAX_HEADING_WORDS
    if not 2 <= len(stripped) <= max_chars or len(stripped.split()) > max_words:
        return False
    first = stripped[0]
    if not (first.isupper() or first.isdigit()):
        return False
    if sum(c.isalpha() for c in stripped) < 3 or "http" in stripped or "@" in stripped:
        return False
    if TWO_SENTENCES.search(stripped) or dangling(stripped):
        return False
    if stripped.endswith("?"):
        return allow_question
    if stripped.endswith(":"):
        return allow_colon
    return not ends_sentence(stripped) and not stripped.endswith((",", ";", "-"))


def strip_note_number(text: str) -> str:
    """Drop a footnote reference glued to a heading ("Cultural congruence211" -> "...ence")."""
    text = text.strip()
    text = NOTE_AFTER_COLON.sub(":", text)
    text = GLUED_NOTE_BEFORE_COLON.sub("", text)
    return GLUED_NOTE.sub("", text).rstrip()


def display_title(text: str) -> str:
    """The title as a section path shows it: no note numbers or closing colon, ~100 chars."""
    title = strip_note_number(" ".join(text.split())).rstrip(" :")
    keyword = KEYWORD.match(title)
    if keyword and is_caps(f"{keyword.group(1)} {keyword.group(2)}"):
        # "PILLAR ONE: Identification" reads better as "Pillar One: Identification".
        head = f"{keyword.group(1).capitalize()} {keyword.group(2).capitalize()}"
        title = head + title[len(keyword.group(1)) + 1 + len(keyword.group(2)) :]
    if len(title) > MAX_TITLE:
        cut = title[:MAX_TITLE].rsplit(" ", 1)[0]
        title = cut.rstrip(",;:-") + "…"
    return title


def label_key(text: str) -> str:
    return display_title(text).lower()


@dataclass
class Heading:
    start: int  # first line index
    end: int  # one past the last line index
    level: int
    title: str
    kind: str  # "part", "keyword", "chapter", "section", "item", "page", "label", "weak"
    chapter: int | None = None
    clears_chapter: bool = False
