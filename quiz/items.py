"""From a draft to the public item: its id and citation."""

from __future__ import annotations

import hashlib

from answer.schemas import CitationOut
from quiz.kinds.common import ItemDraft
from quiz.schemas import QuizItem


def citation_for(draft: ItemDraft) -> CitationOut:
    statement = draft.source.statement
    chunk = statement.chunk
    return CitationOut(
        n=1,
        chunk_id=chunk.chunk_id,
        doc_id=chunk.doc_id,
        title=statement.title,
        section=chunk.section_path,
        page_start=chunk.page_start,
        page_end=chunk.page_end,
        quote=statement.text,
    )


def item_id(kind: str, chunk_id: str, start: int, question: str, answer: str) -> str:
    digest = hashlib.sha1(f"{kind}|{chunk_id}|{start}|{question}|{answer}".encode()).hexdigest()
    return "q" + digest[:11]


def to_item(draft: ItemDraft) -> QuizItem:
    statement = draft.source.statement
    return QuizItem(
        id=item_id(
            draft.kind, statement.chunk.chunk_id, statement.start, draft.question, draft.answer
        ),
        kind=draft.kind,
        question=draft.question,
        options=draft.options,
        answer=draft.answer,
        accept=draft.accept,
        explanation=draft.explanation,
        citation=citation_for(draft),
        basis=draft.basis,
    )
