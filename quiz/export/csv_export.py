"""CSV: one row per item, one column per option, the answer key and the citation alongside
(for spreadsheets and learning platforms that import tables)."""

from __future__ import annotations

import csv
import io

from quiz.phrasing import where
from quiz.schemas import QuizOut
from quiz.text import one_line

MIN_OPTION_COLUMNS = 4


def render(quiz: QuizOut) -> str:
    width = max([MIN_OPTION_COLUMNS, *(len(i.options or []) for i in quiz.items)])
    header = [
        "number",
        "id",
        "kind",
        "question",
        *(f"option_{chr(ord('a') + i)}" for i in range(width)),
        "answer",
        "answer_letter",
        "also_accepted",
        "explanation",
        "handbook",
        "section",
        "pages",
        "quote",
        "chunk_id",
        "edited",
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for n, item in enumerate(quiz.items, 1):
        options = item.options or []
        letter = chr(ord("a") + options.index(item.answer)) if item.answer in options else ""
        c = item.citation
        pages = where("", c.page_start, c.page_end)
        writer.writerow(
            [
                n,
                item.id,
                item.kind,
                item.question,
                *options,
                *([""] * (width - len(options))),
                item.answer,
                letter,
                " | ".join(item.accept),
                one_line(item.explanation),
                c.title,
                c.section,
                pages,
                one_line(c.quote),
                c.chunk_id,
                str(item.edited).lower(),
            ]
        )
    return out.getvalue()
