"""The domain lexicon (index/data/lexicon.toml): practitioners' words → the handbooks' terms."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

LEXICON_FILE = Path(__file__).resolve().parent / "data" / "lexicon.toml"


@dataclass(frozen=True)
class Entry:
    handbook: tuple[str, ...]
    variants: dict[str, tuple[str, ...]]


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
                        re.escape(w) for w in sorted(words, key=len, reverse=True)
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


def parse_lexicon(raw: dict[str, Any]) -> Lexicon:
    entries = []
    for item in raw.get("term", []):
        if not isinstance(item, dict) or not item.get("handbook"):
            raise ValueError("every [[term]] needs a non-empty 'handbook' list")
        variants = {k: tuple(str(w) for w in v) for k, v in item.items() if k != "handbook" and v}
        entries.append(Entry(tuple(str(t) for t in item["handbook"]), variants))
    return Lexicon(entries)


@lru_cache
def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    return parse_lexicon(tomllib.loads(path.read_text(encoding="utf-8")))
