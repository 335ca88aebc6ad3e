"""Multiple choice: what the handbook recommends, what it advises against, or which term it
defines. Wrong options are wrong by the handbooks' own words."""

from __future__ import annotations

import re

from quiz.constants import MAX_OPTION_CHARS
from quiz.distractors import choose
from quiz.kinds.common import BuildContext, ItemDraft
from quiz.phrasing import context_phrase
from quiz.pool import Candidate, Entry, fit_option
from quiz.text import cap_first, stems, word_count

_ARTICLE = re.compile(r"^(?:The|A|An)\s+")


def build(ctx: BuildContext, entry: Entry) -> ItemDraft | None:
    if entry.analysis.definition is not None:
        return _definition(ctx, entry)
    d = entry.directive
    if d is None or d.pronoun_subject:
        return None
    if d.form == "imperative":
        return _follows(ctx, entry) if d.polarity == "do" else _against(ctx, entry)
    # A declarative can be asked either way round.
    if ctx.rng.random() < 0.5:
        return _follows(ctx, entry) or _against(ctx, entry)
    return _against(ctx, entry) or _follows(ctx, entry)


def _fits(text: str | None) -> bool:
    return (
        text is not None
        and word_count(text) >= 4
        and len(text) <= MAX_OPTION_CHARS
        and fit_option(text)
    )


def _follows(ctx: BuildContext, entry: Entry) -> ItemDraft | None:
    """The statement as the handbook makes it, among statements that contradict it."""
    d = entry.directive
    if d is None or not _fits(d.text):
        return None
    where = context_phrase(entry.statement.chunk.section)
    name = ctx.name(entry)
    if d.form == "imperative":
        question = f"According to {name}, which of the following should you do{where}?"
    else:
        question = f"Which of the following statements follows the guidance of {name}{where}?"
    candidates = [c for c in ctx.pool.wrong_actions if _same_form(c, d.form)]
    wrong = choose(ctx.pool, entry, d.text, candidates, ctx.rng, used=ctx.used_distractors)
    if wrong is None:
        return None
    return ItemDraft(
        kind="mcq",
        basis="recommended",
        question=question,
        answer=d.text,
        options=ctx.shuffled(d.text, [c.text for c in wrong]),
        explanation=ctx.explain(entry, "says"),
        source=entry,
        distractors=wrong,
    )


def _against(ctx: BuildContext, entry: Entry) -> ItemDraft | None:
    """The statement reversed, among statements the handbooks make."""
    d = entry.directive
    if d is None:
        return None
    answer = d.negative if d.polarity == "do" else d.positive
    if answer is None or not _fits(answer):
        return None
    where = context_phrase(entry.statement.chunk.section)
    name = ctx.name(entry)
    if d.form == "imperative":
        question = f"According to {name}, which of the following should you NOT do{where}?"
    else:
        question = f"Which of the following statements goes against the guidance of {name}{where}?"
    candidates = [c for c in ctx.pool.right_actions if _same_form(c, d.form)]
    wrong = choose(ctx.pool, entry, answer, candidates, ctx.rng, used=ctx.used_distractors)
    if wrong is None:
        return None
    return ItemDraft(
        kind="mcq",
        basis="advised_against",
        question=question,
        answer=answer,
        options=ctx.shuffled(answer, [c.text for c in wrong]),
        explanation=ctx.explain(entry, "says the opposite"),
        source=entry,
        distractors=wrong,
    )


def _same_form(candidate: Candidate, form: str) -> bool:
    d = candidate.entry.directive
    return d is not None and d.form == form


def _term(text: str) -> str:
    return cap_first(_ARTICLE.sub("", text))


def _definition(ctx: BuildContext, entry: Entry) -> ItemDraft | None:
    definition = entry.analysis.definition
    if definition is None or len(definition.body) > 300:
        return None
    answer = _term(definition.term)
    answer_stems = stems(answer)
    body_lower = definition.body.lower()
    plural = definition.verb == "are"
    candidates = []
    for other in ctx.pool.definitions:
        od = other.analysis.definition
        if od is None or (od.verb == "are") != plural:
            continue
        term = _term(od.term)
        if stems(term) & answer_stems or term.lower() in body_lower:
            continue
        if _initials(term) == _initials(answer) or (od.abbr and od.abbr == definition.abbr):
            continue
        candidates.append(Candidate(term, other, flipped=False))
    wrong = choose(
        ctx.pool,
        entry,
        answer,
        candidates,
        ctx.rng,
        topic_text=definition.body,
        used=ctx.used_distractors,
    )
    if wrong is None:
        return None
    verb = {"means": "means", "refers to": "refers to"}.get(definition.verb, "is described as")
    if plural:
        verb = "are described as"
    question = f"According to {ctx.name(entry)}, which term {verb} “{definition.body}”?"
    return ItemDraft(
        kind="mcq",
        basis="definition",
        question=question,
        answer=answer,
        options=ctx.shuffled(answer, [c.text for c in wrong]),
        explanation=ctx.explain(entry, "defines it"),
        source=entry,
        distractors=wrong,
    )


def _initials(term: str) -> str:
    words = [w for w in re.split(r"[\s-]+", term) if w]
    if len(words) == 1:
        return words[0].rstrip("s").upper()
    return "".join(w[0] for w in words if w[0].isupper()).upper()
