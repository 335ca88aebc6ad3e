"""What kind of answer a question wants, read from how its asking sentence is put.

The kind decides the answer's shape (answer.composer): steps for what-to-do questions, the
handbook's direct answer first for yes/no questions, the definition first for "what is", the
indicators as a list for "what are the signs", the referral for "who do I call". Rules read
English (the question itself, or its English basis for other languages) and only the asking
sentence, so a situation told before it ("We found a boy in a truck. What do we do?") does not
change the kind.
"""

from __future__ import annotations

import re
from enum import StrEnum

from answer.answerability import asking_part


class QuestionKind(StrEnum):
    STEPS = "steps"
    YES_NO = "yes_no"
    DEFINITION = "definition"
    SIGNS = "signs"
    REFERRAL = "referral"
    GENERAL = "general"


_SIGNS = re.compile(
    r"\b(signs?|indicators?|red flags?|warning signs?|how (?:can|do|would|could|should) "
    r"(?:i|we|you|one|a \w+) (?:tell|know|recogni[sz]e|identify|spot|detect)|"
    r"what (?:should|do) (?:i|we) (?:look|watch) (?:out )?for)\b",
    re.IGNORECASE,
)
_REFERRAL = re.compile(
    r"\b(who (?:do|should|can|must|could) (?:i|we|you)\s+(?:call|contact|refer|report|alert|"
    r"inform|notify|ring|tell|turn to|hand)|who (?:is|are) responsible|where (?:do|should|can) "
    r"(?:i|we|you) (?:refer|report|send|take|turn)|(?:which|what) (?:agency|authority|service|"
    r"organi[sz]ation|body|office)s? (?:do|should|can|must|is|are)\b.*\b(?:refer|contact|call|"
    r"report|responsible)|to whom)",
    re.IGNORECASE,
)
_STEPS = re.compile(
    r"\b(what (?:do|should|must|can|could|would) (?:i|we|you|officers?|staff|one)\s+(?:\w+\s+)?"
    r"(?:do|say|tell|ask|check|prepare|consider)|what (?:should|must|can) (?:an? |the )?"
    r"\w+(?: \w+)? do\b|how should\b|what (?:are|is) the (?:first |next )?(?:steps?|"
    r"actions?|procedures?|measures?)|what (?:steps|actions|measures|precautions)|how (?:do|should|"
    r"can|must|could|would) (?:i|we|you|one|officers?|staff)\b|what happens next|first thing|"
    r"what to do|steps? (?:to|should)|best practice|what should happen)",
    re.IGNORECASE,
)
_DEFINITION = re.compile(
    r"^\s*(?:so,?\s+)?(?:what(?:'s| is| are| does)|define|definition of|meaning of|what do "
    r"(?:you|they|we|the handbooks?) mean by)\b(?!.*\b(?:difference|differ|role|roles|"
    r"responsibilit|steps?|signs?|indicators?|rights?|options?|benefits?|risks?|purpose|"
    r"measures?|consequences?|best|main|key|types?|forms?|kinds?|factors?|principles?|stages?)\b)",
    re.IGNORECASE,
)
_DEFINITION_TAIL = re.compile(r"\b(?:mean|stand for|refer to)\s*\??\s*$", re.IGNORECASE)
_YES_NO = re.compile(
    r"^\s*(?:(?:and|but|so|ok|okay|then),?\s+)?(?:can|could|may|might|must|should|shall|is|are|"
    r"was|were|do|does|did|will|would|has|have|had|am|isn't|aren't|don't|doesn't|can't|"
    r"shouldn't)\b",
    re.IGNORECASE,
)


def question_kind(question: str) -> QuestionKind:
    """The kind of answer the question's asking sentence wants (GENERAL when none fits)."""
    ask = split_situation(question)[1]
    # The last asking sentence says what is wanted ("I'm new here. Can you help? What do I
    # do first?"); a situation before it ("…shows signs of injury — what do I do?") does not.
    sentences = [s for s in re.split(r"(?<=[?.!])\s+", ask) if s.strip()]
    last = sentences[-1] if sentences else ask
    if _SIGNS.search(last):
        return QuestionKind.SIGNS
    if _REFERRAL.search(last):
        return QuestionKind.REFERRAL
    if _STEPS.search(last):
        return QuestionKind.STEPS
    if _YES_NO.match(last):
        return QuestionKind.YES_NO
    if _DEFINITION.match(last) or _DEFINITION_TAIL.search(last):
        return QuestionKind.DEFINITION
    return QuestionKind.GENERAL


# Within one sentence, the situation ends where the asking clause starts:
# "I found a 15-year-old hidden in a truck — what do I do first?"
_ASK_CLAUSE = re.compile(
    r"(?:\s[—–-]\s|[;:,]\s+)(?=(?:so\s+|and\s+|but\s+)?(?:what|how|who|whom|where|when|which|why|"
    r"can|could|may|must|should|do|does|is|are|will|would)\b)",
    re.IGNORECASE,
)


def split_situation(question: str) -> tuple[str, str]:
    """(situation, ask): the situation told before the asking clause, and the ask itself.
    The situation is empty when the question is all ask."""
    ask = asking_part(question).strip()
    situation = question.strip()[: max(question.strip().find(ask), 0)].strip()
    clauses = _ASK_CLAUSE.split(ask)
    if len(clauses) > 1:
        situation = f"{situation} {' '.join(clauses[:-1])}".strip()
        ask = clauses[-1].strip()
    return situation, ask
