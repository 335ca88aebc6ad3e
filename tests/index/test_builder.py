"""Incremental re-ingest, bad files, and the interrupted-ingest guarantee (fake embedder: fast)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.builder import IndexBuilder
from index.config import chunker_config
from index.embedder import Embedder
from index.errors import IndexMismatchError, IndexNotFoundError
from index.fake_embedder import FakeEmbedder
from index.layout import IndexLayout
from index.retriever import RetrievalConfig, open_retriever
from ingest.catalog import load_catalog
from tests.conftest import CORPUS, make_settings


class CountingEmbedder(FakeEmbedder):
    def __init__(self, fail_after: int | None = None) -> None:
        super().__init__()
        self.embedded = 0
        self.fail_after = fail_after

    def embed_passages(self, texts):  # type: ignore[no-untyped-def]
        if self.fail_after is not None and self.embedded + len(texts) > self.fail_after:
            raise KeyboardInterrupt("simulated interruption")
        self.embedded += len(texts)
        return super().embed_passages(texts)


def _corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("rso-child-victims-first-responders.txt", "iom-ilo-migration-officers-leaflet.md"):
        shutil.copy(CORPUS / name, folder / name)
    return folder


def _builder(tmp_path: Path, embedder: Embedder) -> IndexBuilder:
    settings = make_settings(tmp_path / "data")
    return IndexBuilder(
        settings.index_dir,
        embedder,
        chunker_config(settings),
        load_catalog(CORPUS / "catalog.toml"),
    )


def _open(tmp_path: Path, embedder: Embedder):  # type: ignore[no-untyped-def]
    from index.builder import chunker_fingerprint

    settings = make_settings(tmp_path / "data")
    return open_retriever(
        settings.index_dir,
        embedder,
        chunker_fingerprint(chunker_config(settings)),
        "Flat",
        RetrievalConfig(),
    )


def test_first_build_then_nothing_to_do(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    embedder = CountingEmbedder()
    first = _builder(tmp_path, embedder).build([corpus])
    assert first.changed and sorted(first.added) == [
        "iom-ilo-migration-leaflet",
        "rso-first-responders",
    ]
    assert embedder.embedded == first.chunks > 0
    again = _builder(tmp_path, embedder).build([corpus])
    assert not again.changed
    assert embedder.embedded == first.chunks  # nothing re-embedded
    assert again.chunks == first.chunks


def test_changed_document_is_the_only_one_embedded(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    embedder = CountingEmbedder()
    first = _builder(tmp_path, embedder).build([corpus])
    leaflet = corpus / "iom-ilo-migration-officers-leaflet.md"
    leaflet.write_text(
        leaflet.read_text(encoding="utf-8") + "\n\n## New section\n\nCall the duty prosecutor.\n",
        encoding="utf-8",
    )
    before = embedder.embedded
    second = _builder(tmp_path, embedder).build([corpus])
    assert second.updated == ["iom-ilo-migration-leaflet"]
    assert second.unchanged == ["rso-first-responders"]
    retriever = _open(tmp_path, embedder)
    leaflet_chunks = retriever.documents["iom-ilo-migration-leaflet"].chunk_count
    assert embedder.embedded - before == leaflet_chunks
    hits = retriever.search("duty prosecutor", 3, mode="keyword")
    assert "duty prosecutor" in hits[0].chunk.text
    assert second.chunks >= first.chunks


def test_removed_document_is_dropped(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    embedder = CountingEmbedder()
    _builder(tmp_path, embedder).build([corpus])
    (corpus / "iom-ilo-migration-officers-leaflet.md").unlink()
    report = _builder(tmp_path, embedder).build([corpus])
    assert report.removed == ["iom-ilo-migration-leaflet"]
    retriever = _open(tmp_path, embedder)
    assert list(retriever.documents) == ["rso-first-responders"]
    assert retriever.vectors.size == retriever.store.chunk_count()


def test_bad_files_are_skipped_and_the_rest_ingests(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<")
    (corpus / "latin1.txt").write_bytes("Protección de víctimas".encode("latin-1"))
    report = _builder(tmp_path, CountingEmbedder()).build([corpus])
    assert len(report.skipped) == 3
    joined = "\n".join(report.skipped)
    for name in ("empty.txt", "broken.pdf", "latin1.txt"):
        assert name in joined
    assert sorted(report.added) == ["iom-ilo-migration-leaflet", "rso-first-responders"]


def test_a_file_that_breaks_keeps_its_previous_version(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    embedder = CountingEmbedder()
    first = _builder(tmp_path, embedder).build([corpus])
    (corpus / "iom-ilo-migration-officers-leaflet.md").write_bytes(b"\xff\xfe\x00bad")
    report = _builder(tmp_path, embedder).build([corpus])
    assert report.kept_previous == ["iom-ilo-migration-leaflet"]
    assert report.chunks == first.chunks


def test_interrupted_ingest_leaves_previous_index_serving(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    _builder(tmp_path, CountingEmbedder()).build([corpus])
    layout = IndexLayout(make_settings(tmp_path / "data").index_dir)
    before = layout.current()
    assert before is not None
    shutil.copy(
        CORPUS / "nexus-rso-child-trafficking-practitioner-guide.txt",
        corpus / "nexus-rso-child-trafficking-practitioner-guide.txt",
    )
    with pytest.raises(KeyboardInterrupt):
        _builder(tmp_path, CountingEmbedder(fail_after=10)).build([corpus])
    after = layout.current()
    assert after is not None and after.root == before.root
    retriever = _open(tmp_path, FakeEmbedder())
    assert sorted(retriever.documents) == ["iom-ilo-migration-leaflet", "rso-first-responders"]
    assert retriever.search("child victim", 3)
    # The next run finishes the job and clears the half-built directory.
    report = _builder(tmp_path, CountingEmbedder()).build([corpus])
    assert report.added == ["nexus-practitioner-guide"]
    assert not list(layout.builds_dir.glob(".partial-*"))


def test_open_refuses_other_settings(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    _builder(tmp_path, FakeEmbedder()).build([corpus])
    with pytest.raises(IndexMismatchError, match=r"(?i)re-ingest"):
        _open(tmp_path, FakeEmbedder(dim=128))


def test_open_without_index(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFoundError):
        _open(tmp_path, FakeEmbedder())


def test_changed_settings_rebuild_everything(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    _builder(tmp_path, FakeEmbedder()).build([corpus])
    report = _builder(tmp_path, FakeEmbedder(dim=128)).build([corpus])
    assert report.changed
    assert sorted(report.added) == ["iom-ilo-migration-leaflet", "rso-first-responders"]


def test_footnotes_are_keyword_only(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(CORPUS / "asean-do-no-harm-guide.txt", folder / "asean-do-no-harm-guide.txt")
    _builder(tmp_path, FakeEmbedder()).build([folder])
    retriever = _open(tmp_path, FakeEmbedder())
    rowids = retriever.store.rowids_for_documents(["asean-do-no-harm"])
    chunks = retriever.store.chunks_by_rowid(rowids)
    footnotes = {r for r, c in chunks.items() if c.kind == "footnote"}
    assert footnotes, "the ASEAN guide has footnotes"
    query = FakeEmbedder().embed_queries([next(iter(chunks.values())).text])[0]
    found = {r for r, _ in retriever.vectors.search(query, len(rowids))}
    assert found and not (found & footnotes)
    some_footnote = chunks[min(footnotes)]
    hits = retriever.search(some_footnote.text[:80], 20, mode="keyword")
    assert any(h.chunk.kind == "footnote" for h in hits)


def test_handbook_named_in_question_leans_retrieval(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    _builder(tmp_path, FakeEmbedder()).build([corpus])
    retriever = _open(tmp_path, FakeEmbedder())
    mentioned, topic = retriever.mentions("What does the IOM leaflet say about interviews?")
    assert mentioned == ["iom-ilo-migration-leaflet"]
    assert "leaflet" not in topic.lower()
    hits = retriever.search("What does the IOM leaflet say about interviews?", 3)
    assert hits[0].chunk.doc_id == "iom-ilo-migration-leaflet"


def test_reranker_reorders_fused_candidates(tmp_path: Path) -> None:
    from index.reranker import FakeReranker

    corpus = _corpus(tmp_path)
    _builder(tmp_path, FakeEmbedder()).build([corpus])
    retriever = _open(tmp_path, FakeEmbedder())
    plain = retriever.search("water food shelter clothing", 5)
    retriever.reranker = FakeReranker()
    reranked = retriever.search("water food shelter clothing", 5)
    assert len(reranked) == 5
    scores = [h.score for h in reranked]
    assert scores == sorted(scores, reverse=True)
    assert {h.chunk.chunk_id for h in reranked} <= {
        h.chunk.chunk_id for h in retriever.search("water food shelter clothing", 20)
    }
    assert plain  # the fused order without a reranker still works
