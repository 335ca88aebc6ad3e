"""True or false: a should / should-not statement as the handbook makes it, or reversed by one
careful negation (only where the sentence has no hedge or other negation to trip over)."""

from __future__ import annotations

from quiz.analysis import Polarity
from quiz.constants import FALSE, TRUE
from quiz.kinds.common import BuildContext, ItemDraft
from quiz.phrasing import TRUE_FALSE_PREFIX, time_clause
from quiz.pool import Entry, fit_option
from quiz.text import clean_display, lower_first, word_count

MAX_WORDS = 45


def build(ctx: BuildContext, entry: Entry) -> ItemDraft | None:
    d = entry.directive
    if d is None or d.pronoun_subject or word_count(d.text) > MAX_WORDS or not fit_option(d.text):
        return None
    opposite: Polarity = "dont" if d.polarity == "do" else "do"
    want_true = ctx.rng.random() < 0.5
    claim = d.as_you(d.polarity if want_true else opposite)
    truth = want_true
    if claim is None:
        truth = not want_true
        claim = d.as_you(d.polarity if truth else opposite)
    if claim is None:
        return None
    when = time_clause(entry.statement.chunk.section)
    when = f", {when}" if when and d.form == "imperative" else ""
    statement = clean_display(f"According to {ctx.name(entry)}{when}, {lower_first(claim)}")
    says = "says" if truth else "says the opposite"
    return ItemDraft(
        kind="true_false",
        basis="statement",
        question=TRUE_FALSE_PREFIX + statement,
        answer=TRUE if truth else FALSE,
        explanation=f"{TRUE if truth else FALSE}. " + ctx.explain(entry, says),
        source=entry,
    )
