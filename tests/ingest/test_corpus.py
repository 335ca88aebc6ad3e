"""The real corpus: every dev-set evidence string is in a chunk of its handbook, on its page."""

from __future__ import annotations

import re
import time

from ingest.catalog import Catalog
from ingest.chunker import ChunkerConfig
from ingest.matching import normalize_for_match
from ingest.pipeline import chunk_file, discover
from ingest.records import Chunk
from tests.ingest.conftest import CORPUS

URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$", re.MULTILINE)


def as_list(value: object) -> list[object]:
    return value if isinstance(value, list) else [value]


def test_every_dev_evidence_string_is_in_a_chunk_on_its_page(
    dev_questions: list[dict[str, object]],
    corpus_chunks: dict[str, list[Chunk]],
    doc_ids: dict[str, str],
) -> None:
    normalized_docs = {
        doc_id: [(normalize_for_match(chunk.text), chunk) for chunk in chunks]
        for doc_id, chunks in corpus_chunks.items()
    }
    checked = 0
    for question in dev_questions:
        evidence = question.get("evidence") or []
        if not evidence or not question.get("doc"):
            continue
        files = as_list(question["doc"])
        pages = as_list(question.get("page"))
        pages = pages if len(pages) == len(files) else [pages[0]] * len(files)
        normalized = [
            (text, chunk, page)
            for file, page in zip(files, pages, strict=True)
            for text, chunk in normalized_docs[doc_ids[str(file)]]
        ]
        for text in as_list(evidence):
            needle = normalize_for_match(str(text))
            hits = [(chunk, page) for haystack, chunk, page in normalized if needle in haystack]
            assert hits, f"{question['id']}: evidence not in any chunk: {text!r}"
            on_page = [
                chunk
                for chunk, page in hits
                if page is None
                or (
                    chunk.page_start is not None
                    and chunk.page_end is not None
                    and chunk.page_start <= int(page) <= chunk.page_end  # type: ignore[call-overload]
                )
            ]
            assert on_page, f"{question['id']}: {text!r} found, but not on page {pages}"
            checked += 1
    assert checked >= 30


def test_footnotes_are_chunked_apart_from_body_text(corpus_chunks: dict[str, list[Chunk]]) -> None:
    asean = corpus_chunks["asean-do-no-harm"]
    note = "The TWG met in person in Jakarta on 6-7 June 2022"
    assert any(note in c.text for c in asean if c.kind == "footnote")
    assert not any(note in c.text for c in asean if c.kind == "body")
    assert all(c.page_start is not None for c in asean if c.kind == "footnote")
    osce = corpus_chunks["osce-nrm-handbook"]
    reference = "National Referral Mechanisms - Joining Efforts to Protect the Rights of Traffick"
    assert any(reference in c.text for c in osce if c.kind == "footnote")
    assert not any(reference in c.text for c in osce if c.kind == "body")
    for chunks in corpus_chunks.values():
        for chunk in chunks:
            if chunk.kind == "body":
                assert not URL_LINE.search(chunk.text), chunk.text[:120]


def test_cleaning_leaves_no_tabs_glyphs_or_form_lines(
    corpus_chunks: dict[str, list[Chunk]],
) -> None:
    for chunks in corpus_chunks.values():
        for chunk in chunks:
            assert "\t" not in chunk.text
            assert "......" not in chunk.text and "____" not in chunk.text
            assert not re.search(r"(?m)^[•·▪◦●❑\ufffd\ue000-\uf8ff]", chunk.text)
    asean = " ".join(c.text for c in corpus_chunks["asean-do-no-harm"])
    assert "Photo by" not in asean
    # The running footer is gone; the foreword still names the guide once, in a sentence.
    assert asean.count("Guide for Frontline Responders: Safeguarding") == 1


def test_pages_of_space_marked_handbooks(corpus_chunks: dict[str, list[Chunk]]) -> None:
    expected_last_page = {"rso-first-responders": 12, "nexus-practitioner-guide": 31}
    for doc_id, last in expected_last_page.items():
        chunks = corpus_chunks[doc_id]
        assert chunks[0].page_start == 1
        assert max(c.page_end or 0 for c in chunks) == last
        assert all(c.page_start is not None and c.page_start <= (c.page_end or 0) for c in chunks)
    assert max(c.page_end or 0 for c in corpus_chunks["asean-do-no-harm"]) == 95


def test_the_whole_corpus_chunks_in_a_few_seconds() -> None:
    catalog = Catalog()
    start = time.perf_counter()
    for path in discover([CORPUS]):
        chunk_file(path, catalog.info_for(path), ChunkerConfig())
    # About 3 s on a laptop core; the bound leaves room for a busy CI machine.
    assert time.perf_counter() - start < 20
