"""Language of documents and chunks.

langdetect costs about 5 ms per chunk, too slow to run on every chunk of a large handbook. A
document's language is detected once; a chunk is re-detected only when a cheap test says it may
differ: its letters are in another script, or it lacks the document language's common words.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from langdetect import DetectorFactory, LangDetectException, detect

from ingest.wordlists import STOPWORDS

DetectorFactory.seed = 0  # langdetect is random without a seed: same text, same answer

MIN_WORDS = 8
SAMPLE_CHARS = 6000

WORDS = re.compile(r"[^\W\d_]+")
NON_LETTERS = re.compile(r"[\W\d_]+")


def guess_language(text: str, fallback: str = "en") -> str:
    """langdetect's answer for the text, or the fallback when there is too little to judge."""
    sample = text[:SAMPLE_CHARS]
    if len(WORDS.findall(sample)) < MIN_WORDS:
        return fallback
    try:
        return str(detect(sample))
    except LangDetectException:
        return fallback


class LanguageGuesser:
    """Per-chunk language, cheap when a chunk is plainly in its document's language."""

    def __init__(self, document_language: str, document_sample: str) -> None:
        self.language = document_language
        self.script = dominant_script(document_sample)

    def guess(self, text: str) -> str:
        words = WORDS.findall(text)
        if len(words) < MIN_WORDS:
            return self.language
        if dominant_script(text) != self.script:
            return guess_language(text, self.language)
        common = STOPWORDS.get(self.language)
        if common is None:
            return guess_language(text, self.language)
        share = sum(1 for word in words if word.lower() in common) / len(words)
        # Running text has 20-40 % function words; below 8 % it is likely another language.
        return self.language if share >= 0.08 else guess_language(text, self.language)


def dominant_script(text: str) -> str:
    """The script most letters of the text are written in ("LATIN", "CYRILLIC", "ARABIC"...)."""
    letters = NON_LETTERS.sub("", text[:SAMPLE_CHARS])
    if not letters:
        return "unknown"
    if letters.isascii():
        return "LATIN"  # the common case, decided without looking at single characters
    counts: Counter[str] = Counter()
    for char, n in Counter(letters).items():
        counts[_script(char)] += n
    return counts.most_common(1)[0][0]


@lru_cache(maxsize=4096)
def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else "unknown"
