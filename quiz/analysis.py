"""What a statement says, as far as a quiz needs: a directive (do / do not), a situation with
its response (if ..., then ...), or a definition (X is ...). Rules over the sentence's surface;
anything they cannot read confidently is left neutral and not used."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from quiz.lexicon import CorpusTerms
from quiz.text import (
    cap_first,
    clean_display,
    lower_first,
    negations,
    strip_end,
    word_count,
    words,
)

Polarity = Literal["do", "dont"]
Form = Literal["imperative", "declarative"]

_MODAL = r"(?:should|must|shall)"
_PRONOUNS = words("it this that these those they he she we such its their his her")
_HEDGES = re.compile(
    r"\b(?:unless|except|until|only|otherwise|neither|nor|rather than|but|however|although|"
    r"though|whereas|instead)\b",
    re.I,
)
# Verbs whose negation reads as nonsense ("Do not remember that ...").
_NO_NEGATION_VERBS = words(
    "remember note recall recognise recognize understand be bear try keep consider"
)
_NEG_IMPERATIVE = re.compile(
    r"^(?:Do not|Don[’']t|Never|You (?:should|must) (?:not|never))\s+(?=[a-z])"
)
_TRY_NOT = re.compile(r"^Try not to\s+(?=[a-z])")
_AVOID = re.compile(r"^Avoid\s+([a-z]+ing)\b")
_YOU_SHOULD = re.compile(rf"^You {_MODAL}\s+(?:always\s+)?(?:try to\s+)?(?=[a-z])")
_SUBJECT_MODAL = re.compile(
    rf"^(?P<subj>[A-Z][^,;:]{{2,90}}?)\s+(?P<modal>{_MODAL})\s+(?:(?P<neg>not|never)\s+)?(?P<rest>[a-z].*)$"
)
_CONDITION = re.compile(
    r"^(?P<lead>If|When|Whenever|Where|In cases? where|In the event that|Once|After|Before|"
    r"During|Following|On)\s+(?P<cond>[^,;:]{6,200}?),\s+(?:then\s+)?(?P<main>[a-zA-Z].{10,})$"
)
_CLAUSE_LEADS = frozenset(
    {"If", "When", "Whenever", "Where", "In case where", "In cases where", "In the event that"}
)
_DEFINITION = re.compile(
    r"^(?P<term>[A-Z][\w’'/-]*(?: [\w’'/-]+){0,5}?)(?: \((?P<abbr>[A-Z][A-Za-z]{1,9})\))?"
    r" (?P<verb>is|are|means|refers to|is defined as|can be defined as|is understood as)"
    r" (?P<body>(?:a|an|the|any|one|all|those|when|where)\b.{15,})$"
)
_NOT_TERMS = re.compile(
    r"^(?:It|This|That|There|These|Those|They|He|She|Such|Each|Every|Its|Their|Our|Your|One|"
    r"Another|Most|Many|Some|All|What|Which|Here|Why|How|The aim|The purpose|The goal|The key|"
    r"The first|The second|The main|The following|The same|The best|The result|The term|In|If|"
    r"When|Where|As|For|At|On|By|To|With|Without|Under|After|Before|During|Once|Whether|"
    r"Therefore|However|Thus|Moreover|Furthermore|Also|Yet|But|And|Or|So|Among|Within|From|"
    r"Of|Into|Through|Between|Against|Including|Other|Another|Both|Either|Neither)\b"
)
_NOT_SUBJECTS = words(
    "you we there while whilst although though since because as if when where once unless "
    "whether however therefore thus moreover furthermore and but or so yet"
)
_TERM_STOPS = words(
    "where there if who which that when what whether to is are be below above following table "
    "figure box chart list diagram"
)
_DOCUMENT_WORDS = re.compile(r"\b(?:Guide|Handbook|handbook|guide|chapter|section|Annex|Part)\b")
# Words a sentence cannot end on: the chunk cut it off.
_DANGLING = words("that the a an to of and or for with by as in on at from which who whose such")
_FUNCTION_WORDS = words(
    "the a an to their them him her his it its any all each this that with for of in on at from by "
    "about into"
)
_RELATIVES = words("which who whom whose that where")
_AUX = words("should must shall is are was were can may will has have had could would")
# After a first word that is also a noun ("Access to ...", "Support for ..."), a preposition
# says the sentence is not an imperative; verbs that take one are listed.
_NOUN_NEXT = words("to of for and or in on with by as from at")
_PREP_VERBS = words("listen refer respond attend talk speak explain pay adapt reach turn go")
_ADVERB_NEXT = re.compile(
    r"^(?:also|always|only|further|therefore|ideally|preferably|first|then)\b"
)


@dataclass(frozen=True)
class Directive:
    """Guidance to do or not to do something. `positive` states the action as something to do,
    `negative` as something not to do; one of them is `text` itself, the other a careful
    rewrite, or None when the sentence has hedges or other negations that make a rewrite
    unsafe."""

    polarity: Polarity
    form: Form
    text: str
    positive: str | None
    negative: str | None
    pronoun_subject: bool = False

    def as_you(self, polarity: Polarity) -> str | None:
        """The directive as a "you should (not) ..." clause (imperatives) or a declarative
        sentence, stated with the given polarity; None when that statement cannot be made."""
        body = self.positive if polarity == "do" else self.negative
        if body is None:
            return None
        if self.form == "declarative":
            return body
        if self.positive is None:
            return None
        verb = "should" if polarity == "do" else "should not"
        return f"you {verb} {lower_first(self.positive)}"


@dataclass(frozen=True)
class Conditional:
    lead: str
    condition: str
    response: Directive
    is_clause: bool  # "If the child is ..." (a clause) rather than "After first contact ..."


@dataclass(frozen=True)
class Definition:
    term: str
    abbr: str | None
    verb: str
    body: str


@dataclass(frozen=True)
class Analysis:
    text: str
    directive: Directive | None = None
    conditional: Conditional | None = None
    definition: Definition | None = None


def analyse(raw: str, lexicon: CorpusTerms) -> Analysis:
    text = clean_display(raw)
    if not text or text[0].islower() or raw.rstrip().endswith(":") or word_count(text) < 4:
        return Analysis(text)
    if strip_end(text).rsplit(" ", 1)[-1].lower() in _DANGLING:
        return Analysis(text)  # a fragment: "... to ensure that."
    # A line without a full stop may be a label in a form ("Lead agency or decision maker"):
    # as an imperative it must read like a clause, with a function word after the verb.
    strict = (
        not raw.rstrip().endswith((".", "!", "?", ";", ",", ":"))
        and not raw.rstrip()[-1:].isdigit()
    )
    found = directive(text, lexicon)
    if (
        strict
        and found is not None
        and found.form == "imperative"
        and not _FUNCTION_WORDS & set(text.lower().rstrip(".").split()[1:])
    ):
        found = None
    return Analysis(
        text,
        directive=found,
        conditional=conditional(text, lexicon),
        definition=definition(text, lexicon),
    )


def _careful(text: str) -> bool:
    """A sentence whose meaning one negation reverses: no other negation, no hedges."""
    return not _HEDGES.search(text) and negations(text) == 0 and word_count(text) <= 40


def _first_word(text: str) -> str:
    return text.split(" ", 1)[0].strip(",.;:")


def directive(text: str, lexicon: CorpusTerms) -> Directive | None:
    if (m := _NEG_IMPERATIVE.match(text)) or (m := _TRY_NOT.match(text)):
        rest = text[m.end() :]
        if not lexicon.is_verb(_first_word(rest)):
            return None
        positive = cap_first(rest) if _careful(rest) else None
        return Directive("dont", "imperative", text, positive, text)
    if m := _AVOID.match(text):
        base = lexicon.base_of_gerund(m.group(1))
        if base is None:
            return None
        rest = _GERUND_AFTER_CONJUNCTION.sub(lambda g: _base_or_same(g, lexicon), text[m.end() :])
        return Directive(
            "dont", "imperative", text, cap_first(base) + rest if _careful(rest) else None, text
        )
    if m := _YOU_SHOULD.match(text):
        rest = cap_first(text[m.end() :])
        if not lexicon.is_verb(_first_word(rest)):
            return None
        verb = _first_word(rest).lower()
        careful = _careful(rest) and verb not in _NO_NEGATION_VERBS
        negative = f"Do not {lower_first(rest)}" if careful else None
        return Directive("do", "imperative", rest, rest, negative)
    first = _first_word(text)
    second = _first_word(text[len(first) :].strip()).lower()
    negatable = _careful(text) and first.lower() not in _NO_NEGATION_VERBS
    if (
        lexicon.is_verb(first)
        and second not in _AUX
        and (second not in _NOUN_NEXT or first.lower() in _PREP_VERBS)
        and word_count(text) >= 4
        and not (first.endswith("s") and not first.endswith("ss"))
        and first.lower() not in ("be", "have")
    ):
        negative = f"Do not {lower_first(text)}" if negatable else None
        return Directive("do", "imperative", text, text, negative)
    return _modal_directive(text)


_GERUND_AFTER_CONJUNCTION = re.compile(r"\b(or|and)\s+([a-z]+ing)\b")


def _base_or_same(m: re.Match[str], lexicon: CorpusTerms) -> str:
    base = lexicon.base_of_gerund(m.group(2))
    return f"{m.group(1)} {base}" if base else m.group(0)


def _modal_directive(text: str) -> Directive | None:
    m = _SUBJECT_MODAL.match(text)
    if m is None or word_count(m.group("subj")) > 12:
        return None
    subj, modal, rest = m.group("subj"), m.group("modal"), m.group("rest")
    pronoun = subj.split(" ", 1)[0].lower() in _PRONOUNS
    first = subj.split(" ", 1)[0].lower()
    if first in _NOT_SUBJECTS or re.search(rf"\b{_MODAL}\b", rest):
        return None
    if re.search(r"\bthat\b", subj) or subj.rsplit(" ", 1)[-1].lower() in _RELATIVES:
        return None
    if m.group("neg"):
        positive = f"{subj} {modal} {rest}" if _careful(rest) else None
        return Directive("dont", "declarative", text, positive, text, pronoun)
    careful = (
        _careful(rest)
        and not _ADVERB_NEXT.match(rest)
        and _first_word(rest).lower() not in _NO_NEGATION_VERBS - {"be"}
    )
    negative = f"{subj} {modal} not {rest}" if careful else None
    return Directive("do", "declarative", text, text, negative, pronoun)


def conditional(text: str, lexicon: CorpusTerms) -> Conditional | None:
    m = _CONDITION.match(text)
    if m is None:
        return None
    response = directive(cap_first(m.group("main")), lexicon)
    if response is None:
        return None
    lead = m.group("lead")
    return Conditional(lead, m.group("cond").strip(), response, lead in _CLAUSE_LEADS)


def definition(text: str, lexicon: CorpusTerms) -> Definition | None:
    m = _DEFINITION.match(text)
    if m is None:
        return None
    term = m.group("term")
    if _NOT_TERMS.match(term) or _DOCUMENT_WORDS.search(term) or word_count(term) > 6:
        return None
    if any(w.lower() in _AUX or w.lower() in _TERM_STOPS for w in term.split()):
        return None
    first = term.split(" ", 1)[0]
    if (
        lexicon.is_verb(first)
        or first.lower().endswith("ing")
        or m.group("body").startswith("one ")
    ):
        return None
    body = strip_end(m.group("body"))
    if word_count(body) < 5:
        return None
    return Definition(term, m.group("abbr"), m.group("verb"), body)
