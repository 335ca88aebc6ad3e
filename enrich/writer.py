"""Hypothetical questions for one passage, written by an OpenAI-compatible model.

The reply must be a JSON object of language code -> questions. Anything else (no JSON, wrong
shape, a language not asked for, an over-long question) is dropped rather than indexed, and
a passage whose reply yields nothing stays without questions: enrichment only ever adds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from answer.generator import Generator, GeneratorError
from answer.prompts import PromptTemplate
from index.enrichment import MAX_QUESTION_CHARS, PassageQuestions
from ingest.records import Chunk

_OBJECT = re.compile(r"\{.*\}", re.DOTALL)


@dataclass(frozen=True)
class EnrichConfig:
    counts: Mapping[str, int]  # language code -> questions wanted per passage


class QuestionWriter:
    def __init__(self, generator: Generator, template: PromptTemplate, config: EnrichConfig):
        self.generator = generator
        self.template = template
        self.config = config

    def write(self, chunk: Chunk, handbook: str) -> PassageQuestions | None:
        """The passage's questions, or None when the model gave nothing usable. Raises
        GeneratorError when the endpoint fails (the caller stops: the rest would fail too)."""
        counts = ", ".join(f"{lang}: {n}" for lang, n in self.config.counts.items() if n > 0)
        system, user = self.template.render(
            handbook=handbook,
            section=" › ".join(chunk.section) or "(none)",
            passage=chunk.text,
            counts=counts,
        )
        questions = parse_reply(self.generator.complete(system, user), self.config.counts)
        return PassageQuestions(chunk.chunk_id, questions) if questions else None


def parse_reply(reply: str, counts: Mapping[str, int]) -> dict[str, tuple[str, ...]]:
    """The usable questions in a model's reply, at most the number asked for per language."""
    match = _OBJECT.search(reply)
    if not match:
        return {}
    try:
        raw = json.loads(match.group())
    except json.JSONDecodeError:
        return {}
    if not isinstance(raw, dict):
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for lang, wanted in counts.items():
        items = raw.get(lang)
        if not isinstance(items, list) or wanted <= 0:
            continue
        kept = [
            q.strip()
            for q in items
            if isinstance(q, str) and q.strip() and len(q.strip()) <= MAX_QUESTION_CHARS
        ]
        if kept:
            out[lang] = tuple(dict.fromkeys(kept))[:wanted]
    return out


__all__ = ["EnrichConfig", "GeneratorError", "QuestionWriter", "parse_reply"]
