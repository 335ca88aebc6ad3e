"""The question writer from settings: the generator, the `enrich` prompt, what to ask for."""

from __future__ import annotations

from answer.factory import make_generator
from answer.prompts import load_prompt
from core.settings import Settings
from enrich.writer import EnrichConfig, QuestionWriter


def make_question_writer(settings: Settings) -> QuestionWriter | None:
    """None when no language model is configured."""
    generator = make_generator(settings)
    if generator is None:
        return None
    e = settings.enrichment
    counts = {
        lang: e.english_per_passage if lang == "en" else e.other_per_passage for lang in e.languages
    }
    return QuestionWriter(
        generator, load_prompt("enrich", settings.prompts_dir), EnrichConfig(counts)
    )
