"""Optional: a language model rewrites drafted items from the same passages (prompts/quiz.toml).
Its items pass the same checks as drafted ones, or the drafted item is kept instead."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass

from pydantic import ValidationError

from answer.generator import Generator, GeneratorError
from answer.prompts import PromptTemplate
from quiz.assemble import Built
from quiz.checks import draft_problems
from quiz.items import item_id
from quiz.phrasing import doc_name
from quiz.schemas import QuizItem

log = logging.getLogger("haven.quiz")

KIND_RULES = {
    "mcq": "one correct option and three wrong ones; the correct option restates the statement.",
    "true_false": 'a statement to judge; "answer" is "True" or "False"; a false statement '
    'reverses the handbook\'s guidance; start the question with "True or false? ".',
    "fill_blank": "the question quotes the statement between “ and ” with one key term replaced "
    'by _____; "answer" is that term exactly as written in the passage.',
    "scenario": "describe a situation the reader is in, then ask what to do; one correct option "
    "(the handbook's response) and three wrong ones.",
}
BASIS = {
    "mcq": "recommended",
    "true_false": "statement",
    "fill_blank": "term",
    "scenario": "situation",
}
_JSON = re.compile(r"\{.*\}", re.S)


@dataclass
class Rewrite:
    items: list[QuizItem]
    written: int = 0
    dropped: int = 0
    failed: str | None = None  # why the model stopped being asked


def rewrite(built: list[Built], generator: Generator, prompt: PromptTemplate) -> Rewrite:
    out = Rewrite(items=[])
    for b in built:
        if out.failed is not None:
            out.items.append(b.item)
            continue
        try:
            candidate = _ask(b, generator, prompt)
        except GeneratorError as exc:
            out.failed = str(exc)
            out.items.append(b.item)
            continue
        if candidate is None or draft_problems(candidate, b.draft.source.statement.chunk.text):
            out.dropped += 1
            out.items.append(b.item)
        else:
            out.written += 1
            out.items.append(candidate)
    return out


def _ask(b: Built, generator: Generator, prompt: PromptTemplate) -> QuizItem | None:
    statement = b.draft.source.statement
    chunk = statement.chunk
    system, user = prompt.render(
        kind=b.item.kind,
        kind_rules=KIND_RULES[b.item.kind],
        handbook=doc_name(chunk.doc_id, statement.title),
        section=chunk.section_path or "(none)",
        passage=chunk.text,
        statement=statement.text,
    )
    reply = generator.complete(system, user)
    match = _JSON.search(reply)
    if match is None:
        return None
    try:
        data = json.loads(match.group(0))
        quote = str(data["quote"])
        question, answer = str(data["question"]), str(data["answer"])
        options = data.get("options")
        citation = b.item.citation.model_copy(update={"quote": quote})
        return QuizItem(
            id=item_id(b.item.kind, chunk.chunk_id, statement.start, question, answer),
            kind=b.item.kind,
            question=question,
            options=[str(o) for o in options] if isinstance(options, list) else None,
            answer=answer,
            explanation=str(data.get("explanation") or b.item.explanation),
            citation=citation,
            basis=BASIS[b.item.kind],
        )
    except (KeyError, TypeError, ValueError, ValidationError) as exc:
        log.info("quiz item from the model dropped: %s", type(exc).__name__)
        return None
