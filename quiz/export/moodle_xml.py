"""Moodle XML (the format of Moodle's question bank import), built with ElementTree, and a
check of the structure Moodle's importer expects (run on every export).

mcq and scenario -> multichoice (single answer, shuffled), true_false -> truefalse,
fill_blank -> shortanswer (case-insensitive, every accepted spelling scores 100%)."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from quiz.constants import TRUE
from quiz.export.common import feedback, kind_label, short_answers
from quiz.schemas import QuizItem, QuizOut
from quiz.text import one_line

QUESTION_TYPES = {"category", "multichoice", "truefalse", "shortanswer"}
_TYPE = {
    "mcq": "multichoice",
    "scenario": "multichoice",
    "true_false": "truefalse",
    "fill_blank": "shortanswer",
}


class MoodleXmlError(ValueError):
    pass


# Characters XML 1.0 forbids (ElementTree writes them, and no parser reads the file back).
# Vertical tab and form feed, as Word and PDFs leave them, are line breaks.
_LINE_BREAKS = str.maketrans({"\v": "\n", "\f": "\n"})
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text.translate(_LINE_BREAKS))


def _text(parent: ET.Element, tag: str, value: str, fmt: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(el, "text").text = xml_safe(value)
    return el


def _para(text: str) -> str:
    return "<p>" + html.escape(xml_safe(text), quote=False).replace("\n", "<br>") + "</p>"


def _answer(parent: ET.Element, text: str, fraction: int, fmt: str) -> None:
    el = ET.SubElement(parent, "answer", {"fraction": str(fraction), "format": fmt})
    ET.SubElement(el, "text").text = xml_safe(text)
    fb = ET.SubElement(el, "feedback", {"format": "html"})
    ET.SubElement(fb, "text").text = ""


def _question(root: ET.Element, n: int, item: QuizItem) -> None:
    qtype = _TYPE[item.kind]
    q = ET.SubElement(root, "question", {"type": qtype})
    _text(q, "name", f"{n:02d} {kind_label(item.kind)}: {one_line(item.question)[:60]}")
    _text(q, "questiontext", _para(item.question), "html")
    _text(q, "generalfeedback", _para(feedback(item)), "html")
    ET.SubElement(q, "defaultgrade").text = "1.0000000"
    ET.SubElement(q, "penalty").text = "0.3333333" if qtype != "truefalse" else "1.0000000"
    ET.SubElement(q, "hidden").text = "0"
    ET.SubElement(q, "idnumber").text = item.id
    if qtype == "multichoice":
        ET.SubElement(q, "single").text = "true"
        ET.SubElement(q, "shuffleanswers").text = "true"
        ET.SubElement(q, "answernumbering").text = "abc"
        ET.SubElement(q, "showstandardinstruction").text = "0"
        for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
            _text(q, tag, "", "html")
        for option in item.options or []:
            _answer(q, _para(option), 100 if option == item.answer else 0, "html")
    elif qtype == "truefalse":
        truth = item.answer == TRUE
        _answer(q, "true", 100 if truth else 0, "moodle_auto_format")
        _answer(q, "false", 0 if truth else 100, "moodle_auto_format")
    else:
        ET.SubElement(q, "usecase").text = "0"
        for accepted in short_answers(item):
            _answer(q, accepted, 100, "moodle_auto_format")


def render(quiz: QuizOut) -> str:
    root = ET.Element("quiz")
    category = ET.SubElement(root, "question", {"type": "category"})
    _text(category, "category", f"$course$/top/Haven/{one_line(quiz.title).replace('/', '-')}")
    _text(category, "info", f"Drafted by Haven from the handbooks ({quiz.quiz_id}).", "html")
    for n, item in enumerate(quiz.items, 1):
        _question(root, n, item)
    ET.indent(root)
    xml = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    problems = validate(xml)
    if problems:
        raise MoodleXmlError("; ".join(problems))
    return xml


def _has_text(el: ET.Element | None) -> bool:
    return el is not None and el.find("text") is not None


def validate(xml: str) -> list[str]:
    """What Moodle's importer (question/format/xml) relies on: a <quiz> root of <question>
    elements of a known type, each with a name and question text; multichoice with answers
    of which exactly one scores 100 when single; truefalse with a true and a false answer;
    shortanswer with at least one answer scoring 100."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        return [f"not well-formed XML: {exc}"]
    if root.tag != "quiz":
        return [f"the root is <{root.tag}>, not <quiz>"]
    problems: list[str] = []
    for i, q in enumerate(root, 1):
        qtype = q.get("type", "")
        where = f"question {i} ({qtype or 'no type'})"
        if q.tag != "question" or qtype not in QUESTION_TYPES:
            problems.append(f"{where}: not a question of a known type")
            continue
        if qtype == "category":
            if not _has_text(q.find("category")):
                problems.append(f"{where}: no category path")
            continue
        if not _has_text(q.find("name")) or not (q.findtext("name/text") or "").strip():
            problems.append(f"{where}: no name")
        text = q.find("questiontext")
        if not _has_text(text) or text is None or text.get("format") is None:
            problems.append(f"{where}: no question text with a format")
        answers = q.findall("answer")
        fractions = []
        for a in answers:
            try:
                fractions.append(float(a.get("fraction", "")))
            except ValueError:
                problems.append(f"{where}: an answer without a numeric fraction")
            if a.find("text") is None:
                problems.append(f"{where}: an answer without text")
        if qtype == "multichoice":
            if len(answers) < 2:
                problems.append(f"{where}: fewer than two answers")
            if q.findtext("single") == "true" and fractions.count(100.0) != 1:
                problems.append(f"{where}: a single-answer question needs one answer at 100")
        elif qtype == "truefalse":
            texts = sorted((a.findtext("text") or "").strip().lower() for a in answers)
            if texts != ["false", "true"] or sorted(fractions) != [0.0, 100.0]:
                problems.append(f"{where}: needs a true and a false answer, one at 100")
        elif qtype == "shortanswer" and 100.0 not in fractions:
            problems.append(f"{where}: no answer at 100")
    return problems
