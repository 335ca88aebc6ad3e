"""Items in the trainer's language, when a translation backend covers it.

A translator changes the item's wording only; the citation's quote always stays the handbook's
own text (an export shows it beside the translated explanation).
"""

from __future__ import annotations

from quiz.schemas import QuizItem
from translation.languages import SOURCE_LANG, language_code
from translation.policy import from_english
from translation.service import TranslationService


def localise_items(
    items: list[QuizItem], lang: str | None, translator: TranslationService | None
) -> tuple[list[QuizItem], str, list[str]]:
    """(items, language they are in, notes), by the policy answers follow too
    (translation.policy)."""
    target = language_code(lang) or SOURCE_LANG
    texts = [text for item in items for text in _texts(item)]
    rendering = from_english(texts, target, translator)
    if rendering.outcome == "no-backend":
        note = (
            f"Translation into “{lang}” is not available on this installation yet; "
            "the items are in English."
        )
        return items, SOURCE_LANG, [note]
    if rendering.outcome == "failed":
        return items, SOURCE_LANG, [f"Translation into “{lang}” failed; the items are in English."]
    if rendering.outcome == "english":
        return items, SOURCE_LANG, []
    out = iter(rendering.texts)
    return [_translated(item, [next(out) for _ in _texts(item)]) for item in items], target, []


def _texts(item: QuizItem) -> list[str]:
    return [item.question, item.answer, item.explanation, *(item.options or [])]


def _translated(item: QuizItem, out: list[str]) -> QuizItem:
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
