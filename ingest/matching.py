"""Text normalisation for deciding whether a passage contains an evidence string.

Applied to both sides. It undoes what cleaning does to raw handbook text (bullet glyphs,
tabs, line-break hyphenation, form dots) so that a string copied from the raw file matches the
cleaned chunk text; and it folds what cleaning leaves alone but a person may type differently
(case, quotes, spacing, hyphens in "co-operation" / "cooperation").
"""

from __future__ import annotations

import re
import unicodedata

from ingest.cleaning import BULLET_GLYPHS, FORM_LINE, INVISIBLE

LINE_BULLET = re.compile(rf"(?m)^[^\S\n]*(?:[{BULLET_GLYPHS}\ue000-\uf8ff]+|[-–*+](?=\s))[^\S\n]*")
INNER_BULLET = re.compile(rf"\s[{BULLET_GLYPHS}\ue000-\uf8ff]+(?=\s)")
# A hyphen between letters, possibly followed by a line break: "oth-\ner", "co-operation".
WORD_HYPHEN = re.compile(r"(?<=[^\W\d_])-\s*(?=[^\W\d_])")
TRAILING_HYPHEN = re.compile(r"(?<=[^\W\d_])-$")
QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"'})


def normalize_for_match(text: str) -> str:
    """Lowercase, NFKC, single spaces, no bullets, no hyphens inside words."""
    text = INVISIBLE.sub("", text)
    text = unicodedata.normalize("NFKC", text).translate(QUOTES)
    text = text.replace("\t", " ").replace("\r", "\n")
    text = LINE_BULLET.sub("", text)
    text = INNER_BULLET.sub(" ", text)
    text = FORM_LINE.sub(" ", text)
    text = " ".join(text.split())
    # An evidence string cut at a line end ("investiga-") matches the re-joined word.
    text = TRAILING_HYPHEN.sub("", text)
    text = WORD_HYPHEN.sub("", text)
    return text.lower()


def contains(passage: str, evidence: str) -> bool:
    """True when the passage contains the evidence string, after normalising both."""
    needle = normalize_for_match(evidence)
    return bool(needle) and needle in normalize_for_match(passage)
