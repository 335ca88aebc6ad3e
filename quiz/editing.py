"""A trainer's edits: applied field by field, then the item's shape is checked again. The
citation is never edited; it stays the passage the item was drafted from."""

from __future__ import annotations

from collections.abc import Sequence

from quiz.checks import shape_problems
from quiz.constants import FALSE, TRUE
from quiz.schemas import ItemEdit, ItemEditWithId, QuizItem


class EditError(ValueError):
    """The edit would leave an item no quiz tool could use."""


def _clean(text: str) -> str:
    """Options and answers are one line."""
    return " ".join(text.split())


def apply_edit(item: QuizItem, edit: ItemEdit) -> QuizItem:
    changes: dict[str, object] = {}
    if edit.question is not None:
        changes["question"] = edit.question.strip()
    if edit.options is not None:
        changes["options"] = [_clean(o) for o in edit.options]
    if edit.answer is not None:
        answer = _clean(edit.answer)
        if item.kind == "true_false" and answer.lower() in ("true", "false"):
            answer = TRUE if answer.lower() == "true" else FALSE
        changes["answer"] = answer
    if edit.accept is not None:
        changes["accept"] = [_clean(a) for a in edit.accept if a.strip()]
    if edit.explanation is not None:
        changes["explanation"] = edit.explanation.strip()
    if item.kind in ("true_false", "fill_blank") and changes.get("options"):
        raise EditError(f"{item.id}: a {item.kind} item has no options")
    updated = item.model_copy(update=changes)
    if any(getattr(item, k) != v for k, v in changes.items()):
        updated = updated.model_copy(update={"edited": True})
    problems = shape_problems(updated)
    if problems:
        raise EditError(f"{item.id}: " + "; ".join(problems))
    return updated


def apply_list(items: Sequence[QuizItem], edits: Sequence[ItemEditWithId]) -> list[QuizItem]:
    """The quiz's new item list: the listed items in the listed order, each with its edits."""
    by_id = {item.id: item for item in items}
    seen: set[str] = set()
    out = []
    for edit in edits:
        if edit.id in seen:
            raise EditError(f"{edit.id}: listed twice")
        seen.add(edit.id)
        if edit.id not in by_id:
            raise EditError(f"{edit.id}: no such item in this quiz (new items cannot be added)")
        out.append(apply_edit(by_id[edit.id], edit))
    return out
