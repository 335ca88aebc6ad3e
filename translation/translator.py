"""The narrow interface every translation backend meets, its errors, and a fake for tests."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Protocol

Pair = tuple[str, str]  # (source, target), ISO 639-1


class TranslationError(Exception):
    """A backend failed to translate (crashed, timed out, bad package)."""


class MissingPackageError(TranslationError):
    """No installed backend or package translates between these two languages."""

    def __init__(self, source: str, target: str, detail: str = "") -> None:
        self.source = source
        self.target = target
        message = f"no translation installed for {source} → {target}"
        super().__init__(f"{message}: {detail}" if detail else message)


class Translator(Protocol):
    """One backend. `pairs()` lists the direct pairs it has; pivoting is the service's job."""

    @property
    def name(self) -> str: ...

    @property
    def keeps_placeholders(self) -> bool:
        """True when opaque tokens such as `Zq1x` pass through untouched (rule-based systems);
        the glossary then protects its terms with them."""
        ...

    def pairs(self) -> set[Pair]: ...

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """One output per input, in order. Raises MissingPackageError for an unknown pair."""
        ...


class FakeTranslator:
    """Deterministic word-for-word substitution for tests: no model, no process."""

    def __init__(
        self,
        words: Mapping[Pair, Mapping[str, str]],
        name: str = "fake",
        keeps_placeholders: bool = True,
    ) -> None:
        self._words = {pair: dict(table) for pair, table in words.items()}
        self._name = name
        self._keeps = keeps_placeholders

    @property
    def name(self) -> str:
        return self._name

    @property
    def keeps_placeholders(self) -> bool:
        return self._keeps

    def pairs(self) -> set[Pair]:
        return set(self._words)

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        table = self._words.get((source, target))
        if table is None:
            raise MissingPackageError(source, target)
        if not table:
            return list(texts)
        lowered = {k.lower(): v for k, v in table.items()}
        alternatives = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
        pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
        return [pattern.sub(lambda m: lowered[m.group(0).lower()], text) for text in texts]
