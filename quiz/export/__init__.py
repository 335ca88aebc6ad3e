"""Exports for learning platforms and print: Moodle GIFT, Moodle XML, CSV and a Markdown
handout with an answer key and the citations."""

from __future__ import annotations

import re
from dataclasses import dataclass

from quiz.constants import ExportFormat
from quiz.export import csv_export, gift, markdown, moodle_xml
from quiz.schemas import QuizOut


@dataclass(frozen=True)
class Export:
    content: str
    media_type: str
    filename: str


_EXTENSIONS: dict[str, tuple[str, str]] = {
    "gift": ("txt", "text/plain; charset=utf-8"),
    "moodle_xml": ("xml", "application/xml; charset=utf-8"),
    "csv": ("csv", "text/csv; charset=utf-8"),
    "md": ("md", "text/markdown; charset=utf-8"),
}


def filename_stem(title: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()[:60]
    return stem or "quiz"


def render(quiz: QuizOut, fmt: ExportFormat) -> Export:
    renderers = {
        "gift": gift.render,
        "moodle_xml": moodle_xml.render,
        "csv": csv_export.render,
        "md": markdown.render,
    }
    ext, media_type = _EXTENSIONS[fmt]
    suffix = "-gift" if fmt == "gift" else ""
    return Export(renderers[fmt](quiz), media_type, f"{filename_stem(quiz.title)}{suffix}.{ext}")
