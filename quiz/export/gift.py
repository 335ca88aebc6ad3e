"""Moodle GIFT. Every text is HTML-escaped (questions are marked [html]) and then GIFT-escaped:
a backslash before each of ~ = # { } : and before a backslash, newlines as \\n.

mcq and scenario -> multiple choice, true_false -> TRUE/FALSE, fill_blank -> short answer
(the blank stays as _____ in the text, the accepted answers follow in braces, * escaped as
Moodle's short answers need)."""

from __future__ import annotations

import html

from quiz.constants import TRUE
from quiz.export.common import feedback, kind_label, short_answers, source_line
from quiz.schemas import QuizItem, QuizOut
from quiz.text import one_line

SPECIAL = "~=#{}:"


def escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for ch in SPECIAL:
        text = text.replace(ch, "\\" + ch)
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def _html(text: str) -> str:
    return escape(html.escape(text, quote=False))


def _question(n: int, item: QuizItem) -> str:
    title = escape(f"{n}. {kind_label(item.kind)}")
    general = "####" + _html(feedback(item))
    head = f"// {item.id} · {one_line(source_line(item))}"
    text = f"::{title}::[html]{_html(item.question)}"
    if item.kind in ("mcq", "scenario"):
        lines = [
            ("=" if option == item.answer else "~") + _html(option) for option in item.options or []
        ]
        body = "{\n" + "\n".join(lines) + "\n" + general + "\n}"
    elif item.kind == "true_false":
        body = "{" + ("TRUE" if item.answer == TRUE else "FALSE") + general + "}"
    else:
        body = "{" + " ".join("=" + escape(a) for a in short_answers(item)) + general + "}"
    return f"{head}\n{text}{body}"


def render(quiz: QuizOut) -> str:
    header = [
        # A comment is one line: a newline in the title would start GIFT text.
        f"// {one_line(quiz.title)}",
        "// Drafted by Haven from the handbooks; every answer cites its passage.",
        "",
    ]
    blocks = [_question(i, item) for i, item in enumerate(quiz.items, 1)]
    return "\n".join(header) + "\n\n".join(blocks) + "\n"
