"""Is an item's answer supported by its quote? The automatic check every drafted item passes
and the figure eval/quiz_quality.py reports.

The claim is rebuilt from the item's public fields alone (kind, basis, question, options,
answer, citation), not from how the item was built, so the check applies as well to items a
language model wrote:

- recommended (mcq): the correct option's content words all occur in the quote, and it is
  negated as often as the quote, modulo 2 (it says what the quote says).
- situation (scenario): the same, against the quote's response (after its "if / when" clause).
- advised_against (mcq): the same words, but with the opposite negation parity (the option is
  the quote reversed, and the question asks what goes against the guidance).
- definition (mcq): the quote contains the answer term, and the question's description.
- statement (true_false): the statement's content words occur in the quote (words naming the
  handbook and section aside); "True" exactly when its negation parity equals the quote's.
- term (fill_blank): the question's sentence with the answer put in the blank is the quote.
Wrong options must not be supported by the quote in the answer's direction (a second correct
answer), and the quote must be an exact substring of the cited passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quiz.constants import BLANK, FALSE, TRUE
from quiz.phrasing import TRUE_FALSE_PREFIX
from quiz.schemas import QuizItem
from quiz.text import negations, stems

MIN_COVERAGE = 0.9  # share of the claim's content words the quote must contain
SECOND_ANSWER = 0.8  # a wrong option this covered by the quote could be a second answer
_FRAME = stems("true false according following guidance")  # template words, no claims
_QUOTED = re.compile(r"“([^”]*)”")
_FRAME_CLAUSE = re.compile(r"^According to [^,]+, ")  # names the handbook, claims nothing
_LETTERS = re.compile(r"[^a-z]+")


@dataclass
class Support:
    ok: bool
    reasons: list[str] = field(default_factory=list)


def _close(word: str, pool: frozenset[str]) -> bool:
    """A stem matches another sharing its first five letters ("placing" / "place")."""
    if word in pool:
        return True
    head = word[:5]
    return len(head) >= 4 and any(
        o.startswith(head) or word.startswith(o[:5]) for o in pool if len(o) >= 4
    )


def coverage(claim: str, quote: str, allowed: frozenset[str] = frozenset()) -> float:
    words = stems(claim) - allowed
    if not words:
        return 0.0
    pool = stems(quote)
    return sum(_close(w, pool) for w in words) / len(words)


def _same_parity(a: str, b: str) -> bool:
    return negations(a) % 2 == negations(b) % 2


def _letters(text: str) -> str:
    return _LETTERS.sub("", text.lower())


def _context_words(item: QuizItem) -> frozenset[str]:
    c = item.citation
    return _FRAME | stems(c.title) | stems(c.section)


def check_support(item: QuizItem, passage_text: str | None = None) -> Support:
    reasons: list[str] = []
    quote = item.citation.quote
    if not quote.strip():
        return Support(False, ["the quote is empty"])
    if passage_text is not None and quote not in passage_text:
        reasons.append("the quote is not an exact substring of the cited passage")
    checker = _CHECKS.get(item.basis)
    if checker is None:
        reasons.append(f"unknown basis {item.basis!r}")
    else:
        reasons.extend(checker(item, quote))
    return Support(not reasons, reasons)


def _as_quoted(item: QuizItem, quote: str) -> list[str]:
    reasons = []
    if coverage(item.answer, quote) < MIN_COVERAGE:
        reasons.append("the answer has words the quote does not")
    if not _same_parity(item.answer, quote):
        reasons.append("the answer negates what the quote says")
    for option in item.options or []:
        if (
            option != item.answer
            and coverage(option, quote) >= SECOND_ANSWER
            and _same_parity(option, quote)
        ):
            reasons.append(f"a wrong option is supported by the quote: {option!r}")
    return reasons


def _situation(item: QuizItem, quote: str) -> list[str]:
    """As quoted, against the quote's response: what follows its "if / when ..." clause."""
    response = quote.split(",", 1)[1] if "," in quote else quote
    return _as_quoted(item, response)


def _reversed(item: QuizItem, quote: str) -> list[str]:
    reasons = []
    if coverage(item.answer, quote) < MIN_COVERAGE:
        reasons.append("the answer has words the quote does not")
    if _same_parity(item.answer, quote):
        reasons.append("the answer says what the quote says, not the opposite")
    for option in item.options or []:
        if (
            option != item.answer
            and coverage(option, quote) >= SECOND_ANSWER
            and not _same_parity(option, quote)
        ):
            reasons.append(f"a wrong option also reverses the quote: {option!r}")
    return reasons


def _definition(item: QuizItem, quote: str) -> list[str]:
    reasons = []
    if _letters(item.answer) not in _letters(quote):
        reasons.append("the quote does not contain the answer term")
    described = _QUOTED.findall(item.question)
    if not described or coverage(described[-1], quote) < MIN_COVERAGE:
        reasons.append("the question's description is not the quote's")
    for option in item.options or []:
        if option != item.answer and _letters(option) in _letters(quote):
            reasons.append(f"a wrong option is named in the quote: {option!r}")
    return reasons


def _statement(item: QuizItem, quote: str) -> list[str]:
    claim = _FRAME_CLAUSE.sub("", item.question.removeprefix(TRUE_FALSE_PREFIX))
    reasons = []
    if coverage(claim, quote, _context_words(item)) < MIN_COVERAGE:
        reasons.append("the statement has words the quote does not")
    if item.answer not in (TRUE, FALSE):
        reasons.append("the answer is neither True nor False")
    elif (item.answer == TRUE) != _same_parity(claim, quote):
        reasons.append("the answer does not follow from the quote's negation")
    return reasons


def _term(item: QuizItem, quote: str) -> list[str]:
    quoted = _QUOTED.findall(item.question)
    sentence = next((q for q in quoted if BLANK in q), None)
    if sentence is None:
        return ["the question has no quoted sentence with a blank"]
    filled = sentence.replace(BLANK, item.answer, 1)
    if _letters(filled) not in _letters(quote):
        return ["the sentence with the answer filled in is not the quote"]
    return []


_CHECKS = {
    "recommended": _as_quoted,
    "situation": _situation,
    "advised_against": _reversed,
    "definition": _definition,
    "statement": _statement,
    "term": _term,
}
