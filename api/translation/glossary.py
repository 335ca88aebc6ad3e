"""Key terms kept right in every language, around any translation backend.

The data is the domain lexicon's `[term.glossary]` tables (index/data/lexicon.toml): for each
term, each language's renderings (the first is the preferred one) and the wrong renderings
backends are known to produce ("tráfico de personas" for trafficking in persons).

Two mechanisms, because backends differ:
- protect: before translating, each glossary term in the source becomes an opaque token
  (`Qz3x`) that rule-based backends pass through untouched; afterwards the token becomes the
  target language's preferred term. Used when the backend `keeps_placeholders`.
- correct: after translating, known wrong renderings are replaced by the preferred term. Used
  always (and alone for neural backends, which mangle opaque tokens).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index.lexicon import Lexicon, load_lexicon

_TOKEN = re.compile(r"Qz(\d+)x", re.IGNORECASE)


@dataclass(frozen=True)
class Term:
    forms: dict[str, tuple[str, ...]]  # language → renderings, preferred first
    avoid: dict[str, tuple[str, ...]]  # language → wrong renderings to correct


@dataclass
class Protected:
    text: str
    slots: list[tuple[int, bool]]  # (term index, source match started with a capital)


class Glossary:
    def __init__(self, terms: list[Term]) -> None:
        self.terms = terms
        self._source: dict[str, tuple[re.Pattern[str], dict[str, int]] | None] = {}
        self._avoid: dict[str, list[tuple[re.Pattern[str], str]]] = {}

    def languages(self) -> set[str]:
        return {lang for term in self.terms for lang in term.forms}

    def preferred(self, index: int, lang: str) -> str | None:
        forms = self.terms[index].forms.get(lang)
        return forms[0] if forms else None

    def _source_pattern(self, lang: str) -> tuple[re.Pattern[str], dict[str, int]] | None:
        if lang not in self._source:
            owners: dict[str, int] = {}
            for i, term in enumerate(self.terms):
                for form in term.forms.get(lang, ()):
                    owners.setdefault(form.lower(), i)
            if not owners:
                self._source[lang] = None
            else:
                body = "|".join(re.escape(f) for f in sorted(owners, key=len, reverse=True))
                bounds = ("", "") if lang == "th" else (r"(?<!\w)", r"(?!\w)")
                pattern = re.compile(f"{bounds[0]}(?:{body}){bounds[1]}", re.IGNORECASE)
                self._source[lang] = (pattern, owners)
        return self._source[lang]

    def protect(self, text: str, source: str, target: str) -> Protected:
        """Replace the source's glossary terms that have a target rendering with tokens."""
        compiled = self._source_pattern(source)
        slots: list[tuple[int, bool]] = []
        if compiled is None:
            return Protected(text, slots)
        pattern, owners = compiled

        def swap(match: re.Match[str]) -> str:
            index = owners[match.group(0).lower()]
            if self.preferred(index, target) is None:
                return match.group(0)
            slots.append((index, match.group(0)[:1].isupper()))
            return f"Qz{len(slots) - 1}x"

        return Protected(pattern.sub(swap, text), slots)

    def restore(self, text: str, protected: Protected, target: str) -> str:
        """Put the target's preferred terms where the tokens came back."""

        def swap(match: re.Match[str]) -> str:
            n = int(match.group(1))
            if n >= len(protected.slots):
                return match.group(0)
            index, capital = protected.slots[n]
            term = self.preferred(index, target) or match.group(0)
            at_start = match.start() == 0 or text[: match.start()].rstrip()[-1:] in ".!?:\n"
            if (capital or at_start) and term[:1].islower():
                term = term[:1].upper() + term[1:]
            return term

        return _TOKEN.sub(swap, text)

    def lost_tokens(self, text: str, protected: Protected) -> bool:
        """True when a backend dropped or altered a token (then translate unprotected)."""
        found = {int(m.group(1)) for m in _TOKEN.finditer(text)}
        return found != set(range(len(protected.slots)))

    def correct(self, text: str, target: str) -> str:
        """Replace wrong renderings of key terms with the preferred ones."""
        if target not in self._avoid:
            rules = []
            for i, term in enumerate(self.terms):
                good = self.preferred(i, target)
                for wrong in term.avoid.get(target, ()):
                    if good:
                        rules.append((wrong, good))
            rules.sort(key=lambda rule: len(rule[0]), reverse=True)
            bounds = ("", "") if target == "th" else (r"(?<!\w)", r"(?!\w)")
            self._avoid[target] = [
                (re.compile(f"{bounds[0]}{re.escape(w)}{bounds[1]}", re.I), g) for w, g in rules
            ]
        for pattern, good in self._avoid[target]:
            text = pattern.sub(lambda m, g=good: _match_case(m.group(0), g), text)
        return text


def _match_case(original: str, replacement: str) -> str:
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def glossary_from_lexicon(lexicon: Lexicon) -> Glossary:
    return Glossary([Term(dict(e.glossary), dict(e.avoid)) for e in lexicon.entries if e.glossary])


@lru_cache
def load_glossary() -> Glossary:
    return glossary_from_lexicon(load_lexicon())
