"""What the service loads once at start-up and shares with every request."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from answer.factory import make_ask_service
from answer.generator import Generator
from answer.service import AskService
from core.settings import Settings
from index.config import embedder_spec, load_retriever
from index.embedder import Embedder, make_embedder
from index.errors import IndexError_
from index.layout import IndexLayout
from index.retriever import HybridRetriever
from translation.factory import load_translation
from translation.service import TranslationService

log = logging.getLogger("haven.api")


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

    def close(self) -> None:
        if self.retriever:
            self.retriever.close()
