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
from pathlib import Path

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
from index.starter import serving_backend
from quiz.service import QuizService, make_quiz_service
from quiz.store import QuizStore, store_for
from translation.factory import load_translation
from translation.service import TranslationService

log = logging.getLogger("haven.api")

RETIRE_AFTER_SECONDS = 60.0


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
    _fixed: Embedder | None = None  # injected by a test: used for every build
    _embedders: dict[str, Embedder] = field(default_factory=dict)  # query models by backend
    _unusable: Path | None = None  # a published build whose query model failed to load

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
            if embedder is not None:
                # Questions go through the query cache and micro-batcher; passages straight on.
                container._fixed = query_embedder(settings, embedder)
            container.embedder = container._embedder_for(serving_backend(settings))
            container._open(load_retriever(settings, container.embedder))
        except IndexError_ as exc:
            container.problem = str(exc)
            log.warning("not ready: %s", exc)
        container.documents = DocumentService(settings, container.current_embedder)
        if open_stores:
            container.feedback = FeedbackStore(feedback_path(settings))
            container.keys = KeyStore(settings.keys_file)
        return container

    def _embedder_for(self, backend: str) -> Embedder:
        """The query embedder for builds made with `backend`, loaded once (the starter's while
        a starter build serves, then the configured one's)."""
        if self._fixed is not None:
            return self._fixed
        loaded = self._embedders.get(backend)
        if loaded is None:
            model = make_embedder(embedder_spec(self.settings, backend))
            loaded = self._embedders[backend] = query_embedder(self.settings, model)
        return loaded

    def _open(self, retriever: HybridRetriever) -> None:
        self.ask = make_ask_service(self.settings, retriever, self.generator, self.translator)
        self.retriever = retriever
        self.problem = None

    def reload_if_changed(self) -> None:
        """Pick up a newly swapped-in build; requests in flight keep the one they started with.
        A build made with another embedder (the configured one replacing a starter build)
        brings its own query model, loaded here once."""
        if self.embedder is None:
            return
        current = IndexLayout(self.settings.index_dir).current()
        if current is None or (self.retriever and current.root == self.retriever.root):
            return
        with self.lock:
            if self.retriever and current.root == self.retriever.root:
                return
            if current.root == self._unusable:
                return
            try:
                embedder = self._embedder_for(serving_backend(self.settings))
                self._open(load_retriever(self.settings, embedder))
            except IndexError_ as exc:
                self.problem = str(exc)
                return
            except Exception:
                # Its model would not load: the build in use keeps serving, and this one is
                # not tried again on every request.
                log.exception("index: cannot switch to build %s", current.root.name)
                self._unusable = current.root
                return
            if embedder is not self.embedder:
                log.info("index: now querying with %s", embedder.name)
                self._retire(self.embedder)
                self.embedder = embedder

    def _retire(self, old: Embedder) -> None:
        """Close a query model no build uses any more, once requests in flight are done."""
        for backend, loaded in list(self._embedders.items()):
            if loaded is old:
                del self._embedders[backend]
        if isinstance(old, QueryEmbedder):
            timer = threading.Timer(RETIRE_AFTER_SECONDS, old.close)
            timer.daemon = True  # never holds up the server's exit
            timer.start()

    def current_embedder(self) -> Embedder | None:
        """The query model of the index in use, after picking up a newly published build (what
        an upload must build with: another model would rebuild the whole index)."""
        self.reload_if_changed()
        return self.embedder

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
        for embedder in {id(e): e for e in [self.embedder, *self._embedders.values()]}.values():
            if isinstance(embedder, QueryEmbedder):
                embedder.close()
        if self.keys:
            self.keys.close()
        if self.feedback:
            self.feedback.close()
        if self.retriever:
            self.retriever.close()
