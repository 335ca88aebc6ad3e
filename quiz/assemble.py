"""Filling a quiz: kinds in turn, each item from the next section in line, one item per
passage while passages last, every item checked before it is kept."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ingest.records import Chunk
from quiz.checks import draft_problems
from quiz.constants import Kind
from quiz.items import to_item
from quiz.kinds import fill_blank, mcq, scenario, true_false
from quiz.kinds.common import BuildContext, ItemDraft
from quiz.pool import Entry, StatementPool
from quiz.schemas import QuizItem

Builder = Callable[[BuildContext, Entry], ItemDraft | None]
BUILDERS: dict[str, Builder] = {
    "mcq": mcq.build,
    "true_false": true_false.build,
    "fill_blank": fill_blank.build,
    "scenario": scenario.build,
}


def _may_build(kind: str, entry: Entry) -> bool:
    """A cheap test before the builder runs: does the statement have what the kind needs?"""
    a = entry.analysis
    if not a.text:
        return False  # an incomplete sentence
    if kind == "scenario":
        return a.conditional is not None
    if kind == "true_false":
        return a.directive is not None
    if kind == "mcq":
        return a.directive is not None or a.definition is not None
    return a.directive is not None or a.definition is not None or entry.statement.item_first


@dataclass
class Built:
    item: QuizItem
    draft: ItemDraft


@dataclass
class Assembly:
    built: list[Built] = field(default_factory=list)
    rejected: int = 0  # drafts that failed the checks
    exhausted: list[str] = field(default_factory=list)  # kinds the passages ran out of


def assemble(
    pool: StatementPool,
    groups: Sequence[Sequence[Chunk]],
    kinds: Sequence[Kind],
    n: int,
    rng: random.Random,
) -> Assembly:
    ctx = BuildContext(pool, rng)
    sections = []
    for group in groups:
        entries = [e for chunk in group for e in pool.by_chunk.get(chunk.chunk_id, [])]
        rng.shuffle(entries)
        sections.append(entries)
    result = Assembly()
    used_statements: set[str] = set()
    used_chunks: set[str] = set()
    tried: set[tuple[str, str]] = set()
    exhausted: set[str] = set()
    pointer = 0
    turn = 0
    while len(result.built) < n and len(exhausted) < len(kinds):
        kind = kinds[turn % len(kinds)]
        turn += 1
        if kind in exhausted:
            continue
        found = _next_item(ctx, kind, sections, pointer, used_statements, used_chunks, tried)
        if found is None:
            exhausted.add(kind)
            continue
        built, section_index, rejected = found
        result.rejected += rejected
        pointer = section_index + 1
        used_statements.add(built.draft.source.statement.ref)
        used_chunks.add(built.draft.source.statement.chunk.chunk_id)
        result.built.append(built)
    result.exhausted = [k for k in kinds if k in exhausted]
    return result


def _next_item(
    ctx: BuildContext,
    kind: Kind,
    sections: list[list[Entry]],
    pointer: int,
    used_statements: set[str],
    used_chunks: set[str],
    tried: set[tuple[str, str]],
) -> tuple[Built, int, int] | None:
    if not sections:
        return None
    build = BUILDERS[kind]
    rejected = 0
    for fresh_passages_only in (True, False):
        for step in range(len(sections)):
            index = (pointer + step) % len(sections)
            for entry in sections[index]:
                ref = entry.statement.ref
                if ref in used_statements or (kind, ref) in tried or not _may_build(kind, entry):
                    continue
                if fresh_passages_only and entry.statement.chunk.chunk_id in used_chunks:
                    continue
                tried.add((kind, ref))
                draft = build(ctx, entry)
                if draft is None:
                    continue
                item = to_item(draft)
                if draft_problems(item, entry.statement.chunk.text):
                    rejected += 1
                    continue
                return Built(item, draft), index, rejected
    return None
