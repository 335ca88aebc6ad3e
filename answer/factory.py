"""Building the answer service from settings, once the retriever is loaded."""

from __future__ import annotations

from answer.answerability import AnswerabilityConfig
from answer.composer import ComposerConfig
from answer.generator import Generator, OpenAIChatGenerator, OpenAIConfig
from answer.prompts import load_prompt
from answer.safety import find_reminders
from answer.service import AskConfig, AskService
from answer.terms import TermStats
from core.settings import Settings
from index.embedder import backend_of
from index.retriever import HybridRetriever
from translation.service import TranslationService


def ask_config(settings: Settings, backend: str | None = None) -> AskConfig:
    """`backend` is the embedding backend actually in use ("e5", "sentence-transformers")."""
    a = settings.answer
    # Cosine scales differ between embedding models (e5's sit far higher than MiniLM's).
    min_cosine = a.min_cosine_by_backend.get(backend or "", a.min_cosine)
    return AskConfig(
        k=a.k,
        composer=ComposerConfig(max_points=a.max_points),
        answerability=AnswerabilityConfig(min_coverage=a.min_coverage, min_cosine=min_cosine),
    )


def make_generator(settings: Settings) -> Generator | None:
    g = settings.generator
    if not g.base_url:
        return None
    return OpenAIChatGenerator(
        OpenAIConfig(
            base_url=g.base_url,
            model=g.model,
            api_key=g.api_key,
            timeout=g.timeout,
            max_tokens=g.max_tokens,
            temperature=g.temperature,
        )
    )


def make_ask_service(
    settings: Settings,
    retriever: HybridRetriever,
    generator: Generator | None = None,
    translator: TranslationService | None = None,
) -> AskService:
    stats = TermStats(retriever.store.all_texts())
    generator = generator or make_generator(settings)
    return AskService(
        retriever,
        stats,
        find_reminders(retriever, stats),
        ask_config(settings, backend_of(retriever.embedder)),
        generator=generator,
        prompt=load_prompt("answer", settings.prompts_dir) if generator else None,
        translator=translator,
        translate_question=settings.translation.translate_question,
    )
