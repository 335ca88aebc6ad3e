"""POST /api/feedback: a practitioner rates an answer. The question is kept only on opt-in."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from api.deps import FeedbackDep
from api.errors import ApiError
from api.schemas import FeedbackRequest, FeedbackResponse

router = APIRouter(prefix="/api", tags=["feedback"])

MAX_CHUNK_ID_CHARS = 200


@router.post("/feedback", status_code=201, response_model=FeedbackResponse)
async def post_feedback(body: FeedbackRequest, store: FeedbackDep) -> FeedbackResponse:
    citations = body.citations or []
    too_long = [i for i, c in enumerate(citations) if not 0 < len(c) <= MAX_CHUNK_ID_CHARS]
    if too_long:
        raise ApiError(
            422,
            "invalid-request",
            "Invalid request",
            f"citations.{too_long[0]}: a chunk id is 1 to {MAX_CHUNK_ID_CHARS} characters.",
        )
    # Dropped here, whatever the client sent, unless the practitioner ticked the box.
    question = body.question if body.include_question else None
    feedback_id = await run_in_threadpool(
        store.add,
        body.helpful,
        body.comment,
        body.answer,
        citations,
        question,
    )
    return FeedbackResponse(id=feedback_id)
