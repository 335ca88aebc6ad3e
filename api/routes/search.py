"""POST /api/search: the passages that answer a question, each with document, section and page."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import AskDep, SettingsDep
from api.schemas import Passage, SearchRequest, SearchResponse
from api.validation import clean_query, resolve_k

router = APIRouter(prefix="/api", tags=["search"])


@router.post("/search", response_model=SearchResponse)
def search(body: SearchRequest, service: AskDep, settings: SettingsDep) -> SearchResponse:
    # A plain def route: FastAPI runs it in a thread pool, keeping model calls off the event loop.
    query = clean_query(body.query, settings)
    k = resolve_k(body.k, settings)
    hits, lang = service.search(query, k, body.doc_ids, body.lang)
    return SearchResponse(query=query, lang=lang, results=[Passage.from_hit(h) for h in hits])
