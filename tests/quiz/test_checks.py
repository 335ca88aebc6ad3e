"""The checks every item passes: shape, support by its quote, and trainers' edits."""

from __future__ import annotations

import pytest

from quiz.checks import draft_problems, shape_problems
from quiz.editing import EditError, apply_edit, apply_list
from quiz.schemas import ItemEdit, ItemEditWithId
from quiz.support import check_support
from tests.quiz.conftest import citation, make_item

QUOTE = "Do not handcuff or restrain them."
PASSAGE = "- Contact the child’s embassy or consulate.\n- Do not handcuff or restrain them."


def test_recommended_answer_must_say_what_the_quote_says() -> None:
    good = make_item(
        question="Which should you do?",
        options=["Contact the child’s embassy or consulate.", "Parade them in public.", "Shout."],
        answer="Contact the child’s embassy or consulate.",
        citation=citation("Contact the child’s embassy or consulate."),
    )
    assert check_support(good, PASSAGE).ok
    negated = good.model_copy(
        update={"citation": citation("Do not contact the child’s embassy or consulate.")}
    )
    assert "negates" in " ".join(check_support(negated).reasons)
    unrelated = good.model_copy(update={"citation": citation("Provide water and food.")})
    assert not check_support(unrelated).ok


def test_advised_against_answer_is_the_quote_reversed() -> None:
    item = make_item(
        basis="advised_against",
        options=["Handcuff or restrain them.", "Contact the embassy.", "Offer water."],
        answer="Handcuff or restrain them.",
        citation=citation(QUOTE),
    )
    assert check_support(item, PASSAGE).ok
    same = item.model_copy(update={"answer": QUOTE, "options": [QUOTE, "Contact the embassy."]})
    assert not check_support(same).ok


def test_quote_must_be_verbatim_in_the_passage() -> None:
    item = make_item(
        basis="advised_against",
        options=["Handcuff or restrain them.", "Offer water."],
        answer="Handcuff or restrain them.",
        citation=citation("Do not handcuff or restrain them!"),
    )
    assert "exact substring" in " ".join(check_support(item, PASSAGE).reasons)


def test_a_wrong_option_supported_by_the_quote_is_a_second_answer() -> None:
    item = make_item(
        options=["Contact the child’s embassy or consulate.", "Contact the child’s consulate."],
        answer="Contact the child’s embassy or consulate.",
        citation=citation("Contact the child’s embassy or consulate."),
    )
    assert "second" in " ".join(check_support(item).reasons) or "wrong option" in " ".join(
        check_support(item).reasons
    )


@pytest.mark.parametrize(
    ("statement", "quote", "answer", "ok"),
    [
        ("you should not handcuff or restrain them.", QUOTE, "True", True),
        ("you should handcuff or restrain them.", QUOTE, "False", True),
        ("you should handcuff or restrain them.", QUOTE, "True", False),
        (
            "you should not discuss traumatic experiences in front of children.",
            "Avoid discussing traumatic experiences in front of children.",
            "True",
            True,
        ),
        (
            "victims of trafficking should be detained.",
            "Victims of trafficking should not be detained.",
            "False",
            True,
        ),
        ("you should provide a lawyer.", QUOTE, "False", False),  # words not in the quote
    ],
)
def test_true_false_follows_the_quote(statement: str, quote: str, answer: str, ok: bool) -> None:
    item = make_item(
        kind="true_false",
        basis="statement",
        question=f"True or false? According to the RSO guide for first responders, {statement}",
        answer=answer,
        citation=citation(quote),
    )
    assert check_support(item).ok is ok, check_support(item).reasons


def test_fill_blank_filled_in_is_the_quote() -> None:
    quote = "Any action must reflect the best interests of the child.12"
    item = make_item(
        kind="fill_blank",
        basis="term",
        question="Complete this statement: “Any action must reflect the _____ of the child.”",
        answer="best interests",
        citation=citation(quote),
    )
    assert check_support(item, quote).ok
    assert not check_support(item.model_copy(update={"answer": "wishes"})).ok


def test_definition_term_is_in_the_quote_and_wrong_terms_are_not() -> None:
    quote = "Trauma bonding is a psychological response to abuse."
    item = make_item(
        basis="definition",
        question="Which term is described as “a psychological response to abuse”?",
        options=["Trauma bonding", "Debt bondage", "Grooming"],
        answer="Trauma bonding",
        citation=citation(quote),
    )
    assert check_support(item).ok
    bad = item.model_copy(
        update={"citation": citation("Debt bondage is a psychological response to abuse.")}
    )
    assert not check_support(bad).ok


def test_shape_problems() -> None:
    assert shape_problems(make_item(options=["a", "b"], answer="c"))
    assert shape_problems(make_item(options=["Same.", "same"], answer="Same."))
    assert shape_problems(make_item(kind="true_false", answer="Yes", basis="statement"))
    assert shape_problems(
        make_item(kind="fill_blank", question="No blank", answer="x", basis="term")
    )
    assert shape_problems(
        make_item(kind="fill_blank", question="A _____", answer="the", basis="term")
    )
    assert not shape_problems(make_item(options=["a", "b"], answer="a"))


def test_near_identical_options_fail_a_draft() -> None:
    item = make_item(
        basis="advised_against",
        options=["Handcuff or restrain them.", "Restrain or handcuff them."],
        answer="Handcuff or restrain them.",
        citation=citation(QUOTE),
    )
    assert any("nearly the same" in p for p in draft_problems(item, PASSAGE))


def test_edits_are_applied_and_checked() -> None:
    item = make_item(options=["a", "b", "c"], answer="a")
    edited = apply_edit(item, ItemEdit(question="Which one?", options=["x", "y"], answer="y"))
    assert (edited.question, edited.options, edited.answer, edited.edited) == (
        "Which one?",
        ["x", "y"],
        "y",
        True,
    )
    assert edited.citation == item.citation
    assert not apply_edit(item, ItemEdit(answer="a")).edited  # nothing changed
    with pytest.raises(EditError, match="exactly one of the options"):
        apply_edit(item, ItemEdit(options=["x", "y"]))
    tf = make_item(kind="true_false", answer="True", basis="statement")
    assert apply_edit(tf, ItemEdit(answer="false")).answer == "False"
    with pytest.raises(EditError):
        apply_edit(tf, ItemEdit(answer="maybe"))
    with pytest.raises(EditError, match="no options"):
        apply_edit(tf, ItemEdit(options=["True", "False"]))


def test_item_list_edit_reorders_and_drops() -> None:
    a = make_item(id="a", options=["1", "2"], answer="1")
    b = make_item(id="b", options=["1", "2"], answer="2")
    c = make_item(id="c", options=["1", "2"], answer="1")
    out = apply_list([a, b, c], [ItemEditWithId(id="c"), ItemEditWithId(id="a", question="New?")])
    assert [i.id for i in out] == ["c", "a"] and out[1].question == "New?"
    with pytest.raises(EditError, match="no such item"):
        apply_list([a], [ItemEditWithId(id="zzz")])
    with pytest.raises(EditError, match="twice"):
        apply_list([a], [ItemEditWithId(id="a"), ItemEditWithId(id="a")])


def test_a_handbook_name_is_not_a_negation() -> None:
    item = make_item(
        kind="true_false",
        basis="statement",
        question="True or false? According to the ASEAN Do-No-Harm Guide, you should refer them.",
        answer="True",
        citation=citation("Refer them.", title="ASEAN Do-No-Harm Guide"),
    )
    assert check_support(item).ok, check_support(item).reasons
