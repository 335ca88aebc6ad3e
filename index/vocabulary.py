"""The handbook vocabulary (index/data/vocabulary/<lang>.tsv): a word list from a question's
language to the English words the handbooks use, for dictionary-based cross-lingual search.

The domain lexicon (index/lexicon.py) knows a few hundred key concepts and their phrases; this
word list covers the handbooks' whole working vocabulary (every word that occurs in two or more
passages), so a Spanish question about a "camión" can find the passage about a "truck" by
English keyword search, whatever translation backend is or isn't installed.

File format, one line per English word: `english<TAB>variant; variant; ...`. A variant may be
a phrase; a `*` at the end of a word stands for the rest of it (`explot*`, `торговл* людьми`).
Matching ignores case, ignores accents for the Latin-script languages other than Vietnamese,
and treats ё as е. Thai, written without spaces, is matched by longest match along the text.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from index.lexicon import load_lexicon

VOCABULARY_DIR = Path(__file__).resolve().parent / "data" / "vocabulary"

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_UNSPACED = frozenset({"th", "lo", "km", "my"})  # scripts written without spaces between words
_KEEP_ACCENTS = frozenset({"vi"})  # Vietnamese tones tell words apart
_MAX_SENSES = 4  # English words kept per variant: more is noise for keyword search


@dataclass(frozen=True)
class Pattern:
    words: tuple[str, ...]  # normalised; a trailing "*" marks a stem
    english: tuple[str, ...]

    def matches(self, tokens: list[str], start: int) -> bool:
        if start + len(self.words) > len(tokens):
            return False
        return all(
            tokens[start + i].startswith(w[:-1]) if w.endswith("*") else tokens[start + i] == w
            for i, w in enumerate(self.words)
        )


@dataclass
class Match:
    start: int  # character offsets in the text as given
    end: int
    english: tuple[str, ...]


def fold_text(text: str, lang: str) -> str:
    """Lower case, NFC; accents dropped except where they carry meaning (Vietnamese)."""
    text = unicodedata.normalize("NFC", text.lower()).replace("ё", "е")
    if lang in _KEEP_ACCENTS or lang in _UNSPACED:
        return text
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", stripped)


@dataclass
class Vocabulary:
    lang: str
    _by_first: dict[str, list[Pattern]] = field(default_factory=lambda: defaultdict(list))
    _by_stem: dict[str, list[Pattern]] = field(default_factory=lambda: defaultdict(list))
    _unspaced: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _longest: int = 0
    stopwords: frozenset[str] = frozenset()  # never looked up alone (normalised)
    size: int = 0  # English words with at least one variant

    def add(self, english: str, variants: list[str]) -> None:
        variants = [v for v in (fold_text(v.strip(), self.lang) for v in variants) if v]
        if not variants:
            return
        self.size += 1
        for variant in variants:
            if self.lang in _UNSPACED:
                self._add_unspaced(variant.replace(" ", "").rstrip("*"), english)
                continue
            words = tuple(_words_of(variant))
            if not words or (words[0].endswith("*") and len(words[0]) < 4):
                continue  # a one- or two-letter stem would match half the language
            pattern = Pattern(words, (english,))
            index = self._by_stem if words[0].endswith("*") else self._by_first
            index[words[0].rstrip("*")].append(pattern)

    def _add_unspaced(self, variant: str, english: str) -> None:
        if len(variant) < 2:
            return
        senses = self._unspaced.get(variant, ())
        if english not in senses:
            self._unspaced[variant] = (*senses, english)
        self._longest = max(self._longest, len(variant))

    def matches(self, text: str) -> list[Match]:
        """The text's recognised words and phrases, longest first, left to right."""
        if self.lang in _UNSPACED:
            return self._matches_unspaced(text)
        spans = [
            (m.start(), m.end(), fold_text(m.group(), self.lang)) for m in _WORD.finditer(text)
        ]
        tokens = [s[2] for s in spans]
        found, i = [], 0
        while i < len(tokens):
            length, english = self._longest_at(tokens, i)
            if length == 1 and tokens[i] in self.stopwords:
                length = 0
            if length:
                found.append(Match(spans[i][0], spans[i + length - 1][1], english))
                i += length
            else:
                i += 1
        return found

    def _longest_at(self, tokens: list[str], i: int) -> tuple[int, tuple[str, ...]]:
        token = tokens[i]
        candidates = list(self._by_first.get(token, ()))
        for cut in range(len(token), 2, -1):
            candidates.extend(self._by_stem.get(token[:cut], ()))
        best, senses = 0, list[str]()
        for pattern in candidates:
            if len(pattern.words) >= best and pattern.matches(tokens, i):
                if len(pattern.words) > best:
                    best, senses = len(pattern.words), []
                senses.extend(e for e in pattern.english if e not in senses)
        return best, tuple(senses[:_MAX_SENSES])

    def _matches_unspaced(self, text: str) -> list[Match]:
        lowered = fold_text(text, self.lang)
        found, i = [], 0
        while i < len(lowered):
            for length in range(min(self._longest, len(lowered) - i), 1, -1):
                senses = self._unspaced.get(lowered[i : i + length])
                if senses:
                    found.append(Match(i, i + length, senses[:_MAX_SENSES]))
                    i += length
                    break
            else:
                i += 1
        return found

    def english(self, text: str) -> list[str]:
        """The English words for the text's recognised words, in order, each once."""
        words: dict[str, None] = {}
        for match in self.matches(text):
            for word in match.english:
                words.setdefault(word, None)
        return list(words)


def _words_of(variant: str) -> list[str]:
    # A stem keeps its "*"; the word pattern alone would drop it.
    return [
        m.group() + ("*" if variant[m.end() : m.end() + 1] == "*" else "")
        for m in _WORD.finditer(variant)
    ]


def parse_vocabulary(lang: str, text: str, stopwords: str = "") -> Vocabulary:
    vocabulary = Vocabulary(lang, stopwords=frozenset(fold_text(stopwords, lang).split()))
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        english, sep, variants = line.partition("\t")
        if not sep or not english.strip():
            raise ValueError(
                f"vocabulary/{lang}.tsv line {number}: expected 'english<TAB>variants'"
            )
        vocabulary.add(english.strip(), variants.split(";"))
    return vocabulary


def vocabulary_languages(directory: Path = VOCABULARY_DIR) -> list[str]:
    return sorted(p.stem for p in directory.glob("*.tsv"))


@lru_cache
def load_vocabulary(lang: str, directory: Path = VOCABULARY_DIR) -> Vocabulary | None:
    """The language's word list, or None when the product has none for it."""
    path = directory / f"{lang}.tsv"
    if lang == "en" or not re.fullmatch(r"[a-z]{2,3}", lang) or not path.is_file():
        return None
    stop = directory / "stopwords.toml"
    stopwords = tomllib.loads(stop.read_text(encoding="utf-8")) if stop.is_file() else {}
    return parse_vocabulary(lang, path.read_text(encoding="utf-8"), stopwords.get(lang, ""))


def render_english(text: str, lang: str, senses: int = _MAX_SENSES) -> str:
    """A word-by-word English rendering of a question for search: the lexicon's handbook term
    for each phrase it knows, the vocabulary's English words for the other words it knows,
    acronyms and numbers as they are, and nothing for words neither knows. Empty when no
    word is known. `senses` caps the English words given for one word of the question: all
    of them widen a keyword search, the first alone reads more like a sentence."""
    chosen = load_lexicon().spans(text, lang)
    vocabulary = load_vocabulary(lang)
    if vocabulary is not None:
        for match in vocabulary.matches(text):
            if all(match.end <= s or match.start >= e for s, e, _ in chosen):
                chosen.append((match.start, match.end, " ".join(match.english[:senses])))
    if not chosen:
        return ""
    chosen.sort()
    out, last = [], 0
    for start, end, english in chosen:
        out.extend(_KEPT.findall(text[last:start]))
        out.append(english)
        last = end
    out.extend(_KEPT.findall(text[last:]))
    return " ".join(out)


_KEPT = re.compile(r"\b(?:[A-Z][A-Z0-9&]{1,9}|\d+)\b")  # acronyms and numbers cross languages
