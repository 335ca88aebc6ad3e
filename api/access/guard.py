"""Refuses an upload without a valid key before its body is read.

FastAPI parses a multipart form before it runs a route's dependencies, so `WriteAccess` alone
would let anyone make the server spool a body of up to `documents.max_upload_bytes` to disk
before answering 401. This middleware checks the key first; the route keeps its own
`WriteAccess` (which also documents the requirement in the OpenAPI schema).
"""

from __future__ import annotations

from collections.abc import Collection

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from api.access.deps import key_check, require_write
from api.deps import get_container, get_key_store
from api.errors import ApiError, problem


class UploadGuardMiddleware:
    def __init__(self, app: ASGIApp, paths: Collection[str], methods: Collection[str]) -> None:
        self.app = app
        self.paths = frozenset(paths)
        self.methods = frozenset(m.upper() for m in methods)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        guarded = (
            scope["type"] == "http"
            and scope.get("method") in self.methods
            and scope["path"].rstrip("/") in self.paths
        )
        if guarded:
            request = Request(scope)  # headers only: the body stays unread
            try:
                require_write(key_check(request, get_key_store(get_container(request))))
            except ApiError as exc:
                response = problem(exc.status, exc.slug, exc.title, exc.detail, headers=exc.headers)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
