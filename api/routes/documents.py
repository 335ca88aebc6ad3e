"""/api/documents: list the indexed handbooks; upload, replace and delete documents (API key).

The work is in documents/ (checks, safe names, indexing with rollback); this module maps its
outcomes and refusals onto HTTP.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Response, UploadFile

from api.access.deps import WriteAccess
from api.deps import ContainerDep, DocumentsDep, RetrieverDep
from api.errors import ApiError
from api.schemas import DocumentChangeOut, DocumentOut, DocumentsResponse
from core.settings import Settings
from documents.errors import (
    BuildFailedError,
    CorpusDocumentError,
    DocumentError,
    NotReadyError,
    TooLargeError,
    TooManyPagesError,
    UnknownUploadError,
    UnreadableDocumentError,
    UnsupportedTypeError,
)
from documents.service import Upload
from ingest.records import DocumentInfo

router = APIRouter(prefix="/api", tags=["documents"])
log = logging.getLogger("haven.documents")

UPLOAD_PATH = "/api/documents"
# Room for the multipart framing and the form fields around the file itself.
MULTIPART_OVERHEAD = 64 * 1024
MAX_TITLE_CHARS = 300
RETRY_AFTER_SECONDS = 60

_PROBLEMS: dict[type[DocumentError], tuple[int, str, str]] = {
    UnsupportedTypeError: (415, "unsupported-document-type", "Unsupported document type"),
    TooLargeError: (413, "too-large", "Document too large"),
    UnreadableDocumentError: (422, "unreadable-document", "The document cannot be read"),
    TooManyPagesError: (422, "too-many-pages", "The document has too many pages"),
    CorpusDocumentError: (409, "corpus-document", "The document belongs to the corpus folder"),
    UnknownUploadError: (404, "unknown-document", "Unknown document"),
    BuildFailedError: (500, "index-build-failed", "The index could not be rebuilt"),
    NotReadyError: (503, "not-ready", "Not ready"),
}


def _problem_responses(*errors: type[DocumentError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for a write route's refusals (and the key checks every one makes)."""
    titles = {401: "API key required", 403: "API key revoked"}
    titles.update({_PROBLEMS[error][0]: _PROBLEMS[error][2] for error in errors})
    problem: dict[str, Any] = {"application/problem+json": {}}
    return {status: {"description": title, "content": problem} for status, title in titles.items()}


_REPLACED: dict[int | str, dict[str, Any]] = {
    200: {"description": "Replaced or unchanged", "model": DocumentChangeOut}
}


def upload_body_limit(settings: Settings) -> int:
    """The request body limit for uploads (the app-wide one is far smaller)."""
    return settings.documents.max_upload_bytes + MULTIPART_OVERHEAD


@contextmanager
def _as_problems() -> Iterator[None]:
    try:
        yield
    except DocumentError as exc:
        status, slug, title = _PROBLEMS[type(exc)]
        # Not ready (a background build): a client may try again in a while.
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if status == 503 else None
        raise ApiError(status, slug, title, str(exc), headers) from exc


def _document_out(info: DocumentInfo, chunks: int, uploaded: bool) -> dict[str, Any]:
    return {
        "doc_id": info.doc_id,
        "title": info.title,
        "publisher": info.publisher,
        "year": info.year,
        "language": info.language,
        "file": info.file,
        "pages": info.pages,
        "chunk_count": chunks,
        "source": "upload" if uploaded else "corpus",
    }


@router.get("/documents", response_model=DocumentsResponse)
def list_documents(retriever: RetrieverDep, service: DocumentsDep) -> DocumentsResponse:
    uploaded = service.uploaded_ids()
    enrichment = retriever.enrichment
    docs = []
    for d in retriever.documents.values():
        done, total = enrichment.get(d.info.doc_id, (0, 0))
        fields = _document_out(d.info, d.chunk_count, d.info.doc_id in uploaded)
        docs.append(
            DocumentOut(
                **fields, enriched_passages=done, content_passages=total, enriched=done >= total
            )
        )
    return DocumentsResponse(documents=docs)


@router.post(
    "/documents",
    status_code=201,
    response_model=DocumentChangeOut,
    responses={
        **_REPLACED,
        **_problem_responses(
            UnsupportedTypeError,
            TooLargeError,
            UnreadableDocumentError,
            CorpusDocumentError,
            BuildFailedError,
            NotReadyError,
        ),
    },
)
def upload_document(
    principal: WriteAccess,
    state: ContainerDep,
    service: DocumentsDep,
    response: Response,
    file: Annotated[UploadFile, File(description="PDF, plain text (.txt) or Markdown (.md).")],
    title: Annotated[
        str | None,
        Form(max_length=MAX_TITLE_CHARS, description="Shown in citations; default from the name."),
    ] = None,
    publisher: Annotated[str | None, Form(max_length=MAX_TITLE_CHARS)] = None,
    pages: Annotated[
        Literal["none", "space-marker"] | None,
        Form(
            description="Plain text only: 'space-marker' when a line starting with one "
            "space opens a new page (text extracted from a PDF); default 'none'."
        ),
    ] = None,
) -> DocumentChangeOut:
    """Add a document, or replace the uploaded one with the same name, and index it. The
    document is checked (type by content, size, pages, readable text) before anything is
    stored; the service answers from the previous index until the new one is swapped in."""
    with _as_problems():
        outcome = service.add(Upload(file.filename, file.file, title, publisher, pages))
    state.reload_if_changed()
    log.info("document %s %s by key %s", outcome.info.doc_id, outcome.result, principal.key_id)
    if outcome.result != "created":
        response.status_code = 200
    return DocumentChangeOut(
        **_document_out(outcome.info, outcome.chunks, uploaded=True),
        result=outcome.result,
        build_id=outcome.build_id,
        seconds=round(outcome.seconds, 3),
    )


@router.delete(
    "/documents/{doc_id}",
    status_code=204,
    response_class=Response,
    responses=_problem_responses(
        UnknownUploadError, CorpusDocumentError, BuildFailedError, NotReadyError
    ),
)
def delete_document(
    doc_id: str, principal: WriteAccess, state: ContainerDep, service: DocumentsDep
) -> Response:
    """Remove an uploaded document from storage and from the index. Documents from the corpus
    folder are refused (409): remove the file there and run `haven ingest`."""
    with _as_problems():
        service.delete(doc_id)
    state.reload_if_changed()
    log.info("document %s deleted by key %s", doc_id, principal.key_id)
    return Response(status_code=204)
