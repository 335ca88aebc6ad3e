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
from collections.abc import Callable
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
    slots: list[tuple[int, int, bool]]  # (term, form within the term, match began upper-case)


class Glossary:
    def __init__(self, terms: list[Term]) -> None:
        self.terms = terms
        self._source: dict[str, list[tuple[re.Pattern[str], int, int]]] = {}
        self._avoid: dict[str, list[tuple[re.Pattern[str], str]]] = {}

    def languages(self) -> set[str]:
        return {lang for term in self.terms for lang in term.forms}

    def preferred(self, index: int, lang: str, form: int = 0) -> str | None:
        """The rendering of a term in `lang`. Form lists run parallel where they can (the
        n-th English form is rendered by the n-th Spanish one); otherwise the first."""
        forms = self.terms[index].forms.get(lang)
        if not forms:
            return None
        return forms[form] if form < len(forms) else forms[0]

    def _source_patterns(self, lang: str) -> list[tuple[re.Pattern[str], int, int]]:
        """One pattern per (term, form) in `lang`, so overlapping terms can be weighed."""
        if lang not in self._source:
            seen: set[str] = set()
            patterns = []
            bounds = ("", "") if lang == "th" else (r"(?<!\w)", r"(?!\w)")
            for i, term in enumerate(self.terms):
                for n, form in enumerate(term.forms.get(lang, ())):
                    key = _plain(form).lower()
                    if key in seen:
                        continue
                    seen.add(key)
                    body = re.escape(_plain(form))
                    patterns.append((re.compile(bounds[0] + body + bounds[1], re.I), i, n))
            self._source[lang] = patterns
        return self._source[lang]

    def protect(self, text: str, source: str, target: str) -> Protected:
        """Replace the source's glossary terms that have a target rendering with tokens.
        Where terms overlap the longest wins ("traite des êtres humains" over "victime de
        la traite" in "victime de la traite des êtres humains")."""
        text = _plain(text)
        found = [
            (m.start(), m.end(), index, form)
            for pattern, index, form in self._source_patterns(source)
            if self.preferred(index, target) is not None
            for m in pattern.finditer(text)
        ]
        chosen: list[tuple[int, int, int, int]] = []
        for span in sorted(found, key=lambda f: (-(f[1] - f[0]), f[0])):
            if all(span[1] <= c[0] or span[0] >= c[1] for c in chosen):
                chosen.append(span)
        slots: list[tuple[int, int, bool]] = []
        out, last = [], 0
        for start, end, index, form in sorted(chosen):
            out.append(text[last:start])
            out.append(f"Qz{len(slots)}x")
            slots.append((index, form, text[start : start + 1].isupper()))
            last = end
        out.append(text[last:])
        return Protected("".join(out), slots)

    def restore(self, text: str, protected: Protected, target: str) -> str:
        """Put the target's preferred terms where the tokens came back."""

        def swap(match: re.Match[str]) -> str:
            n = int(match.group(1))
            if n >= len(protected.slots):
                return match.group(0)
            index, form, capital = protected.slots[n]
            term = self.preferred(index, target, form) or match.group(0)
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
            text = pattern.sub(_replacer(good), text)
        return text


def _plain(text: str) -> str:
    """Typographic apostrophes as plain ones, so d’orientation and d'orientation match."""
    return text.replace("\u2019", "'")


def _replacer(good: str) -> Callable[[re.Match[str]], str]:
    return lambda match: _match_case(match.group(0), good)


def _match_case(original: str, replacement: str) -> str:
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def glossary_from_lexicon(lexicon: Lexicon) -> Glossary:
    return Glossary([Term(dict(e.glossary), dict(e.avoid)) for e in lexicon.entries if e.glossary])


@lru_cache
def load_glossary() -> Glossary:
    return glossary_from_lexicon(load_lexicon())
