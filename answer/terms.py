"""Term statistics over the indexed chunks, for weighing a question's words (rarer = stronger)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from index.keywords import STOPWORDS

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def stem(word: str) -> str:
    """A light English stemmer: enough to meet 'children'/'child', 'victims'/'victim'."""
    w = word.lower()
    if w in ("children", "childhood"):
        return "child"
    for suffix, repl in (
        ("ies", "y"),
        ("sses", "ss"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            return w[: -len(suffix)] + repl
    return w


def content_stems(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS and len(w) > 1]


@lru_cache(maxsize=32768)
def unit_stems(text: str) -> frozenset[str]:
    """The content stems of a passage sentence, remembered (see answer.units.passage_units)."""
    return frozenset(content_stems(text))


class TermStats:
    """Inverse document frequency over chunks, computed once when the service starts."""

    def __init__(self, texts: Iterable[str]) -> None:
        df: Counter[str] = Counter()
        n = 0
        for text in texts:
            n += 1
            df.update(set(content_stems(text)))
        self._df = df
        self._n = max(n, 1)

    def idf(self, term: str) -> float:
        return math.log(1 + (self._n - self._df.get(term, 0) + 0.5) / (self._df.get(term, 0) + 0.5))

    def known(self, term: str) -> bool:
        return term in self._df

    @property
    def size(self) -> int:
        return self._n
