"""Reading a statement: directives and their careful negations, situations, definitions."""

from __future__ import annotations

import pytest

from quiz.analysis import analyse
from quiz.lexicon import CorpusTerms, spelling_variants
from quiz.phrasing import context_phrase, doc_name, time_clause
from quiz.text import clean_display

LEXICON = CorpusTerms.build(
    [
        ("d", "You should refer the child. Do not handcuff them. Never force a victim to return."),
        ("e", "You must ensure safety. Officers should separate the child from the trafficker."),
    ]
)


@pytest.mark.parametrize(
    ("text", "polarity", "form", "positive", "negative"),
    [
        (
            "Do not handcuff or restrain them.",
            "dont",
            "imperative",
            "Handcuff or restrain them.",
            "Do not handcuff or restrain them.",
        ),
        (
            "Never force a victim to return to their place of origin.",
            "dont",
            "imperative",
            "Force a victim to return to their place of origin.",
            "Never force a victim to return to their place of origin.",
        ),
        (
            "Avoid placing child victims in prisons.",
            "dont",
            "imperative",
            "Place child victims in prisons.",
            "Avoid placing child victims in prisons.",
        ),
        (
            "Refer the child to child protection services.",
            "do",
            "imperative",
            "Refer the child to child protection services.",
            "Do not refer the child to child protection services.",
        ),
        (
            "Child victims should not be detained.",
            "dont",
            "declarative",
            "Child victims should be detained.",
            "Child victims should not be detained.",
        ),
        (
            "Interpreters should be vetted to national standards.",
            "do",
            "declarative",
            "Interpreters should be vetted to national standards.",
            "Interpreters should not be vetted to national standards.",
        ),
    ],
)
def test_directives_and_their_negations(
    text: str, polarity: str, form: str, positive: str, negative: str
) -> None:
    d = analyse(text, LEXICON).directive
    assert d is not None
    assert (d.polarity, d.form, d.positive, d.negative) == (polarity, form, positive, negative)


@pytest.mark.parametrize(
    "text",
    [
        "Do not separate them unless you have reason to suspect the parent.",  # hedge
        "Leading questions should not be used except when required for clarification.",
        "Victims should be informed, but not pressured.",
    ],
)
def test_no_careful_negation_when_hedged(text: str) -> None:
    d = analyse(text, LEXICON).directive
    assert d is not None
    flipped = d.positive if d.polarity == "dont" else d.negative
    assert flipped is None


def test_you_should_becomes_an_imperative() -> None:
    d = analyse("You should try to make the child feel comfortable.", LEXICON).directive
    assert d is not None and d.text == "Make the child feel comfortable."
    assert d.as_you("do") == "you should make the child feel comfortable."
    assert d.as_you("dont") == "you should not make the child feel comfortable."


def test_not_directives() -> None:
    assert analyse("Trafficked children have been betrayed or deceived.", LEXICON).directive is None
    assert analyse("They should be interviewed alone.", LEXICON).directive.pronoun_subject  # type: ignore[union-attr]
    assert analyse("All efforts must be made to ensure that.", LEXICON).directive is None


def test_situation_and_response() -> None:
    a = analyse(
        "If the child is accompanied by a parent or guardian, do not separate them unless "
        "you have reason to suspect the parent is involved.",
        LEXICON,
    )
    assert a.conditional is not None
    assert a.conditional.condition == "the child is accompanied by a parent or guardian"
    assert a.conditional.response.polarity == "dont"
    assert a.conditional.is_clause


def test_definitions() -> None:
    d = analyse(
        "Trauma bonding is a psychological response to abuse, entailing an unhealthy bond.", LEXICON
    ).definition
    assert d is not None and d.term == "Trauma bonding" and d.body.startswith("a psychological")
    assert (
        analyse("This is a key milestone in advancing the rights of women.", LEXICON).definition
        is None
    )
    assert (
        analyse("The table below is a guide to components of a history.", LEXICON).definition
        is None
    )


def test_display_cleaning_drops_footnote_numbers_only() -> None:
    assert clean_display("Never force a return.86 A return must be voluntary;") == (
        "Never force a return. A return must be voluntary."
    )
    assert clean_display("Under the age of 18, see 3.2.3") == "Under the age of 18, see 3.2.3."


def test_phrasing() -> None:
    assert (
        time_clause(("Preparing for the Formal Interview",))
        == "when preparing for the formal interview"
    )
    assert time_clause(("After the interview",)) == "after the interview"
    assert time_clause(("Trafficking for the purposes of labour exploitation",)) is None
    assert (
        context_phrase(
            ("Victim Identification", "3. Revictimisation during interviews", "Do No Harm guidance")
        )
        == " (section “Revictimisation during interviews”)"
    )
    assert doc_name("rso-first-responders", "x") == "the RSO guide for first responders"
    assert (
        doc_name("new-doc", "Protecting Survivors: a guide")
        == "the handbook “Protecting Survivors”"
    )


def test_spelling_variants() -> None:
    assert "re-traumatization" in spelling_variants("re-traumatisation")
    assert "forced labor" in spelling_variants("forced labour")
    assert spelling_variants("social worker") == ["social worker"]
