"""Routing between backends, pivoting through English, caching, errors."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from translation.service import TranslationService
from translation.translator import FakeTranslator, MissingPackageError, TranslationError

ES_EN = {("es", "en"): {"niño": "child", "hola": "hello"}}
EN_FR = {("en", "fr"): {"child": "enfant", "hello": "bonjour"}}


class Counting(FakeTranslator):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.calls = 0

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        self.calls += 1
        return super().translate(texts, source, target)


class Broken(FakeTranslator):
    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        raise RuntimeError("segfault-ish")


def test_direct_and_pivot_routes() -> None:
    service = TranslationService([FakeTranslator(ES_EN, "a"), FakeTranslator(EN_FR, "b")])
    assert service.translate(["hola niño"], "en", "es") == ["hello child"]
    # No es→fr package: es→en with one backend, then en→fr with the other.
    assert service.translate(["hola niño"], "fr", "es") == ["bonjour enfant"]
    assert service.backend_for("es", "fr") == "a + b"
    assert service.can_translate("es", "fr")
    assert not service.can_translate("fr", "es")


def test_missing_pair_raises() -> None:
    service = TranslationService([FakeTranslator(ES_EN)])
    with pytest.raises(MissingPackageError):
        service.translate(["bonjour"], "en", "fr")


def test_first_backend_in_order_wins_and_results_are_cached() -> None:
    first, second = Counting(ES_EN, "first"), Counting(ES_EN, "second")
    service = TranslationService([first, second])
    service.translate(["hola", "", "hola"], "en", "es")
    service.translate(["hola"], "en", "es")
    assert (first.calls, second.calls) == (1, 0)


def test_backend_bugs_become_translation_errors() -> None:
    service = TranslationService([Broken(ES_EN)])
    with pytest.raises(TranslationError):
        service.translate(["hola"], "en", "es")


def test_languages_lists_backends_and_routes() -> None:
    info = TranslationService([FakeTranslator(ES_EN, "a"), FakeTranslator(EN_FR, "b")]).languages()
    assert [b["name"] for b in info["backends"]] == ["a", "b"]
    rows = {row["code"]: row for row in info["languages"]}
    assert rows["es"]["to_english"] == "a" and rows["es"]["from_english"] is None
    assert rows["fr"]["from_english"] == "b"
