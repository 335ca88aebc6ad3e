"""ASGI middleware: request ids with privacy-safe access logs, and a request body size limit."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import problem_body
from api.logs import REQUEST_ID
from api.route_labels import method_label, route_template

log = logging.getLogger("haven.access")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
# Probes and scrapes arrive every few seconds; their lines would drown the rest at INFO.
QUIET_ROUTES = frozenset({"/health", "/metrics"})


class RequestLogMiddleware:
    """Gives each request an id (X-Request-ID, the client's own when it is a plain token) that
    every log line written for it carries, and logs method, route template, status and
    duration — never bodies, raw paths or query strings, which may name victims."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_request_id(scope) or uuid.uuid4().hex[:16]
        # Not reset afterwards: each request runs in its own task (its own context), and the
        # error handler that logs an unhandled exception runs outside this middleware.
        REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _log_access(scope, status, (time.perf_counter() - started) * 1000)


def _incoming_request_id(scope: Scope) -> str | None:
    """The client's X-Request-ID when it is a plain token; anything else could inject text."""
    for name, value in scope.get("headers") or []:
        if name == b"x-request-id":
            text = value.decode("latin-1")
            return text if _REQUEST_ID.fullmatch(text) else None
    return None


def _log_access(scope: Scope, status: int, duration_ms: float) -> None:
    method, route = method_label(scope), route_template(scope)
    level = logging.DEBUG if route in QUIET_ROUTES else logging.INFO
    log.log(
        level,
        "%s %s %s %.1fms",
        method,
        route,
        status,
        duration_ms,
        extra={
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": round(duration_ms, 1),
        },
    )


class BodyLimitMiddleware:
    """Refuses bodies over the limit with 413, whether or not Content-Length tells the size."""

    def __init__(
        self, app: ASGIApp, max_bytes: int, path_limits: dict[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        # Larger limits for the routes that take them (document uploads), by exact path.
        self.path_limits = path_limits or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "").removeprefix(scope.get("root_path", "") or "")
        limit = self.path_limits.get(path, self.max_bytes)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(send, limit, path)
            return
        received = 0
        refused = False

        async def limited_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    raise _TooLarge(limit)
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _TooLarge:
            if refused:
                await self._refuse(send, limit, path)

    async def _refuse(self, send: Send, limit: int, path: str) -> None:
        detail = f"The request body is over the limit of {limit} bytes."
        body = problem_body(413, "too-large", "Request too large", detail, path=path)
        payload = json.dumps(body).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(payload)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})


class _TooLarge(HTTPException):
    """An HTTPException, so the framework passes it on while it parses a form or JSON body
    (anything else there becomes a 400) and the app's handler answers 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body is over the limit of {limit} bytes.")
