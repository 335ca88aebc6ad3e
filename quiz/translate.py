"""Items in the trainer's language: a Translator plugs in here when one is installed.

None is installed yet, so a quiz asked for in another language comes back in English with a
note. A translator changes the item's wording only; the citation's quote always stays the
handbook's own text (an export shows it beside the translated explanation).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

from quiz.schemas import QuizItem

SOURCE_LANG = "en"
log = logging.getLogger("haven.quiz")


class Translator(Protocol):
    @property
    def name(self) -> str: ...

    def supports(self, lang: str) -> bool: ...

    def translate(self, texts: Sequence[str], target: str) -> list[str]: ...


def base_lang(lang: str | None) -> str:
    return (lang or SOURCE_LANG).replace("_", "-").split("-")[0].lower()


def localise(
    items: list[QuizItem], lang: str | None, translator: Translator | None
) -> tuple[list[QuizItem], str, list[str]]:
    """(items, language they are in, notes)."""
    target = base_lang(lang)
    if target == SOURCE_LANG:
        return items, SOURCE_LANG, []
    if translator is None or not translator.supports(target):
        note = (
            f"Translation into “{lang}” is not available on this installation yet; "
            "the items are in English."
        )
        return items, SOURCE_LANG, [note]
    try:
        return [_translated(item, target, translator) for item in items], target, []
    except Exception as exc:  # a backend crashed or lacks a package: English rather than nothing
        log.warning("quiz translation into %s failed: %s", target, type(exc).__name__)
        note = f"Translation into “{lang}” failed; the items are in English."
        return items, SOURCE_LANG, [note]


def _translated(item: QuizItem, target: str, translator: Translator) -> QuizItem:
    options = item.options or []
    texts = [item.question, item.answer, item.explanation, *options]
    out = translator.translate(texts, target)
    question, answer, explanation, *new_options = out
    if item.kind == "true_false":
        answer = item.answer  # True / False stay machine-readable
    return item.model_copy(
        update={
            "question": question,
            "answer": answer,
            "explanation": explanation,
            "options": new_options or None,
        }
    )
