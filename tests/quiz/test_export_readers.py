"""Every export read by someone else's reader: GIFT by gift-pegjs (node), Moodle XML against an
XSD of Moodle's format and by moodle-xml-parser, CSV by Python's csv and by LibreOffice Calc,
the Markdown handout rendered by markdown-it. Two quizzes each: one drafted from real
handbooks, and the same items loaded with every character the formats treat specially and
non-Latin text."""

from __future__ import annotations

import csv
import html
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from quiz.constants import TRUE
from quiz.export import render
from quiz.export.common import feedback, kind_label
from quiz.schemas import QuizItem, QuizOut, QuizRequest
from quiz.service import QuizService
from quiz.text import one_line
from tests.quiz.conftest import make_quiz
from tests.support.export_readers import (
    gift_pegjs_missing,
    libreoffice_cells,
    moodle_schema,
    node_missing,
    parse_gift,
    render_markdown,
    soffice_missing,
)

pytestmark = pytest.mark.readers

# Every character GIFT, HTML, XML, CSV or Markdown treat specially, entities that must stay
# text, quotes, and three of the scripts Haven answers in.
SPECIAL = (
    "GIFT ~ = # { } : \\ | HTML <b>not bold</b> & &amp; \"double\" 'single' "
    "| CSV , ; | Markdown *star* _under_ `tick` [link](x) ~~struck~~ | "
    "Русский, ไทย, Tiếng Việt"
)
FORMATS = ("gift", "moodle_xml", "csv", "md")
QUIZZES = ("drafted", "tricky")
TITLE = "Session 2: {trafficking} = #1 ~ <draft> & “Ру”\n::Q:: injected {=yes}"


@pytest.fixture(scope="module")
def drafted(small_pool) -> QuizOut:
    """24 items of every kind from three real handbooks."""
    items = QuizService(small_pool).draft(QuizRequest(n=24, seed=16)).items
    assert {i.kind for i in items} == {"mcq", "true_false", "fill_blank", "scenario"}
    return make_quiz(items, title="Identification and referral")


def _tricky(item: QuizItem) -> QuizItem:
    def mark(text: str) -> str:
        return f"{text} {SPECIAL}"

    update: dict[str, object] = {
        "question": mark(item.question),
        # Starting as a numbered list and a heading would in Markdown.
        "explanation": f"1. {item.explanation}\nSecond line: {SPECIAL}",
        "citation": item.citation.model_copy(
            update={
                "quote": f"# {mark(item.citation.quote)}",
                "title": f"{item.citation.title} & Ко",
            }
        ),
    }
    if item.options:
        update["options"] = [mark(o) for o in item.options]
        update["answer"] = mark(item.answer)
    elif item.kind == "fill_blank":
        # A short answer is one line of plain text; * is Moodle's wildcard.
        update["answer"] = f"{item.answer} = #1 {{x}} ~ Ру*"
        update["accept"] = [*item.accept, "best-interests*", "ไทย: \\ a"]
    return item.model_copy(update=update)


@pytest.fixture(scope="module")
def quizzes(drafted: QuizOut) -> dict[str, QuizOut]:
    tricky = drafted.model_copy(
        update={"title": TITLE, "items": [_tricky(i) for i in drafted.items]}
    )
    return {"drafted": drafted, "tricky": tricky}


@pytest.fixture(scope="module")
def files(quizzes: dict[str, QuizOut], tmp_path_factory: pytest.TempPathFactory):
    """Each quiz's export in each format, written as a trainer downloads it."""
    folder = tmp_path_factory.mktemp("exports")

    def write(name: str, fmt: str) -> Path:
        export = render(quizzes[name], fmt)  # type: ignore[arg-type]
        path = folder / f"{name}-{export.filename}"
        path.write_bytes(export.content.encode("utf-8"))
        return path

    return {(name, fmt): write(name, fmt) for name in quizzes for fmt in FORMATS}


class _Text(HTMLParser):
    """An HTML fragment's text as a browser shows it, <br> as a newline."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.append(tag)
        if tag == "br":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(fragment: str) -> tuple[str, list[str]]:
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.parts), parser.tags


def short_answers(item: QuizItem) -> list[str]:
    """A fill-in-the-blank item's accepted answers as Moodle must store them (* escaped)."""
    return [a.replace("*", "\\*") for a in dict.fromkeys([item.answer, *item.accept])]


# GIFT: gift-pegjs ------------------------------------------------------------------------------

GIFT_TYPE = {"mcq": "MC", "scenario": "MC", "true_false": "TF", "fill_blank": "Short"}


@pytest.fixture(scope="module")
def gift_read(files) -> dict[str, dict]:
    """gift-pegjs's reading of each quiz's GIFT file (node started once)."""
    missing = node_missing()
    if missing:
        pytest.skip(missing)
    missing = gift_pegjs_missing()
    if missing:
        pytest.fail(missing)
    results = parse_gift([files[name, "gift"] for name in QUIZZES])
    return dict(zip(QUIZZES, results, strict=True))


@pytest.mark.parametrize("name", QUIZZES)
def test_gift_pegjs_reads_every_item(name: str, quizzes, gift_read) -> None:
    result = gift_read[name]
    assert "error" not in result, result.get("error")
    items = quizzes[name].items
    questions = result["questions"]
    assert len(questions) == len(items)
    for n, (item, q) in enumerate(zip(items, questions, strict=True), 1):
        assert q["type"] == GIFT_TYPE[item.kind], (n, q["type"])
        assert q["title"] == f"{n}. {kind_label(item.kind)}"
        assert q["stem"]["format"] == "html"
        assert html.unescape(q["stem"]["text"]) == item.question
        assert html.unescape(q["globalFeedback"]["text"]) == feedback(item)
        if item.kind in ("mcq", "scenario"):
            choices = [(html.unescape(c["text"]["text"]), c["isCorrect"]) for c in q["choices"]]
            assert choices == [(o, o == item.answer) for o in item.options or []]
        elif item.kind == "true_false":
            assert q["isTrue"] is (item.answer == TRUE)
        else:
            assert [c["text"]["text"] for c in q["choices"]] == short_answers(item)
            assert all(c["isCorrect"] for c in q["choices"])


def test_gift_feedback_keeps_the_explanation_and_quote(quizzes, gift_read) -> None:
    for name in QUIZZES:
        for item, q in zip(quizzes[name].items, gift_read[name]["questions"], strict=True):
            shown = html.unescape(q["globalFeedback"]["text"])
            assert one_line(item.explanation) in shown
            assert one_line(item.citation.quote) in shown
            assert item.citation.title in shown


def test_gift_pegjs_rejects_a_broken_file(tmp_path: Path) -> None:
    """The reader can fail: an unescaped brace in a question is a syntax error."""
    missing = node_missing() or gift_pegjs_missing()
    if missing:
        pytest.skip(missing)
    broken = tmp_path / "broken.gift.txt"
    broken.write_text("::Q:: What is {this? {=yes ~no}\n", encoding="utf-8")
    (result,) = parse_gift([broken])
    assert "error" in result and result["error"]["line"] == 1


# Moodle XML: the schema, Python's XML parser and moodle-xml-parser -----------------------------


@pytest.fixture(scope="module")
def schema():
    return moodle_schema()


@pytest.mark.parametrize("name", QUIZZES)
def test_moodle_xml_matches_the_schema(name: str, files, schema) -> None:
    errors = [str(e.reason) for e in schema.iter_errors(str(files[name, "moodle_xml"]))]
    assert errors == []


@pytest.mark.parametrize("name", QUIZZES)
def test_moodle_xml_answers_and_texts_round_trip(name: str, quizzes, files) -> None:
    quiz = quizzes[name]
    raw = files[name, "moodle_xml"].read_bytes()
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    category, *questions = ET.fromstring(raw).findall("question")
    assert category.get("type") == "category"
    assert len(questions) == len(quiz.items)
    for item, q in zip(quiz.items, questions, strict=True):
        text, tags = html_text(q.findtext("questiontext/text", ""))
        assert text == item.question and set(tags) <= {"p", "br"}  # no markup from the text
        assert html_text(q.findtext("generalfeedback/text", ""))[0] == feedback(item)
        assert q.findtext("idnumber") == item.id
        answers = [(a.findtext("text", ""), float(a.get("fraction", ""))) for a in q.iter("answer")]
        if item.kind in ("mcq", "scenario"):
            assert q.get("type") == "multichoice" and q.findtext("single") == "true"
            shown = [(html_text(t)[0], f) for t, f in answers]
            assert shown == [(o, 100.0 if o == item.answer else 0.0) for o in item.options or []]
        elif item.kind == "true_false":
            truth = item.answer == TRUE
            assert q.get("type") == "truefalse"
            assert answers == [
                ("true", 100.0 if truth else 0.0),
                ("false", 0.0 if truth else 100.0),
            ]
        else:
            assert q.get("type") == "shortanswer"
            assert answers == [(a, 100.0) for a in short_answers(item)]


def test_moodle_xml_parser_reads_the_multiple_choice_items(quizzes, files) -> None:
    """moodle-xml-parser (PyPI) reads multichoice and cloze questions only."""
    from moodle_xml_parser.parser import parse_file

    for name in QUIZZES:
        items = [i for i in quizzes[name].items if i.options]
        read = parse_file(str(files[name, "moodle_xml"]))["multichoice"]
        assert len(read) == len(items)
        for item, q in zip(items, read, strict=True):
            assert q.single and q.text_pre_parse == f"<p>{item.question}</p>".replace("\n", "<br>")
            assert q.general_feedback == f"<p>{feedback(item)}</p>"
            assert [(o.answer, o.score_fraction) for o in q.options] == [
                (f"<p>{o}</p>", 100.0 if o == item.answer else 0.0) for o in item.options or []
            ]


def test_moodle_xml_drops_what_xml_forbids(quizzes, schema) -> None:
    """A vertical tab (Word's line break) or a form feed in an edited item: still well-formed
    XML, read as a line break; other control characters dropped."""
    item = quizzes["drafted"].items[0]
    edited = item.model_copy(update={"question": "Line one\vline two\fthree\x00\x1b."})
    xml = render(make_quiz([edited]), "moodle_xml").content
    assert schema.is_valid(xml), [str(e.reason) for e in schema.iter_errors(xml)]
    question = ET.fromstring(xml).findall("question")[1]
    assert html_text(question.findtext("questiontext/text", ""))[0] == "Line one\nline two\nthree."


def _one_question(body: str, qtype: str = "multichoice") -> str:
    return (
        f'<quiz><question type="{qtype}"><name><text>Q</text></name>'
        f'<questiontext format="html"><text>Which?</text></questiontext>{body}</question></quiz>'
    )


def _answers(*fractions: str, texts: tuple[str, ...] = ("a", "b", "c")) -> str:
    return "".join(
        f'<answer fraction="{f}"><text>{t}</text></answer>'
        for f, t in zip(fractions, texts, strict=False)
    )


@pytest.mark.parametrize(
    "xml",
    [
        _one_question(_answers("50", "0")),  # single answer: nothing at 100
        _one_question("<single>false</single>" + _answers("50", "40", "0")),  # sums to 90
        _one_question(_answers("100", "33")),  # not a grade Moodle offers
        _one_question(_answers("100")),  # one answer
        _one_question(_answers("100", "0", texts=("a", " "))),  # an empty answer
        _one_question(_answers("100", "100", texts=("true", "false")), "truefalse"),
        _one_question(_answers("100", "0", texts=("true", "yes")), "truefalse"),
        _one_question(_answers("50"), "shortanswer"),  # no full marks
        _one_question(_answers("100", "0"), "essay"),  # a type Haven does not write
        _one_question("<idnumber>" + "x" * 101 + "</idnumber>" + _answers("100", "0")),
        _one_question(_answers("100", "0")).replace("<text>Q</text>", "<text> </text>"),
        _one_question(_answers("100", "0")).replace(' format="html"', ""),
    ],
)
def test_the_schema_refuses_what_moodle_refuses(xml: str, schema) -> None:
    assert not schema.is_valid(xml)


# Written the way Moodle's own export writes a question: comments, CDATA, an embedded file,
# elements in its order, feedback on each answer.
MOODLE_SHAPED = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category><text>$course$/Default for course/Week 1</text></category>
  </question>
<!-- question: 2284  -->
  <question type="truefalse">
    <name><text>Referral (True)</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>Refer <b>at once</b> &amp; <img src="@@PLUGINFILE@@/a.png"/></p>]]></text>
<file name="a.png" path="/" encoding="base64">iVBORw0KGgo=</file>
    </questiontext>
    <generalfeedback format="html"><text></text></generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>1.0000000</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <answer fraction="100" format="moodle_auto_format">
      <text>true</text>
      <feedback format="html"><text><![CDATA[<p>Right.</p>]]></text></feedback>
    </answer>
    <answer fraction="0" format="moodle_auto_format">
      <text>false</text>
      <feedback format="html"><text></text></feedback>
    </answer>
  </question>
</quiz>
"""


@pytest.mark.parametrize(
    "xml",
    [
        _one_question(_answers("100", "0")),
        _one_question("<single>false</single>" + _answers("33.33333", "66.66667", "-50")),
        _one_question(_answers("0", "100", texts=("true", "false")), "truefalse"),
        _one_question(_answers("100", "50"), "shortanswer"),
        MOODLE_SHAPED,
    ],
)
def test_the_schema_accepts_what_moodle_accepts(xml: str, schema) -> None:
    assert schema.is_valid(xml), [str(e.reason) for e in schema.iter_errors(xml)]


# CSV: Python's csv and LibreOffice Calc --------------------------------------------------------


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def _as_calc_shows(cell: str) -> str:
    """Calc reads true/false in any case as a boolean and shows TRUE/FALSE."""
    return cell.upper() if cell.lower() in ("true", "false") else cell


@pytest.mark.parametrize("name", QUIZZES)
def test_csv_fields_round_trip(name: str, quizzes, files) -> None:
    quiz = quizzes[name]
    with files[name, "csv"].open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(quiz.items)
    for n, (item, row) in enumerate(zip(quiz.items, rows, strict=True), 1):
        options = item.options or []
        letters = "abcdefgh"[: len(options)]
        assert row["number"] == str(n) and row["id"] == item.id and row["kind"] == item.kind
        assert row["question"] == item.question
        assert [row[f"option_{x}"] for x in letters] == options
        assert row["answer"] == item.answer
        assert row["answer_letter"] == (letters[options.index(item.answer)] if options else "")
        assert row["also_accepted"] == " | ".join(item.accept)
        assert row["explanation"] == one_line(item.explanation)
        assert row["handbook"] == item.citation.title
        assert row["section"] == item.citation.section
        assert row["quote"] == one_line(item.citation.quote)
        assert row["chunk_id"] == item.citation.chunk_id
        assert row["edited"] == "false"


def test_libreoffice_reads_the_same_table(files, tmp_path: Path) -> None:
    missing = soffice_missing()
    if missing:
        pytest.skip(missing)
    paths = [files[name, "csv"] for name in QUIZZES]
    for path, cells in zip(paths, libreoffice_cells(paths, tmp_path), strict=True):
        expected = [[_as_calc_shows(cell) for cell in row] for row in _csv_rows(path)]
        # Calc drops trailing empty cells of a row.
        assert [row + [""] * (len(expected[0]) - len(row)) for row in cells] == expected


# Markdown: markdown-it ------------------------------------------------------------------------


@pytest.mark.parametrize("name", QUIZZES)
def test_markdown_handout_renders_with_its_answer_key(name: str, quizzes, files) -> None:
    quiz = quizzes[name]
    page = render_markdown(files[name, "md"].read_text(encoding="utf-8"))
    head, key = page.split("<h2>Answer key</h2>")
    questions_text, question_tags = html_text(head)
    key_text, key_tags = html_text(key)
    # Only the handout's own markup: nothing in the items became a link, code, tag or strike.
    allowed = {"h1", "h2", "p", "strong", "em", "blockquote"}
    assert set(question_tags) | set(key_tags) <= allowed
    assert html_text(page.split("</h1>")[0])[0] == one_line(quiz.title)
    flat_questions, flat_key = one_line(questions_text), one_line(key_text)
    for n, item in enumerate(quiz.items, 1):
        assert one_line(item.question) in flat_questions
        for option in item.options or []:
            assert one_line(option) in flat_questions
        answer = one_line(item.answer)
        if item.options:
            answer = f"{'ABCDEFGH'[item.options.index(item.answer)]}. {answer}"
        assert f"{n}. {answer}" in flat_key
        for accepted in item.accept:
            assert one_line(accepted) in flat_key
        assert one_line(item.explanation) in flat_key
        assert one_line(item.citation.quote) in flat_key
    assert "Answer key" not in questions_text
