"""Hypothetical questions per passage: index-time enrichment (doc2query, multi-vector).

Each content passage carries questions it answers, written the way practitioners ask, in
English and in the languages they work in. They live beside the corpus as data,
`corpus/enrichment/<doc_id>.jsonl`, one passage a line:

    {"chunk_id": "…", "questions": {"en": ["…", "…"], "es": ["…"], …}}

A chunk id is a hash of the document id and the passage text, so a passage keeps its
questions through re-ingest and re-chunking for as long as its text is unchanged; a changed
passage simply has none until `haven enrich` writes them. Files written by `haven enrich`
for uploads and changed handbooks go to the data folder and are read after the shipped ones.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# The languages the shipped questions are written in; other codes load too.
QUESTION_LANGS = ("en", "es", "fr", "ru", "id", "vi", "th")
MAX_QUESTION_CHARS = 500


class EnrichmentFileError(ValueError):
    """A questions file that cannot be read: names the file and line."""


@dataclass(frozen=True)
class PassageQuestions:
    chunk_id: str
    questions: Mapping[str, tuple[str, ...]]  # language code -> questions

    def to_json(self) -> str:
        by_lang = {lang: list(qs) for lang, qs in self.questions.items()}
        return json.dumps({"chunk_id": self.chunk_id, "questions": by_lang}, ensure_ascii=False)

    def count(self) -> int:
        return sum(len(v) for v in self.questions.values())


class QuestionBank:
    """Questions by chunk id, from every enrichment file found."""

    def __init__(self, entries: Mapping[str, PassageQuestions] | None = None) -> None:
        self._entries: dict[str, PassageQuestions] = dict(entries or {})

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, chunk_id: object) -> bool:
        return chunk_id in self._entries

    def get(self, chunk_id: str) -> PassageQuestions | None:
        return self._entries.get(chunk_id)

    def questions(self, chunk_id: str) -> list[tuple[str, str]]:
        """(language, question) pairs for a passage; empty when it has none."""
        entry = self._entries.get(chunk_id)
        if entry is None:
            return []
        return [(lang, q) for lang, qs in entry.questions.items() for q in qs]

    @classmethod
    def load(cls, folders: Iterable[Path]) -> QuestionBank:
        """Every `*.jsonl` in the folders that exist; a later folder overrides an earlier one
        for the same passage."""
        entries: dict[str, PassageQuestions] = {}
        for folder in folders:
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.jsonl")):
                for entry in read_questions_file(path):
                    entries[entry.chunk_id] = entry
        return cls(entries)


def read_questions_file(path: Path) -> Iterator[PassageQuestions]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield _parse_line(line, f"{path.name}:{number}")


def _parse_line(line: str, where: str) -> PassageQuestions:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise EnrichmentFileError(f"{where}: not JSON ({exc.msg})") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("chunk_id"), str):
        raise EnrichmentFileError(f"{where}: needs a string chunk_id")
    by_lang = raw.get("questions")
    if not isinstance(by_lang, dict):
        raise EnrichmentFileError(f"{where}: needs a questions object (language -> list)")
    questions: dict[str, tuple[str, ...]] = {}
    for lang, items in by_lang.items():
        if not isinstance(items, list) or not all(isinstance(q, str) for q in items):
            raise EnrichmentFileError(f"{where}: questions[{lang!r}] must be a list of strings")
        kept = tuple(dict.fromkeys(q.strip()[:MAX_QUESTION_CHARS] for q in items if q.strip()))
        if kept:
            questions[str(lang)] = kept
    return PassageQuestions(raw["chunk_id"], questions)


def write_questions_file(path: Path, entries: Sequence[PassageQuestions]) -> None:
    """Write atomically: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".jsonl.tmp")
    tmp.write_text("".join(e.to_json() + "\n" for e in entries), encoding="utf-8")
    os.replace(tmp, path)
