"""Which passages a quiz draws on: those retrieved for its topic, or every passage of the
chosen handbooks, grouped by section so items spread across sections."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from index.errors import UnknownDocumentError
from index.retriever import HybridRetriever
from ingest.records import Chunk
from quiz.constants import TOPIC_PASSAGES
from quiz.pool import StatementPool
from translation.detect import searched_language


class NoPassagesError(Exception):
    """Nothing in the chosen handbooks and sections to build items from."""


@dataclass(frozen=True)
class Scope:
    topic: str | None
    doc_ids: list[str] | None
    sections: list[str] | None
    lang: str | None = None  # the trainer's language, which the topic is likely written in


def resolve_docs(pool: StatementPool, doc_ids: Sequence[str] | None) -> list[str]:
    if not doc_ids:
        return sorted(pool.titles)
    unknown = [d for d in doc_ids if d not in pool.titles]
    if unknown:
        raise UnknownDocumentError(unknown)
    return list(dict.fromkeys(doc_ids))


def _in_sections(chunk: Chunk, needles: list[str]) -> bool:
    if not needles:
        return True
    path = chunk.section_path.casefold()
    return any(n in path for n in needles)


def passage_groups(
    pool: StatementPool,
    retriever: HybridRetriever | None,
    scope: Scope,
    rng: random.Random,
) -> list[list[Chunk]]:
    """Groups of passages (one per handbook section), in the order items should use them."""
    docs = resolve_docs(pool, scope.doc_ids)
    needles = [s.casefold().strip() for s in scope.sections or [] if s.strip()]
    if scope.topic and retriever is not None:
        # Only the trainer's choice narrows retrieval: a topic naming a handbook ("RSO guide")
        # then leans towards it, as questions in the chat do.
        # A topic in the trainer's language is searched as /api/ask searches a question.
        lang = searched_language(scope.topic, scope.lang)
        hits = retriever.search(
            scope.topic, TOPIC_PASSAGES, docs if scope.doc_ids else None, lang=lang
        )
        chunks = [pool.chunks[h.chunk.chunk_id] for h in hits if h.chunk.chunk_id in pool.chunks]
        ordered = _by_section([c for c in chunks if _in_sections(c, needles)])
    else:
        chunks = [c for c in pool.chunks_of(docs) if _in_sections(c, needles)]
        ordered = _interleaved(_by_section(chunks), rng)
    if not ordered:
        where = "these sections" if needles else "these handbooks"
        raise NoPassagesError(f"No passages in {where} to build items from.")
    return ordered


def _by_section(chunks: Sequence[Chunk]) -> list[list[Chunk]]:
    groups: dict[tuple[str, tuple[str, ...]], list[Chunk]] = {}
    for chunk in chunks:
        groups.setdefault((chunk.doc_id, chunk.section), []).append(chunk)
    return list(groups.values())


def _interleaved(groups: list[list[Chunk]], rng: random.Random) -> list[list[Chunk]]:
    """Sections in random order within each handbook, handbooks taking turns."""
    by_doc: dict[str, list[list[Chunk]]] = {}
    for group in groups:
        by_doc.setdefault(group[0].doc_id, []).append(group)
    queues = [by_doc[d] for d in sorted(by_doc)]
    for queue in queues:
        rng.shuffle(queue)
    out: list[list[Chunk]] = []
    while any(queues):
        for queue in queues:
            if queue:
                out.append(queue.pop(0))
    return out
