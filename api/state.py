"""What the service loads once at start-up and shares with every request."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from api.answer.generator import Generator
from api.answer.service import AskService
from api.documents.catalog import index_catalog
from api.settings import Settings
from api.translation.service import TranslationService
from index.builder import IndexBuilder, ProgressFactory
from index.embedder import Embedder, EmbedderSpec, make_embedder, resolve_backend
from index.enrichment import QuestionBank
from index.errors import IndexError_
from index.retriever import HybridRetriever, RetrievalConfig, open_retriever
from ingest.chunker import ChunkerConfig

log = logging.getLogger("haven.api")


def embedder_spec(settings: Settings) -> EmbedderSpec:
    e = settings.embedding
    return EmbedderSpec(backend=resolve_backend(e.backend), model=e.model, batch_size=e.batch_size)


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


def index_builder(
    settings: Settings, embedder: Embedder, progress: ProgressFactory | None = None
) -> IndexBuilder:
    """The one way an index is built from settings: the CLI, uploads and evaluation."""
    return IndexBuilder(
        settings.index_dir,
        embedder,
        chunker_config(settings),
        index_catalog(settings),
        settings.retrieval.faiss_index,
        progress=progress,
        questions=question_bank(settings),
        question_vector_langs=settings.enrichment.vector_langs,
    )


def load_retriever(settings: Settings, embedder: Embedder) -> HybridRetriever:
    from index.builder import chunker_fingerprint

    reranker = None
    if settings.retrieval.reranker_model:
        from index.reranker import CrossEncoderReranker

        reranker = CrossEncoderReranker(settings.retrieval.reranker_model)
    return open_retriever(
        settings.index_dir,
        embedder,
        chunker_fingerprint(chunker_config(settings)),
        settings.retrieval.faiss_index,
        retrieval_config(settings),
        reranker,
    )


@dataclass
class AppState:
    """Models and index, loaded once. `problem` says why the service is not ready, if it isn't."""

    settings: Settings
    embedder: Embedder | None = None
    retriever: HybridRetriever | None = None
    ask: AskService | None = None
    generator: Generator | None = None
    translator: TranslationService | None = None
    problem: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def load(
        cls,
        settings: Settings,
        embedder: Embedder | None = None,
        generator: Generator | None = None,
        translator: TranslationService | None = None,
    ) -> AppState:
        """`translator` lets tests inject one; by default the configured backends load."""
        state = cls(settings=settings, generator=generator)
        if translator is None:
            from api.translation.factory import load_translation

            translator = load_translation(settings)
        state.translator = translator
        try:
            state.embedder = embedder or make_embedder(embedder_spec(settings))
            state._open(load_retriever(settings, state.embedder))
        except IndexError_ as exc:
            state.problem = str(exc)
            log.warning("not ready: %s", exc)
        return state

    def _open(self, retriever: HybridRetriever) -> None:
        from api.answer.factory import make_ask_service

        self.ask = make_ask_service(self.settings, retriever, self.generator, self.translator)
        self.retriever = retriever
        self.problem = None

    def reload_if_changed(self) -> None:
        """Pick up a newly swapped-in build; requests in flight keep the one they started with."""
        if self.embedder is None:
            return
        from index.layout import IndexLayout

        current = IndexLayout(self.settings.index_dir).current()
        if current is None or (self.retriever and current.root == self.retriever.root):
            return
        with self.lock:
            if self.retriever and current.root == self.retriever.root:
                return
            try:
                self._open(load_retriever(self.settings, self.embedder))
            except IndexError_ as exc:
                self.problem = str(exc)

    def close(self) -> None:
        if self.retriever:
            self.retriever.close()
