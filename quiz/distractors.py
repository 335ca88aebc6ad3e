"""Choosing wrong options: related to the item's topic, different from the answer and from
each other, never from the answer's own section (a sibling list item would be a second correct
answer), and wrong by the handbooks' own words.

Options also share the answer's surface: when the answer has no "not" in it, two of the three
wrong options have none either, so the odd one out is never the answer by its form alone."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

from quiz.constants import DISTRACTORS, MAX_OPTION_CHARS
from quiz.pool import Candidate, Entry, StatementPool
from quiz.text import jaccard, key, negations, word_count

TOO_CLOSE = 0.5  # stem overlap at which two options read as the same
SHORTLIST = 8  # the most related candidates a choice is drawn from
SAME_SURFACE = 2  # wrong options that look like the answer (negated or not)
REUSE_PENALTY = 0.25  # per earlier use in the same quiz: spreads wrong options across items


def _length_fit(answer: str, text: str) -> float:
    a, t = max(word_count(answer), 1), max(word_count(text), 1)
    ratio = max(a, t) / min(a, t)
    return 0.0 if ratio <= 1.6 else min(1.0, (ratio - 1.6) / 2)


def _ranked(
    pool: StatementPool,
    source: Entry,
    answer: str,
    candidates: Sequence[Candidate],
    topic_text: str,
    used: Counter[str],
) -> list[Candidate]:
    answer_key = key(answer)
    similarity = pool.similarities(source, [c.entry for c in candidates])
    scored: list[tuple[float, int, Candidate]] = []
    for i, c in enumerate(candidates):
        if c.entry.statement.group == source.statement.group:
            continue
        if len(c.text) > MAX_OPTION_CHARS or key(c.text) == answer_key:
            continue
        if jaccard(c.text, answer) >= TOO_CLOSE:
            continue
        related = float(similarity[i]) + 0.5 * jaccard(c.text, topic_text or answer)
        penalty = 0.3 * _length_fit(answer, c.text) + REUSE_PENALTY * used[c.text]
        scored.append((related - penalty, i, c))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [c for _, _, c in scored]


def _distinct(c: Candidate, chosen: list[Candidate]) -> bool:
    return all(key(c.text) != key(o.text) and jaccard(c.text, o.text) < TOO_CLOSE for o in chosen)


def choose(
    pool: StatementPool,
    source: Entry,
    answer: str,
    candidates: Sequence[Candidate],
    rng: random.Random,
    topic_text: str = "",
    k: int = DISTRACTORS,
    used: Counter[str] | None = None,
) -> list[Candidate] | None:
    """k wrong options for the answer drawn from `source`, or None when too few qualify.
    `used` counts wrong options already given in this quiz; they rank lower, and the chosen
    ones are added to it."""
    used = used if used is not None else Counter()
    ranked = _ranked(pool, source, answer, candidates, topic_text, used)
    negated = negations(answer) > 0
    same = [c for c in ranked if (negations(c.text) > 0) == negated][:SHORTLIST]
    rest = [c for c in ranked if c not in same][: SHORTLIST * 2]
    rng.shuffle(same)
    head, tail = rest[:SHORTLIST], rest[SHORTLIST:]
    rng.shuffle(head)
    chosen: list[Candidate] = []
    for group, limit in ((same, min(SAME_SURFACE, k)), (head + tail + same, k)):
        for c in group:
            if len(chosen) >= limit:
                break
            if c not in chosen and _distinct(c, chosen):
                chosen.append(c)
    if len(chosen) < k:
        return None
    used.update(c.text for c in chosen)
    return chosen
