"""A Markdown handout: the questions to print for a session, then the answer key with each
explanation and the cited passage."""

from __future__ import annotations

import re

from quiz.constants import BLANK
from quiz.export.common import kind_label, source_line
from quiz.schemas import QuizItem, QuizOut
from quiz.text import one_line

# Inline markup, and the & of an entity (&amp; must stay those five characters).
_SPECIAL = re.compile(r"([\\`*\[\]<>|~]|&(?=#?\w+;))")
# What opens a heading, list or setext underline at the start of a line.
_BLOCK_START = re.compile(r"^([#+=-]|\d+(?=[.)]))")


def md(text: str) -> str:
    """Escape what Markdown would read as markup; the blank stays a line of underscores."""
    parts = one_line(text).split(BLANK)
    escaped = r"\_\_\_\_\_".join(_SPECIAL.sub(r"\\\1", p).replace("_", r"\_") for p in parts)
    return _BLOCK_START.sub(_escape_block_start, escaped)


def _escape_block_start(match: re.Match[str]) -> str:
    marker = match.group(1)
    return marker + "\\" if marker.isdigit() else "\\" + marker


def _letter(i: int) -> str:
    return chr(ord("A") + i)


def _question(n: int, item: QuizItem) -> list[str]:
    lines = [f"**{n}.** *{kind_label(item.kind)}* — {md(item.question)}", ""]
    if item.options:
        lines += [f"   {_letter(i)}. {md(o)}" for i, o in enumerate(item.options)]
    elif item.kind == "true_false":
        lines.append("   ☐ True   ☐ False")
    else:
        lines.append("   Answer: ______________________")
    return [*lines, ""]


def _key(n: int, item: QuizItem) -> list[str]:
    answer = md(item.answer)
    if item.options and item.answer in item.options:
        answer = f"{_letter(item.options.index(item.answer))}. {answer}"
    if item.accept:
        answer += " (also accepted: " + ", ".join(md(a) for a in item.accept) + ")"
    return [
        f"**{n}.** {answer}",
        "",
        f"{md(item.explanation)}",
        "",
        f"> {md(item.citation.quote)}",
        ">",
        f"> — {md(source_line(item))}",
        "",
    ]


def render(quiz: QuizOut) -> str:
    lines = [f"# {md(quiz.title)}", ""]
    if quiz.topic:
        lines += [f"Topic: {md(quiz.topic)}", ""]
    lines += [
        "Drafted by Haven from the anti-trafficking handbooks; each answer cites its passage. "
        "Reviewed by the trainer before use.",
        "",
        "## Questions",
        "",
    ]
    for n, item in enumerate(quiz.items, 1):
        lines += _question(n, item)
    lines += ["## Answer key", ""]
    for n, item in enumerate(quiz.items, 1):
        lines += _key(n, item)
    return "\n".join(lines).rstrip() + "\n"
