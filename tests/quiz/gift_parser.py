"""A parser for the GIFT this project writes (and the common core of the format), used to
check that exports read back as the same questions."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_ESCAPED = {
    "\\\\": "\\",
    "\\~": "~",
    "\\=": "=",
    "\\#": "#",
    "\\{": "{",
    "\\}": "}",
    "\\:": ":",
    "\\n": "\n",
}
_TOKEN = re.compile(r"\\[\\~=#{}:n]")


class GiftError(ValueError):
    pass


@dataclass
class GiftAnswer:
    text: str
    correct: bool
    feedback: str = ""


@dataclass
class GiftQuestion:
    title: str
    text: str
    kind: str  # "multichoice", "truefalse", "shortanswer", "description"
    text_format: str = "moodle"
    answers: list[GiftAnswer] = field(default_factory=list)
    truth: bool | None = None
    general_feedback: str = ""


def unescape(text: str) -> str:
    return _TOKEN.sub(lambda m: _ESCAPED[m.group(0)], text)


def _split_unescaped(text: str, marks: str) -> list[tuple[str, str]]:
    """Pieces of text each led by one of the marks (the first piece's mark is '')."""
    pieces: list[tuple[str, str]] = []
    current, mark = [], ""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if ch in marks:
            pieces.append((mark, "".join(current)))
            current, mark = [], ch
            i += 1
            continue
        current.append(ch)
        i += 1
    pieces.append((mark, "".join(current)))
    return pieces


def _find_unescaped(text: str, ch: str, start: int = 0) -> int:
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == ch:
            return i
        i += 1
    return -1


def _decode(text: str, fmt: str) -> str:
    text = unescape(text.strip())
    return html.unescape(text) if fmt == "html" else text


def _blocks(source: str) -> list[str]:
    lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith("//")]
    blocks, current = [], []
    for line in lines:
        if line.strip():
            current.append(line)
        elif current:
            blocks.append("\n".join(current))
            current = []
    if current:
        blocks.append("\n".join(current))
    return [b for b in blocks if not b.startswith("$CATEGORY")]


def parse(source: str) -> list[GiftQuestion]:
    return [_question(block) for block in _blocks(source)]


def _question(block: str) -> GiftQuestion:
    title = ""
    rest = block
    if rest.startswith("::"):
        end = rest.find("::", 2)
        while end != -1 and rest[end - 1] == "\\":
            end = rest.find("::", end + 1)
        if end == -1:
            raise GiftError(f"unclosed title in {block[:60]!r}")
        title, rest = unescape(rest[2:end]), rest[end + 2 :]
    fmt = "moodle"
    if m := re.match(r"\[(html|moodle|plain|markdown)\]", rest):
        fmt, rest = m.group(1), rest[m.end() :]
    open_at = _find_unescaped(rest, "{")
    if open_at == -1:
        return GiftQuestion(title, _decode(rest, fmt), "description", fmt)
    close_at = _find_unescaped(rest, "}", open_at)
    if close_at == -1:
        raise GiftError(f"unclosed answer block in {block[:60]!r}")
    text = rest[:open_at] + rest[close_at + 1 :]
    return _answers(title, _decode(text, fmt), fmt, rest[open_at + 1 : close_at])


def _answers(title: str, text: str, fmt: str, body: str) -> GiftQuestion:
    general = ""
    cut = body.find("####")
    while cut > 0 and body[cut - 1] == "\\":
        cut = body.find("####", cut + 1)
    if cut != -1:
        body, general = body[:cut], _decode(body[cut + 4 :], fmt)
    stripped = body.strip()
    head = stripped.split("#", 1)[0].strip().upper()
    if head in ("T", "TRUE", "F", "FALSE"):
        return GiftQuestion(
            title, text, "truefalse", fmt, truth=head.startswith("T"), general_feedback=general
        )
    answers = []
    for mark, piece in _split_unescaped(stripped, "=~"):
        if not mark:
            if piece.strip():
                raise GiftError(f"text before the first answer: {piece[:40]!r}")
            continue
        parts = _split_unescaped(piece, "#")
        answer_text = parts[0][1]
        note = parts[1][1] if len(parts) > 1 else ""
        answers.append(GiftAnswer(_decode(answer_text, fmt), mark == "=", _decode(note, fmt)))
    if not answers:
        raise GiftError(f"no answers in {title!r}")
    kind = "multichoice" if any(not a.correct for a in answers) else "shortanswer"
    if kind == "shortanswer":
        answers = [GiftAnswer(unescape(a_raw.strip()), True) for a_raw in _raw_answers(stripped)]
    return GiftQuestion(title, text, kind, fmt, answers, general_feedback=general)


def _raw_answers(body: str) -> list[str]:
    """Short-answer texts are not HTML (Moodle compares them with what the learner types)."""
    return [piece for mark, piece in _split_unescaped(body, "=") if mark]
