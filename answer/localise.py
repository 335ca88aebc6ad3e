"""An answer in the asker's language: an English basis for judging the question, and
translating the composed answer (lead, points, notes, quotes) afterwards. Which language the
question is in is translation.detect's to say; the translation package only translates texts.

Answers are always composed in English from the English handbooks; only then are the lead,
the points and the notes translated. Each citation keeps the handbook's own words in `quote`
and gets `translation` beside it. With no backend for the language the answer stays in English
with a note saying why, in the asker's language when a fixed translation of it ships.
"""

from __future__ import annotations

import dataclasses
import re

from answer.records import Answer, compose_body
from index.lexicon import load_lexicon
from index.vocabulary import render_english
from translation.languages import SOURCE_LANG
from translation.messages import MACHINE_TRANSLATED, NO_BACKEND, TRANSLATION_FAILED, message
from translation.policy import from_english
from translation.service import TranslationService

_MARKS = re.compile(r"(?:\s*\[\d+\])+\s*$")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&]{1,9}\b")
# An age describes the person in front of the practitioner, not a figure the handbooks must
# contain (the English check drops "15-year-old" the same way): "14-летняя", "tiene 16",
# "15 ปี", "berusia 16". A word-by-word rendering would lose the cue and keep the number.
_FOREIGN_AGE = re.compile(
    r"(?<!\d)\d{1,2}\s*-?\s*(?:летн\w*|лет\b|года?\b|años?\b|ans?\b|tahun\b|tuổi|ปี|ขวบ)"
    r"|(?:лет на|ему|ей|tiene|tenía|avoir|berusia|umur|usia|อายุ)\s*\d{1,2}(?!\d)",
    re.IGNORECASE,
)


def english_basis(question: str, lang: str, translated: str | None) -> str:
    """English text standing for the question, for the parts of Haven that read English."""
    if lang == SOURCE_LANG:
        return question
    if translated:
        return translated
    # Word by word, one English word for each known word: a longer list of every sense
    # would dilute how much of "the question" a passage sentence seems to cover.
    rendering = render_english(_FOREIGN_AGE.sub(" ", question), lang, senses=1)
    terms = [*dict.fromkeys(_ACRONYM.findall(question)), rendering]
    if not rendering:
        terms.extend(load_lexicon().expand(question, lang))
    return " ".join(t for t in terms if t) or question


def localise_answer(answer: Answer, target: str, service: TranslationService | None) -> None:
    """Translate the answer in place into `target`, or say why it stays in English (the policy
    is translation.policy's, shared with quiz items)."""
    answer.answer_lang = SOURCE_LANG
    notes = [(_MARKS.sub("", n), _marks(n)) for n in answer.notes]
    segments = [
        answer.lead_parts[0] if answer.lead_parts else answer.lead,
        answer.pointer_note,
        *(text for text, _ in answer.point_parts),
        *(text for text, _ in notes),
        *(c.quote for c in answer.citations),
    ]
    rendering = from_english(segments, target, service)
    if rendering.outcome == "no-backend":
        answer.notes.append(message(NO_BACKEND, target)[0])
    elif rendering.outcome == "failed":
        answer.notes.append(message(TRANSLATION_FAILED, target)[0])
    elif rendering.outcome == "translated":
        _apply(answer, rendering.texts, notes, target, rendering.backend)


def _apply(
    answer: Answer,
    out: list[str],
    notes: list[tuple[str, str]],
    target: str,
    backend: str,
) -> None:
    lead, pointer, rest = out[0], out[1], out[2:]
    n_points = len(answer.point_parts)
    point_texts, rest = rest[:n_points], rest[n_points:]
    note_texts, quotes = rest[: len(notes)], rest[len(notes) :]
    parts = [(t, marks) for t, (_, marks) in zip(point_texts, answer.point_parts, strict=True)]
    answer.point_parts = parts
    answer.points = [f"{t} {marks}".strip() for t, marks in parts]
    if answer.lead_parts is not None:
        answer.lead_parts = (lead, answer.lead_parts[1])
        lead = f"{lead} {answer.lead_parts[1]}".strip()
    answer.lead = lead
    answer.pointer_note = pointer
    answer.answer = compose_body(lead, pointer, answer.points)
    answer.notes = [f"{t} {marks}".strip() for t, (_, marks) in zip(note_texts, notes, strict=True)]
    answer.notes.append(message(MACHINE_TRANSLATED, target, backend=backend)[0])
    answer.citations = [
        dataclasses.replace(c, translation=q) for c, q in zip(answer.citations, quotes, strict=True)
    ]
    answer.answer_lang = target


def _marks(text: str) -> str:
    found = _MARKS.search(text)
    return found.group(0).strip() if found else ""
