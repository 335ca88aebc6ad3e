"""The one wiring point: every service, built once at start-up from the settings.

The web app holds one Container (routes reach its services through the `Depends` aliases in
api/deps.py); each command of the CLI loads one the same way. Each feature maps the settings to
its own configuration (index.config, answer.factory, translation.factory, ...); this module only
puts the results together, and swaps in a newly published index build while serving.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from access.keys import KeyStore
from answer.factory import make_ask_service
from answer.generator import Generator
from answer.service import AskService
from core.settings import Settings
from documents.service import DocumentService
from feedback.store import FeedbackStore, feedback_path
from index.config import embedder_spec, load_retriever, query_embedder
from index.embedder import Embedder, make_embedder
from index.errors import IndexError_
from index.layout import IndexLayout
from index.query_embedder import QueryEmbedder
from index.retriever import HybridRetriever
from quiz.service import QuizService, make_quiz_service
from quiz.store import QuizStore, store_for
from translation.factory import load_translation
from translation.service import TranslationService

log = logging.getLogger("haven.api")


@dataclass
class Container:
    """Models, index and services, loaded once. `problem` says why the index is not ready, if it
    isn't; `retriever` and `ask` are replaced together when a new index build is published."""

    settings: Settings
    embedder: Embedder | None = None
    retriever: HybridRetriever | None = None
    ask: AskService | None = None
    generator: Generator | None = None
    translator: TranslationService | None = None
    documents: DocumentService | None = None
    quizzes: QuizStore | None = None
    feedback: FeedbackStore | None = None
    keys: KeyStore | None = None
    problem: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    _quiz: QuizService | None = None
    _quiz_lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def load(
        cls,
        settings: Settings,
        embedder: Embedder | None = None,
        generator: Generator | None = None,
        translator: TranslationService | None = None,
        open_stores: bool = False,
    ) -> Container:
        """`embedder`, `generator` and `translator` let tests inject them; by default the
        configured ones load. `open_stores` also opens the feedback and API-key databases
        (the server does; commands that only read the index do not create them)."""
        container = cls(settings=settings, generator=generator)
        if translator is None:
            translator = load_translation(settings)
        container.translator = translator
        container.quizzes = store_for(settings.data_dir)
        try:
            # Questions go through the query cache and micro-batcher; passages straight on.
            model = embedder or make_embedder(embedder_spec(settings))
            container.embedder = query_embedder(settings, model)
            container._open(load_retriever(settings, container.embedder))
        except IndexError_ as exc:
            container.problem = str(exc)
            log.warning("not ready: %s", exc)
        container.documents = DocumentService(settings, container.embedder)
        if open_stores:
            container.feedback = FeedbackStore(feedback_path(settings))
            container.keys = KeyStore(settings.keys_file)
        return container

    def _open(self, retriever: HybridRetriever) -> None:
        self.ask = make_ask_service(self.settings, retriever, self.generator, self.translator)
        self.retriever = retriever
        self.problem = None

    def reload_if_changed(self) -> None:
        """Pick up a newly swapped-in build; requests in flight keep the one they started with."""
        if self.embedder is None:
            return
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

    def quiz_service(self) -> QuizService | None:
        """The quiz service of the loaded index, built on first use (its statement pool takes a
        few seconds for the whole corpus) and again after a new build is swapped in."""
        retriever = self.retriever
        if retriever is None:
            return None
        with self._quiz_lock:
            if self._quiz is None or self._quiz.retriever is not retriever:
                generator = self.ask.generator if self.ask is not None else self.generator
                # The translation service puts items in the trainer's language.
                self._quiz = make_quiz_service(retriever, generator, self.translator)
            return self._quiz

    def close(self) -> None:
        if isinstance(self.embedder, QueryEmbedder):
            self.embedder.close()
        if self.keys:
            self.keys.close()
        if self.feedback:
            self.feedback.close()
        if self.retriever:
            self.retriever.close()
