"""Quiz fixtures: the small handbooks chunked by the real pipeline, without the embedding model
(fast); the full-corpus fixtures of tests/conftest.py serve the integration tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.schemas import CitationOut
from quiz.pool import StatementPool
from quiz.schemas import QuizItem, QuizOut
from tests.conftest import CORPUS, SMALL_CORPUS_FILES


@pytest.fixture(scope="session")
def small_chunks():
    from ingest.catalog import load_catalog
    from ingest.chunker import ChunkerConfig
    from ingest.pipeline import chunk_file

    catalog = load_catalog(CORPUS / "catalog.toml")
    chunks = []
    titles = {}
    for name in SMALL_CORPUS_FILES:
        path = Path(CORPUS / name)
        info = catalog.info_for(path)
        titles[info.doc_id] = info.title
        chunks.extend(c for c in chunk_file(path, info, ChunkerConfig()) if c.kind == "body")
    return chunks, titles


@pytest.fixture(scope="session")
def small_pool(small_chunks) -> StatementPool:
    chunks, titles = small_chunks
    return StatementPool(chunks, None, titles)


def citation(quote: str, **extra: object) -> CitationOut:
    fields: dict[str, object] = {
        "n": 1,
        "chunk_id": "c1",
        "doc_id": "rso-first-responders",
        "title": "Guide for first responders",
        "section": "First encounter",
        "page_start": 4,
        "page_end": 4,
        "quote": quote,
    }
    fields.update(extra)
    return CitationOut(**fields)  # type: ignore[arg-type]


def make_item(**fields: object) -> QuizItem:
    base: dict[str, object] = {
        "id": "q1",
        "kind": "mcq",
        "question": "Which should you do?",
        "options": None,
        "answer": "",
        "explanation": "Because the guide says so.",
        "basis": "recommended",
    }
    base.update(fields)
    if "citation" not in base:
        base["citation"] = citation("Do not handcuff or restrain them.")
    return QuizItem(**base)  # type: ignore[arg-type]


def make_quiz(items: list[QuizItem], title: str = "Test quiz") -> QuizOut:
    return QuizOut(
        quiz_id="quiz1",
        title=title,
        topic=None,
        doc_ids=None,
        sections=None,
        kinds=["mcq"],
        n=len(items),
        lang="en",
        requested_lang=None,
        seed=1,
        generator="extractive",
        created_at="2026-01-01T00:00:00+00:00",
        updated_at="2026-01-01T00:00:00+00:00",
        notes=[],
        items=items,
    )
