"""The answer's shape follows the question: its kind, what is noise, what leads.

Questions here are written for these tests (none comes from an evaluation set)."""

from __future__ import annotations

import dataclasses

import pytest

from answer.composer import ComposerConfig, is_action, select_points
from answer.focus import focus_of
from answer.noise import Noise, asks_for_voices, noise_of, quotation_spans, without_footnote_mark
from answer.question_kind import QuestionKind, question_kind, split_situation
from answer.terms import TermStats
from eval.points import covered_points, on_point
from index.retriever import SearchHit
from ingest.records import Chunk

_STATS = TermStats(
    [
        "child victim shelter referral",
        "child victim interview",
        "guardian embassy consulate",
        "detained detention immigration",
        "trafficking victim definition",
    ]
)


def _hit(text: str, chunk_id: str = "c1", question_cosine: float | None = None) -> SearchHit:
    chunk = Chunk(chunk_id, "doc", 0, ("S",), 1, 1, 0, len(text), text)
    return SearchHit(chunk=chunk, title="T", score=1.0, question_cosine=question_cosine)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("We stopped a van with six girls at the checkpoint — what should we do now?", "steps"),
        ("How do I talk to a boy who will not say his name?", "steps"),
        ("What are the first steps after a labour inspection finds victims?", "steps"),
        ("Is a victim allowed to stay in the country while the case runs?", "yes_no"),
        ("The girl is 17. Should she be placed in an adult shelter?", "yes_no"),
        ("What is debt bondage?", "definition"),
        ("What does non-punishment mean?", "definition"),
        ("How can I tell whether a domestic worker is being exploited?", "signs"),
        ("What are the indicators of forced begging?", "signs"),
        ("Who should I contact when I find an unaccompanied child?", "referral"),
        ("Which agency is responsible for appointing a guardian?", "referral"),
        ("Why do victims rarely ask for help?", "general"),
        ("What is the difference between smuggling and trafficking?", "general"),
    ],
)
def test_question_kind(question: str, kind: str) -> None:
    assert question_kind(question) == QuestionKind(kind)


def test_the_situation_is_split_from_the_ask() -> None:
    assert split_situation("I met a girl in a bar, 14 maybe — who do I call?") == (
        "I met a girl in a bar, 14 maybe",
        "who do I call?",
    )
    assert split_situation("We found two boys on a boat. Can they be detained?") == (
        "We found two boys on a boat.",
        "Can they be detained?",
    )
    assert split_situation("What is forced labour?") == ("", "What is forced labour?")


@pytest.mark.parametrize(
    ("sentence", "noise"),
    [
        ("This guide aims to help frontline officers identify victims.", Noise.ABOUT_HANDBOOK),
        ("This chapter describes the roles of each agency.", Noise.ABOUT_HANDBOOK),
        ("The handbook is not intended to replace national law.", None),  # not "this"
        ("This handbook is not intended to replace national law.", Noise.ABOUT_HANDBOOK),
        ("In this guide, we use the word child for anyone under 18.", Noise.ABOUT_HANDBOOK),
        ("(See also: shelters; guardianship; legal aid)", Noise.CROSS_REFERENCE),
        ("For more information, see Annex 3.", Noise.CROSS_REFERENCE),
        ("“I was promised a job in a hotel and my passport was taken.”", Noise.TESTIMONY),
        ("I did not know where I was and my boss kept me inside.", Noise.TESTIMONY),
        ("Refer the child to child protection services at once.", None),
        ("Victims should never be detained for offences they were forced to commit.", None),
    ],
)
def test_noise(sentence: str, noise: Noise | None) -> None:
    assert noise_of(sentence) == noise


def test_testimony_is_kept_when_asked_for() -> None:
    assert asks_for_voices("What do survivors say about their first contact with police?")
    assert not asks_for_voices("What do I do first?")
    assert noise_of("“I was told I would work in a shop.”", asks_for_voices=True) is None


def test_first_person_quotations_are_testimony_but_quoted_law_is_not() -> None:
    text = (
        "Victims often distrust officials.\n"
        "“ When I arrived they took my passport and I could not leave the house for a year.\n"
        "Nobody would have believed me.”\n"
        "“in order to obtain, directly or indirectly, a financial or other material benefit.”\n"
        "Officers should explain the victim's rights."
    )
    spans = quotation_spans(text)
    assert len(spans) == 1
    assert "Nobody would have believed me" in text[spans[0][0] : spans[0][1]]


def test_footnote_marks_are_cut() -> None:
    assert without_footnote_mark("any person under 18 years of age.863") == (
        "any person under 18 years of age."
    )
    assert without_footnote_mark("Article 3 of the 2000 Protocol.") == (
        "Article 3 of the 2000 Protocol."
    )


def test_actions() -> None:
    assert is_action("Ensure the child is safe.")
    assert is_action("Do not handcuff the child.")
    assert is_action("Officers should refer the child to a guardian.")
    assert not is_action("The documents do not correspond to the children being transported.")
    assert not is_action("Many children are trafficked across borders.")


_FIRST_CONTACT = (
    "This guide aims to assist officers who meet child victims in a truck or at a border.\n"
    "An underage person is hidden in a truck so that they may cross the border.\n"
    "Ensure the child is safe and attend to immediate needs such as water and food.\n"
    "Contact the child's embassy or consulate if the child is not a national.\n"
    "Many children are found in vehicles at border crossings."
)


def test_a_what_to_do_question_leads_with_a_step_and_leaves_noise_out() -> None:
    question = "I found a 12-year-old hidden in a truck — what do I do first?"
    focus = focus_of(question, _STATS)
    assert focus.kind is QuestionKind.STEPS
    points = select_points(question, [_hit(_FIRST_CONTACT)], _STATS, ComposerConfig(), focus)
    texts = [p.text for p in points]
    assert texts[0].startswith("Ensure the child is safe")
    assert not any(t.startswith(("This guide", "An underage person")) for t in texts)
    # Without a focus (as answerability reads sentences) nothing is left out.
    plain = select_points(question, [_hit(_FIRST_CONTACT)], _STATS, ComposerConfig())
    assert any(p.text.startswith("An underage person") for p in plain)


def test_a_yes_no_question_leads_with_the_direct_answer() -> None:
    text = (
        "Immigration detention centres hold many people.\n"
        "Child victims of trafficking should never be detained in immigration detention.\n"
        "Detention of adults is regulated by national law."
    )
    question = "We caught a 16-year-old at the port. Can child victims be detained?"
    config = ComposerConfig()
    points = select_points(question, [_hit(text)], _STATS, config, focus_of(question, _STATS))
    assert points[0].text.startswith("Child victims of trafficking should never be detained")


def test_a_definition_question_leads_with_the_definition() -> None:
    text = (
        "No single strategy or mechanism will suffice against debt bondage.\n"
        "Debt bondage is a form of exploitation in which a person works to repay a debt that "
        "never ends.\n"
        "Officers see debt bondage in fishing and construction."
    )
    question = "What is debt bondage?"
    points = select_points(
        question, [_hit(text)], _STATS, ComposerConfig(), focus_of(question, _STATS)
    )
    assert points[0].text.startswith("Debt bondage is a form of exploitation")


def test_a_matching_hypothetical_question_lifts_its_passage() -> None:
    near = _hit("Refer the victim to a shelter run by social services.", "near", 0.8)
    far = _hit("Refer the victim to the shelter on the list of the ministry.", "far", 0.4)
    question = "Where do I refer the victim for a shelter?"
    focus = focus_of(question, _STATS)
    config = dataclasses.replace(ComposerConfig(), max_points=1)
    lifted = select_points(question, [far, near], _STATS, config, focus)
    assert lifted[0].quotes[0].hit_index == 1
    flat = dataclasses.replace(config, question_cosine_weight=0.0)
    assert select_points(question, [far, near], _STATS, flat, focus)[0].quotes[0].hit_index == 0


def test_hypothetical_questions_hint_the_sentence_that_answers_them() -> None:
    hinted = {"c1": ["Who appoints a guardian for an unaccompanied child?"]}
    focus = focus_of("Who appoints a guardian for a child without parents?", _STATS, hinted)
    assert "guardian" in focus.hints["c1"]
    assert focus_of("What is forced labour?", _STATS, hinted).hints == {}


def test_answer_point_metrics() -> None:
    expert = ["Treat her as a child until her age is verified", "Contact the embassy"]
    said = ["Until the age is verified, treat the person as a child.", "Offer water."]
    assert covered_points(expert, said) == [True, False]
    assert on_point(said[0], expert, supports_evidence=False)
    assert not on_point(said[1], expert, supports_evidence=False)
    assert on_point(said[1], expert, supports_evidence=True)
