"""Exports, written as designed: GIFT escaping, Moodle XML with the structure Moodle expects (and
Haven's own check of it), CSV columns, the Markdown handout with its answer key.
test_export_readers.py reads every export with other programs' readers."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest

from quiz.export import render
from quiz.export.gift import escape
from quiz.export.moodle_xml import validate
from quiz.schemas import QuizItem
from tests.quiz.conftest import citation, make_item, make_quiz

# Every character GIFT treats specially, HTML that must not become markup, and a newline.
TRICKY = (
    'Use {braces}, a = sign, ~tilde, #hash, colon: and a back\\slash <b>not bold</b> & "quotes"'
)


def _items() -> list[QuizItem]:
    return [
        make_item(
            id="q-mcq",
            kind="mcq",
            question=f"Which of these should you do? {TRICKY}",
            options=[
                "Refer the child = now",
                "Handcuff: them",
                "Shout {at} them",
                "Ask ~3 questions",
            ],
            answer="Refer the child = now",
            explanation="Line one\nline two: {x}",
            citation=citation(
                "Following first contact, immediately refer potential child victims."
            ),
        ),
        make_item(
            id="q-tf",
            kind="true_false",
            question="True or false? You should not detain child victims #1.",
            answer="True",
            basis="statement",
            citation=citation("Child victims should not be detained."),
        ),
        make_item(
            id="q-tf2",
            kind="true_false",
            question="True or false? You should detain child victims.",
            answer="False",
            basis="statement",
        ),
        make_item(
            id="q-fill",
            kind="fill_blank",
            question="Complete: “Act in the _____ of the child: always.”",
            answer="best interests",
            accept=["best interest", "best-interests*"],
            basis="term",
            citation=citation("Act in the best interests of the child: always."),
        ),
        make_item(
            id="q-sc",
            kind="scenario",
            question="You are a first responder. The child is hungry. What should you do?",
            options=["Provide water and food.", "Start the interview at once.", "Call the media."],
            answer="Provide water and food.",
            basis="situation",
        ),
    ]


def test_gift_escapes_every_special_character() -> None:
    assert escape("a~b=c#d{e}f:g\\h\ni") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni"


def test_gift_blank_lines_separate_questions_only() -> None:
    items = _items()
    text = render(make_quiz(items), "gift").content
    blocks = text.split("\n\n")
    assert len(blocks) == len(items)
    assert [block.count("// q-") for block in blocks] == [1] * len(items)


def test_moodle_xml_has_the_structure_moodle_expects() -> None:
    items = _items()
    xml = render(make_quiz(items), "moodle_xml").content
    assert validate(xml) == []
    root = ET.fromstring(xml)
    assert root.tag == "quiz"
    questions = root.findall("question")
    assert questions[0].get("type") == "category"
    types = [q.get("type") for q in questions[1:]]
    assert types == ["multichoice", "truefalse", "truefalse", "shortanswer", "multichoice"]
    mcq = questions[1]
    assert "&lt;b&gt;not bold&lt;/b&gt;" in mcq.findtext("questiontext/text", "")
    answers = mcq.findall("answer")
    assert [a.get("fraction") for a in answers] == ["100", "0", "0", "0"]
    assert mcq.findtext("single") == "true"
    assert mcq.findtext("idnumber") == "q-mcq"
    tf_true, tf_false = questions[2], questions[3]
    assert [(a.findtext("text"), a.get("fraction")) for a in tf_true.findall("answer")] == [
        ("true", "100"),
        ("false", "0"),
    ]
    assert [(a.findtext("text"), a.get("fraction")) for a in tf_false.findall("answer")] == [
        ("true", "0"),
        ("false", "100"),
    ]
    short = questions[4]
    assert [a.findtext("text") for a in short.findall("answer")] == [
        "best interests",
        "best interest",
        "best-interests\\*",
    ]
    assert "Act in the best interests" in short.findtext("generalfeedback/text", "")


@pytest.mark.parametrize(
    ("xml", "problem"),
    [
        ("<quiz><question type='essay'/></quiz>", "known type"),
        ("<nope/>", "root"),
        (
            "<quiz><question type='multichoice'><name><text>x</text></name>"
            "<questiontext format='html'><text>q</text></questiontext><single>true</single>"
            "<answer fraction='0'><text>a</text></answer>"
            "<answer fraction='0'><text>b</text></answer>"
            "</question></quiz>",
            "one answer at 100",
        ),
        ("<quiz><question", "well-formed"),
    ],
)
def test_moodle_xml_validation_catches_broken_files(xml: str, problem: str) -> None:
    assert any(problem in p for p in validate(xml))


def test_csv_reads_back() -> None:
    items = _items()
    text = render(make_quiz(items), "csv").content
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["id"] for r in rows] == [i.id for i in items]
    assert rows[0]["question"] == items[0].question
    assert rows[0]["option_a"] == "Refer the child = now" and rows[0]["answer_letter"] == "a"
    assert rows[3]["also_accepted"] == "best interest | best-interests*"
    assert rows[1]["quote"] == "Child victims should not be detained."
    assert rows[0]["pages"] == "p. 4"


def test_markdown_handout_has_questions_then_key_with_citations() -> None:
    items = _items()
    text = render(make_quiz(items, title="Session 1"), "md").content
    assert text.startswith("# Session 1")
    questions, key = text.split("## Answer key")
    assert "## Questions" in questions
    assert "Refer the child" in questions and "Following first contact" not in questions
    assert "**1.** A. Refer the child = now" in key
    assert "> Following first contact, immediately refer potential child victims." in key
    assert "Guide for first responders — First encounter, p. 4" in key
    assert r"\<b\>not bold\</b\>" in questions  # shown as text, not markup


def test_export_file_names() -> None:
    quiz = make_quiz(_items(), title="Interviewing: a child / border")
    assert render(quiz, "gift").filename == "interviewing-a-child-border-gift.txt"
    assert render(quiz, "moodle_xml").filename.endswith(".xml")
    assert render(quiz, "csv").media_type.startswith("text/csv")
