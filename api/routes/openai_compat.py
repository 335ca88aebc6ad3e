"""POST /v1/chat/completions, GET /v1/models and GET /v1/models/{id}: Haven for OpenAI clients.

The mapping lives in api/openai_compat; these routes only validate, ask and wrap.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from answer.service import AskService
from api.deps import AskDep, ContainerDep, SettingsDep
from api.openai_compat.catalog import model_card, resolve_model
from api.openai_compat.completion import Envelope, chunks, completion, sse_lines
from api.openai_compat.content import Reply, reply_for
from api.openai_compat.conversation import read_conversation
from api.openai_compat.schemas import ChatCompletion, ChatCompletionRequest, ModelCard, ModelList
from api.openai_compat.usage import usage_for
from api.validation import clean_query, resolve_k
from core.settings import Settings
from wiring.container import Container

router = APIRouter(prefix="/v1", tags=["openai"])

_STREAM_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A chat.completion, or with `stream: true` chat.completion.chunk events.",
        "content": {"text/event-stream": {}},
    }
}


def _reply(body: ChatCompletionRequest, service: AskService, settings: Settings) -> Reply:
    conversation = read_conversation(body.messages)
    question = clean_query(conversation.question, settings, field=conversation.field)
    k = resolve_k(body.k, settings) if body.k is not None else None
    answer = service.ask(question, conversation.history, k, body.doc_ids, lang=body.lang)
    return reply_for(answer)


@router.post("/chat/completions", response_model=ChatCompletion, responses=_STREAM_DOC)
def chat_completions(
    body: ChatCompletionRequest, service: AskDep, settings: SettingsDep
) -> ChatCompletion | StreamingResponse:
    envelope = Envelope(
        model=resolve_model(body.model),
        fingerprint=f"haven-{service.retriever.manifest.build_id}",
    )
    # The answer is made here, in the threadpool, before any byte is sent: errors surface as
    # normal problem responses and the stream only formats what is ready.
    reply = _reply(body, service, settings)
    usage = usage_for(body.messages, reply.content)
    if not body.stream:
        return completion(reply, envelope, usage)
    wants_usage = body.stream_options is not None and bool(body.stream_options.include_usage)
    return StreamingResponse(
        sse_lines(chunks(reply, envelope, usage if wants_usage else None)),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@router.get("/models", response_model=ModelList)
def list_models(state: ContainerDep) -> ModelList:
    return ModelList(data=[_card(state)])


@router.get("/models/{model_id:path}", response_model=ModelCard)
def get_model(model_id: str, state: ContainerDep) -> ModelCard:
    resolve_model(model_id)
    return _card(state)


def _card(state: Container) -> ModelCard:
    # Listed even before an index is loaded: clients check the model list while being set up.
    retriever = state.retriever
    return model_card(retriever.manifest.built_at if retriever is not None else "")
