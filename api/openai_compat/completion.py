"""The chat.completion envelope around a reply, and the chunk sequence that streams it."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from api.openai_compat.content import Reply
from api.openai_compat.schemas import (
    AssistantMessage,
    ChatCompletion,
    ChatCompletionChunk,
    Choice,
    ChunkChoice,
    Delta,
    HavenExtra,
    Usage,
)


@dataclass(frozen=True)
class Envelope:
    """What every object of one completion shares; `fingerprint` names the index build."""

    model: str
    fingerprint: str | None = None
    id: str = field(default_factory=lambda: "chatcmpl-" + uuid.uuid4().hex)
    created: int = field(default_factory=lambda: int(time.time()))


def completion(reply: Reply, envelope: Envelope, usage: Usage) -> ChatCompletion:
    return ChatCompletion(
        id=envelope.id,
        created=envelope.created,
        model=envelope.model,
        system_fingerprint=envelope.fingerprint,
        choices=[Choice(message=AssistantMessage(content=reply.content))],
        usage=usage,
        haven=reply.haven,
    )


def chunks(reply: Reply, envelope: Envelope, usage: Usage | None) -> Iterator[ChatCompletionChunk]:
    """The role, each piece of content, the stop with the `haven` record, then usage if asked."""
    yield _chunk(envelope, [ChunkChoice(delta=Delta(role="assistant", content=""))])
    for piece in reply.pieces:
        yield _chunk(envelope, [ChunkChoice(delta=Delta(content=piece))])
    yield _chunk(envelope, [ChunkChoice(delta=Delta(), finish_reason="stop")], haven=reply.haven)
    if usage is not None:
        # As OpenAI does: a last chunk with no choices carries the usage.
        yield _chunk(envelope, [], usage=usage)


def _chunk(
    envelope: Envelope,
    choices: list[ChunkChoice],
    usage: Usage | None = None,
    haven: HavenExtra | None = None,
) -> ChatCompletionChunk:
    return ChatCompletionChunk(
        id=envelope.id,
        created=envelope.created,
        model=envelope.model,
        system_fingerprint=envelope.fingerprint,
        choices=choices,
        usage=usage,
        haven=haven,
    )


def sse_lines(items: Iterator[ChatCompletionChunk]) -> Iterator[str]:
    """Server-sent events as OpenAI sends them: `data:` lines only, ending with [DONE]."""
    for item in items:
        yield f"data: {json.dumps(_chunk_json(item), ensure_ascii=False)}\n\n"
    yield "data: [DONE]\n\n"


def _chunk_json(item: ChatCompletionChunk) -> dict[str, Any]:
    # `finish_reason: null` stays (strict clients expect the key); unset delta fields and
    # absent extras are left out, as OpenAI sends them.
    data = item.model_dump(mode="json")
    for key in ("usage", "haven"):
        if data[key] is None:
            del data[key]
    for choice in data["choices"]:
        choice["delta"] = {k: v for k, v in choice["delta"].items() if v is not None}
    return data
