"""Scenario: guidance of the form "if / when <situation>, <response>" framed as a situation
the reader is in, with the response among wrong ones."""

from __future__ import annotations

from quiz.constants import MAX_OPTION_CHARS
from quiz.distractors import choose
from quiz.kinds.common import BuildContext, ItemDraft
from quiz.phrasing import persona
from quiz.pool import Entry, fit_option
from quiz.text import cap_first, clean_display, word_count, words

_VAGUE_SUBJECTS = ("they ", "he ", "she ", "it ", "this ", "these ", "those ", "such ")
_UNCLEAR_RESPONSES = ("this ", "that ", "these ", "those ", "it ", "such ")
MIN_CONDITION_WORDS = 4  # "Where possible", "If in doubt" are not situations


_NOT_A_SUBJECT = words(
    "in at on possible necessary appropriate applicable needed required relevant available "
    "feasible so"
)
_BACK_REFERENCES = words("such this these those above said following below")


def _is_situation(condition: str) -> bool:
    """A clause with its own subject that reads without the sentences before it."""
    words = condition.lower().split()
    first = words[0]
    if first in _NOT_A_SUBJECT or first.endswith(("ed", "ing")):
        return False
    return not _BACK_REFERENCES & set(words)


def build(ctx: BuildContext, entry: Entry) -> ItemDraft | None:
    cond = entry.analysis.conditional
    if cond is None or cond.condition.lower().startswith(_VAGUE_SUBJECTS):
        return None
    if word_count(cond.condition) < MIN_CONDITION_WORDS or not _is_situation(cond.condition):
        return None
    response = cond.response
    if response.text.lower().startswith(_UNCLEAR_RESPONSES):
        return None
    answer = clean_display(response.text)
    if len(answer) > MAX_OPTION_CHARS or not fit_option(answer):
        return None
    name = ctx.name(entry)
    who = persona(entry.statement.doc_id)
    if cond.is_clause:
        situation = clean_display(cap_first(cond.condition))
        question = f"{who} {situation} What does {name} advise?"
    else:
        question = f"{who} {cond.lead} {cond.condition}, what does {name} advise?"
    same_form = [
        c
        for c in ctx.pool.wrong_actions
        if c.entry.directive and c.entry.directive.form == response.form
    ]
    wrong = choose(
        ctx.pool,
        entry,
        answer,
        same_form,
        ctx.rng,
        topic_text=cond.condition + " " + answer,
        used=ctx.used_distractors,
    )
    if wrong is None:
        return None
    return ItemDraft(
        kind="scenario",
        basis="situation",
        question=question,
        answer=answer,
        options=ctx.shuffled(answer, [c.text for c in wrong]),
        explanation=ctx.explain(entry, "advises"),
        source=entry,
        distractors=wrong,
    )
