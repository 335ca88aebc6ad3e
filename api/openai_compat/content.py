"""An answer as chat text: the answer, its notes, then its sources, readable in any chat tool.

The text is kept as pieces — the lead, each point, each note, the sources list — so a stream
sends exactly the pieces whose concatenation the non-streaming reply carries.
"""

from __future__ import annotations

from dataclasses import dataclass

from answer.service import Answer
from api.openai_compat.schemas import HavenExtra, Language
from api.schemas import AskResponse, CitationOut
from translation.messages import NOTE_LABEL, SOURCES_LABEL, message


@dataclass(frozen=True)
class Reply:
    pieces: list[str]
    haven: HavenExtra

    @property
    def content(self) -> str:
        return "".join(self.pieces)


def reply_for(answer: Answer) -> Reply:
    record = AskResponse.from_answer(answer)
    haven = HavenExtra(
        answered=record.answered,
        citations=record.citations,
        notes=record.notes,
        language=Language(
            lang=record.lang, detected_lang=record.detected_lang, answer_lang=record.answer_lang
        ),
    )
    # Labels in the answer's language, so a Spanish answer does not read "Note:" / "Sources:".
    note = message(NOTE_LABEL, record.answer_lang)[0]
    pieces = [*answer_pieces(answer), *(f"\n\n{note}: {n}" for n in record.notes)]
    if record.citations:
        pieces.append("\n\n" + sources_list(record.citations, record.answer_lang))
    return Reply(_trim_start(pieces), haven)


def answer_pieces(answer: Answer) -> list[str]:
    """The answer text (as `compose_body` lays it out) split at the lead and each point."""
    lead = answer.lead + (" " + answer.pointer_note if answer.pointer_note else "")
    points = [("\n\n" if i == 0 else "\n") + f"- {p}" for i, p in enumerate(answer.points)]
    return [lead, *points]


def sources_list(citations: list[CitationOut], lang: str = "en") -> str:
    # A Markdown list, so chat tools that render Markdown keep one source per line.
    label = message(SOURCES_LABEL, lang)[0]
    return f"{label}:\n" + "\n".join(f"- {citation_line(c)}" for c in citations)


def citation_line(c: CitationOut) -> str:
    """`[1] Title — Section › Subsection, pp. 12–13` (section and pages when known)."""
    line = f"[{c.n}] {c.title}"
    if c.section:
        line += f" — {c.section}"
    if c.page_start is not None:
        end = c.page_end
        line += (
            f", p. {c.page_start}" if end in (None, c.page_start) else f", pp. {c.page_start}–{end}"
        )
    return line


def _trim_start(pieces: list[str]) -> list[str]:
    """No empty pieces, and no blank lines before the first text (an answer without a lead)."""
    kept = [p for p in pieces if p]
    if kept:
        kept[0] = kept[0].lstrip()
    return [p for p in kept if p]
