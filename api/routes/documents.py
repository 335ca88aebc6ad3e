"""GET /api/documents: the indexed handbooks with their chunk counts."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import RetrieverDep
from api.schemas import DocumentOut, DocumentsResponse

router = APIRouter(prefix="/api", tags=["documents"])


@router.get("/documents", response_model=DocumentsResponse)
def list_documents(retriever: RetrieverDep) -> DocumentsResponse:
    docs = [
        DocumentOut(
            doc_id=d.info.doc_id,
            title=d.info.title,
            publisher=d.info.publisher,
            year=d.info.year,
            language=d.info.language,
            file=d.info.file,
            pages=d.info.pages,
            chunk_count=d.chunk_count,
        )
        for d in retriever.documents.values()
    ]
    return DocumentsResponse(documents=docs)
