"""`haven enrich`: questions for the indexed passages that have none, written to the data folder.

Reads the current index (so chunk ids are exactly those ingest made), asks the writer for each
content passage missing from the question bank, and keeps one file per document in
`<data_dir>/enrichment/`. The file is rewritten every few passages, so an interrupted run keeps
what it wrote; entries for passages that no longer exist are dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from enrich.writer import QuestionWriter
from index.enrichment import (
    PassageQuestions,
    QuestionBank,
    read_questions_file,
    write_questions_file,
)
from index.sqlite_store import ChunkStore

SAVE_EVERY = 10  # passages between saves


@dataclass
class EnrichReport:
    written: dict[str, int] = field(default_factory=dict)  # doc id -> passages enriched now
    unusable: dict[str, int] = field(default_factory=dict)  # doc id -> replies with nothing
    already: dict[str, int] = field(default_factory=dict)  # doc id -> passages that had some

    @property
    def total_written(self) -> int:
        return sum(self.written.values())


def enrich_missing(
    store: ChunkStore,
    bank: QuestionBank,
    writer: QuestionWriter,
    out_dir: Path,
    doc_ids: Sequence[str] | None = None,
    limit: int | None = None,
    on_passage: Callable[[str], None] | None = None,
) -> EnrichReport:
    """Enrich the passages of the given documents (all when None) that have no questions;
    at most `limit` passages in all. GeneratorError propagates after saving what was done."""
    report = EnrichReport()
    budget = limit
    for doc in store.documents():
        doc_id = doc.info.doc_id
        if doc_ids and doc_id not in doc_ids:
            continue
        chunks = [c for c, _ in store.iter_chunks(doc_id) if c.kind == "body"]
        live = {c.chunk_id for c in chunks}
        path = out_dir / f"{doc_id}.jsonl"
        existing = _existing(path)
        kept = [e for e in existing if e.chunk_id in live]
        done = {e.chunk_id for e in kept}
        missing = [c for c in chunks if c.chunk_id not in bank and c.chunk_id not in done]
        report.already[doc_id] = len(chunks) - len(missing)
        new: list[PassageQuestions] = []
        try:
            for chunk in missing:
                if budget is not None and budget <= 0:
                    break
                if budget is not None:
                    budget -= 1
                entry = writer.write(chunk, doc.info.title)
                if entry is None:
                    report.unusable[doc_id] = report.unusable.get(doc_id, 0) + 1
                else:
                    new.append(entry)
                    if len(new) % SAVE_EVERY == 0:
                        write_questions_file(path, kept + new)
                if on_passage:
                    on_passage(doc_id)
        finally:
            if new or len(kept) != len(existing):
                write_questions_file(path, kept + new)
            report.written[doc_id] = len(new)
    return report


def _existing(path: Path) -> list[PassageQuestions]:
    return list(read_questions_file(path)) if path.is_file() else []
