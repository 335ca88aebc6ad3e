"""A small local server that speaks the OpenAI chat-completions protocol, for generator tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from tests.support.live_server import running


@dataclass
class Behaviour:
    reply: str = "NOT COVERED"
    delay: float = 0.0
    status: int = 200
    requests: list[dict[str, Any]] = field(default_factory=list)


def build_app(behaviour: Behaviour) -> FastAPI:
    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def completions(request: Request) -> JSONResponse:
        body = await request.json()
        behaviour.requests.append({"body": body, "auth": request.headers.get("authorization")})
        if behaviour.delay:
            await asyncio.sleep(behaviour.delay)
        if behaviour.status != 200:
            return JSONResponse({"error": {"message": "boom"}}, status_code=behaviour.status)
        return JSONResponse(
            {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": behaviour.reply},
                        "finish_reason": "stop",
                    }
                ],
            }
        )

    return app


@contextmanager
def running_llm_server() -> Iterator[tuple[str, Behaviour]]:
    behaviour = Behaviour()
    with running(build_app(behaviour), log_level="error") as base:
        yield base + "/v1", behaviour
