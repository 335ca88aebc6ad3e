"""Fill in the blank: a guidance sentence or definition with one key term taken out."""

from __future__ import annotations

from quiz.constants import BLANK
from quiz.kinds.common import BuildContext, ItemDraft
from quiz.lexicon import spelling_variants
from quiz.pool import Entry, fit_option
from quiz.text import stems, word_count

MIN_WORDS, MAX_WORDS = 8, 45
MIN_PRIORITY = 1.4  # seed terms score 3+, corpus phrases 1 to 2 by how often they recur
_PRONOUN_STARTS = ("it ", "this ", "they ", "these ", "those ", "he ", "she ", "that ", "such ")


def build(ctx: BuildContext, entry: Entry) -> ItemDraft | None:
    a = entry.analysis
    statement = entry.statement
    if not (a.directive or a.definition or statement.item_first):
        return None
    text = a.text
    if not fit_option(text):
        return None
    if not MIN_WORDS <= word_count(text) <= MAX_WORDS or text.lower().startswith(_PRONOUN_STARTS):
        return None
    terms = [
        t
        for t in ctx.pool.lexicon.find_terms(text)
        if ctx.pool.lexicon.priority(t.term) >= MIN_PRIORITY
    ]
    if not terms:
        return None
    best = terms[0].term.lower()
    top = [t for t in terms if ctx.pool.lexicon.priority(t.term) == ctx.pool.lexicon.priority(best)]
    match = top[ctx.rng.randrange(len(top))]
    blanked = text[: match.start] + BLANK + text[match.end :]
    if len(stems(blanked)) < 5:
        return None
    answer = match.term
    accept = [v for v in spelling_variants(answer) if v != answer]
    if answer[:1].isupper() and answer[1:2].islower():
        accept.append(answer.lower())
    return ItemDraft(
        kind="fill_blank",
        basis="term",
        question=f"Complete this statement from {ctx.name(entry)}: “{blanked}”",
        answer=answer,
        accept=list(dict.fromkeys(accept)),
        explanation=ctx.explain(entry, "says"),
        source=entry,
    )
