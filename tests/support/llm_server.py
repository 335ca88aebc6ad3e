"""A small local server that speaks the OpenAI chat-completions protocol, for generator tests."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_llm_server() -> Iterator[tuple[str, Behaviour]]:
    behaviour = Behaviour()
    port = _free_port()
    config = uvicorn.Config(build_app(behaviour), host="127.0.0.1", port=port, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 10
    while not server.started and time.time() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}/v1", behaviour
    finally:
        server.should_exit = True
        thread.join(timeout=5)
