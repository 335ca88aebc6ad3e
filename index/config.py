"""How the settings become the index's configuration: embedder, chunker and retrieval."""

from __future__ import annotations

from core.settings import Settings
from index.builder import chunker_fingerprint
from index.embedder import Embedder, EmbedderSpec, resolve_backend
from index.enrichment import QuestionBank
from index.onnx_embedder import threads_per_worker
from index.query_embedder import QueryEmbedder
from index.reranker import CrossEncoderReranker
from index.retriever import HybridRetriever, RetrievalConfig, open_retriever
from ingest.chunker import ChunkerConfig


def embedder_spec(settings: Settings, backend: str | None = None) -> EmbedderSpec:
    """The configured embedder, or another `backend` (the starter) with its bundled model:
    embedding.model names a model of the configured backend only."""
    e = settings.embedding
    configured = resolve_backend(e.backend)
    return EmbedderSpec(
        backend=backend or configured,
        model=e.model if backend in (None, configured) else None,
        batch_size=e.batch_size,
        runtime=e.runtime,
        threads=threads_per_worker(e.threads, settings.server.workers),
        cache_dir=e.onnx_cache_dir or settings.data_dir / "models" / "onnx",
    )


def query_embedder(settings: Settings, embedder: Embedder) -> QueryEmbedder:
    """The embedder as a server uses it: query vectors cached, concurrent queries batched."""
    e = settings.embedding
    return QueryEmbedder(embedder, e.query_cache, e.query_batch, e.query_batch_wait_ms / 1000)


def chunker_config(settings: Settings) -> ChunkerConfig:
    c = settings.chunking
    return ChunkerConfig(target_words=c.target_words, max_words=c.max_words, min_words=c.min_words)


def retrieval_config(settings: Settings) -> RetrievalConfig:
    r, t = settings.retrieval, settings.translation
    return RetrievalConfig(
        candidates=r.candidates,
        rrf_k=r.rrf_k,
        keyword_weight=r.keyword_weight,
        vector_weight=r.vector_weight,
        mention_weight=r.mention_weight,
        expansion_weight=r.expansion_weight,
        rerank_depth=r.rerank_depth,
        foreign_keyword_weight=t.foreign_keyword_weight,
        foreign_expansion_weight=t.foreign_expansion_weight,
        translation_weight=t.translation_weight,
        gloss_weight=t.gloss_weight,
        vocabulary_weight=t.vocabulary_weight,
        vocabulary_vector_weight=t.vocabulary_vector_weight,
        question_keyword_weight=r.question_keyword_weight,
        question_english_weight=r.question_english_weight,
        question_vector_weight=r.question_vector_weight,
    )


def question_bank(settings: Settings) -> QuestionBank:
    """The passages' hypothetical questions the index is built with (none when disabled)."""
    if not settings.enrichment.enabled:
        return QuestionBank()
    return QuestionBank.load(settings.enrichment_dirs)


def load_retriever(settings: Settings, embedder: Embedder) -> HybridRetriever:
    reranker = None
    if settings.retrieval.reranker_model:
        reranker = CrossEncoderReranker(settings.retrieval.reranker_model)
    return open_retriever(
        settings.index_dir,
        embedder,
        chunker_fingerprint(chunker_config(settings)),
        settings.retrieval.faiss_index,
        retrieval_config(settings),
        reranker,
    )
