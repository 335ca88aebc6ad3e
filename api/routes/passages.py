"""GET /api/passages/{chunk_id}: one passage and its neighbours, for the citation panel."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import RetrieverDep
from api.errors import ApiError
from api.schemas import PassageContextResponse, PassageOut
from index.retriever import HybridRetriever
from ingest.records import Chunk

router = APIRouter(prefix="/api", tags=["passages"])


def _out(chunk: Chunk, retriever: HybridRetriever) -> PassageOut:
    doc = retriever.documents.get(chunk.doc_id)
    return PassageOut(
        chunk_id=chunk.chunk_id,
        doc_id=chunk.doc_id,
        title=doc.info.title if doc else chunk.doc_id,
        section=chunk.section_path,
        page_start=chunk.page_start,
        page_end=chunk.page_end,
        text=chunk.text,
        ordinal=chunk.ordinal,
    )


@router.get("/passages/{chunk_id}", response_model=PassageContextResponse)
def get_passage(
    chunk_id: str,
    retriever: RetrieverDep,
    neighbours: Annotated[
        int, Query(ge=0, le=3, description="Passages to include on each side (0 to 3).")
    ] = 1,
) -> PassageContextResponse:
    chunk = retriever.store.chunks_by_id([chunk_id]).get(chunk_id)
    if chunk is None:
        raise ApiError(404, "unknown-passage", "Unknown passage", "No passage has this id.")
    around = retriever.store.neighbours(chunk, neighbours, neighbours) if neighbours else []
    return PassageContextResponse(
        passage=_out(chunk, retriever),
        before=[_out(c, retriever) for c in around if c.ordinal < chunk.ordinal],
        after=[_out(c, retriever) for c in around if c.ordinal > chunk.ordinal],
    )
