"""The domain lexicon (index/data/lexicon.toml): practitioners' words → the handbooks' terms.

Each [[term]] maps words in any language (keys en, es, fr, ru, id, vi, th, ...) to the English
terms the handbooks use. A `*` stands for the rest of a word: `дет*` matches дети, детей,
детям, and `торговл* людьми` торговля людьми and торговли людьми.
An optional `[term.glossary]` table names each language's preferred rendering of the term
(first in its list) and `[term.glossary.avoid]` the wrong ones translation backends produce;
the translation layer uses it to keep key terms right (api/translation/glossary.py).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

LEXICON_FILE = Path(__file__).resolve().parent / "data" / "lexicon.toml"


@dataclass(frozen=True)
class Entry:
    handbook: tuple[str, ...]
    variants: dict[str, tuple[str, ...]]
    glossary: dict[str, tuple[str, ...]] = field(default_factory=dict)
    avoid: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _alternative(word: str) -> str:
    """A `*` stands for the rest of a word: `дет*`, `торговл* людьми`."""
    return r"\w*".join(re.escape(part) for part in word.split("*"))


class Lexicon:
    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self._patterns: dict[str, list[tuple[re.Pattern[str], tuple[str, ...]]]] = {}

    def languages(self) -> set[str]:
        return {lang for e in self.entries for lang in e.variants}

    def _compiled(self, lang: str) -> list[tuple[re.Pattern[str], tuple[str, ...]]]:
        if lang not in self._patterns:
            compiled = []
            for entry in self.entries:
                words = entry.variants.get(lang, ())
                if lang == "en":
                    words = (*words, *entry.handbook)
                if words:
                    alternatives = "|".join(
                        _alternative(w) for w in sorted(words, key=len, reverse=True)
                    )
                    # Scripts without spaces (Thai) cannot use word boundaries.
                    pattern = rf"(?<!\w)(?:{alternatives})(?!\w)" if lang != "th" else alternatives
                    compiled.append((re.compile(pattern, re.IGNORECASE), entry.handbook))
            self._patterns[lang] = compiled
        return self._patterns[lang]

    def expand(self, text: str, lang: str = "en") -> list[str]:
        """Handbook terms for the variants the text uses (not those it already contains)."""
        lowered = text.lower()
        extra: dict[str, None] = {}
        for pattern, handbook in self._compiled(lang):
            if pattern.search(text):
                for term in handbook:
                    if term.lower() not in lowered:
                        extra.setdefault(term, None)
        return list(extra)

    def spans(self, text: str, lang: str) -> list[tuple[int, int, str]]:
        """(start, end, first handbook term) of each phrase the lexicon knows, the longest
        where they overlap, left to right."""
        spans = [
            (m.start(), m.end(), handbook[0])
            for pattern, handbook in self._compiled(lang)
            for m in pattern.finditer(text)
            if m.end() > m.start()
        ]
        return _longest_first(spans)

    def gloss(self, text: str, lang: str) -> str:
        """The text with each phrase the lexicon knows replaced by its first handbook term:
        a rough English rendering for search ("niña sin pasaporte" → "child sin passport")."""
        return _replace_spans(text, self.spans(text, lang))


def _replace_spans(text: str, spans: list[tuple[int, int, str]]) -> str:
    out, last = [], 0
    for start, end, term in spans:
        out.append(text[last:start])
        out.append(f" {term} ")
        last = end
    out.append(text[last:])
    return " ".join("".join(out).split())


def _words(value: Any) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(str(w) for w in value or ())


def _longest_first(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    chosen: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0])):
        if all(span[1] <= c[0] or span[0] >= c[1] for c in chosen):
            chosen.append(span)
    return sorted(chosen)


def parse_lexicon(raw: dict[str, Any]) -> Lexicon:
    entries = []
    for item in raw.get("term", []):
        if not isinstance(item, dict) or not item.get("handbook"):
            raise ValueError("every [[term]] needs a non-empty 'handbook' list")
        variants = {
            k: _words(v) for k, v in item.items() if k not in ("handbook", "glossary") and v
        }
        glossary = dict(item.get("glossary") or {})
        avoid = {k: _words(v) for k, v in dict(glossary.pop("avoid", None) or {}).items()}
        entries.append(
            Entry(
                tuple(str(t) for t in item["handbook"]),
                variants,
                {k: _words(v) for k, v in glossary.items() if v},
                avoid,
            )
        )
    return Lexicon(entries)


@lru_cache
def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    return parse_lexicon(tomllib.loads(path.read_text(encoding="utf-8")))
