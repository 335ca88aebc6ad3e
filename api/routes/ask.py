"""POST /api/ask and /api/ask/stream: a short answer built only from the handbooks, cited."""

from __future__ import annotations

import json
from collections.abc import Iterator

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from answer.followup import Turn
from answer.service import Answer
from api.deps import AskDep, SettingsDep
from api.schemas import AskRequest, AskResponse
from api.validation import clean_query, resolve_k
from core.settings import Settings

router = APIRouter(prefix="/api", tags=["ask"])


def _answer(body: AskRequest, service: AskDep, settings: Settings) -> Answer:
    question = clean_query(body.question, settings, field="question")
    k = resolve_k(body.k, settings) if body.k is not None else None
    history = [Turn(t.role, t.content) for t in body.history]
    return service.ask(question, history, k, body.doc_ids, lang=body.lang)


@router.post("/ask", response_model=AskResponse)
def ask(body: AskRequest, service: AskDep, settings: SettingsDep) -> AskResponse:
    return AskResponse.from_answer(_answer(body, service, settings))


def _event(name: str, data: object) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def sse_events(answer: Answer) -> Iterator[str]:
    """lead, each point, each note, then `final` with the same JSON /api/ask returns."""
    final = AskResponse.from_answer(answer)
    yield _event(
        "start",
        {
            "answered": answer.answered,
            "lang": answer.lang,
            "detected_lang": answer.detected_lang,
            "answer_lang": answer.answer_lang,
        },
    )
    yield _event("lead", {"text": answer.lead})
    for i, point in enumerate(answer.points):
        yield _event("point", {"index": i, "text": point})
    for note in answer.notes:
        yield _event("note", {"text": note})
    yield _event("final", final.model_dump(mode="json"))


@router.post("/ask/stream", response_class=StreamingResponse)
def ask_stream(body: AskRequest, service: AskDep, settings: SettingsDep) -> StreamingResponse:
    # Validation and retrieval errors surface as normal problem responses before streaming.
    answer = _answer(body, service, settings)
    return StreamingResponse(
        sse_events(answer),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
