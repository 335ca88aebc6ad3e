"""Every error leaves the API in one shape: RFC 9457 problem details (application/problem+json).

{"type": "https://haven.invalid/problems/<slug>", "title": str, "status": int, "detail": str,
 "errors": [{"loc": [...], "msg": str}]   # only for invalid requests
 "error": {"message": str, "type": str, "code": str}}   # only on /v1/ (OpenAI clients)
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.logs import NO_REQUEST, REQUEST_ID
from index.errors import (
    EmbedderUnavailableError,
    IndexMismatchError,
    IndexNotFoundError,
    UnknownDocumentError,
)

PROBLEM_BASE = "https://haven.invalid/problems/"
OPENAI_PREFIX = "/v1/"
log = logging.getLogger("haven.api")


class ApiError(Exception):
    """A domain error the service raises on purpose, with its HTTP status and problem slug."""

    def __init__(
        self,
        status: int,
        slug: str,
        title: str,
        detail: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.headers = headers


def problem(
    status: int,
    slug: str,
    title: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    path: str = "",
) -> JSONResponse:
    """`path` is the request's; under /v1/ the problem also carries OpenAI's `error` member."""
    body = problem_body(status, slug, title, detail, errors, path)
    return JSONResponse(
        body, status_code=status, media_type="application/problem+json", headers=headers
    )


def problem_body(
    status: int,
    slug: str,
    title: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    path: str = "",
) -> dict[str, Any]:
    """The problem document itself, for code that answers without a Response (middleware)."""
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    if path.startswith(OPENAI_PREFIX):
        body["error"] = openai_error(status, slug, detail)
    return body


def openai_error(status: int, slug: str, detail: str) -> dict[str, str]:
    """The `error` object OpenAI SDKs read their exception's message from."""
    kinds = {401: "authentication_error", 403: "permission_error", 429: "rate_limit_error"}
    kind = kinds.get(status, "server_error" if status >= 500 else "invalid_request_error")
    return {"message": detail, "type": kind, "code": slug.replace("-", "_")}


def _validation_errors(exc: RequestValidationError) -> tuple[bool, list[dict[str, Any]]]:
    malformed = False
    errors = []
    for err in exc.errors():
        if err.get("type") == "json_invalid":
            malformed = True
        # The offending input is left out on purpose: it may be a question naming a victim.
        errors.append({"loc": list(err.get("loc", ())), "msg": str(err.get("msg", ""))})
    return malformed, errors


_DOMAIN: dict[type[Exception], tuple[int, str, str]] = {
    UnknownDocumentError: (404, "unknown-document", "Unknown document"),
    IndexNotFoundError: (503, "index-missing", "The index is not built yet"),
    IndexMismatchError: (503, "index-mismatch", "The index was built with other settings"),
    EmbedderUnavailableError: (503, "model-unavailable", "The embedding model is unavailable"),
}


def _path(request: Request) -> str:
    # Relative to where the app is mounted, so /v1/ is recognised behind a path prefix too.
    return request.url.path.removeprefix(request.scope.get("root_path", "") or "")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return problem(
            exc.status, exc.slug, exc.title, exc.detail, headers=exc.headers, path=_path(request)
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        malformed, errors = _validation_errors(exc)
        if malformed:
            detail = "The body is not valid JSON."
            return problem(400, "malformed-json", "Malformed JSON", detail, path=_path(request))
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
        return problem(
            422, "invalid-request", "Invalid request", detail, errors, path=_path(request)
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug = {404: "not-found", 405: "method-not-allowed", 413: "too-large"}.get(
            exc.status_code, "http-error"
        )
        return problem(exc.status_code, slug, str(exc.detail), str(exc.detail), path=_path(request))

    for exc_type, (status, slug, title) in _DOMAIN.items():

        def _make(status: int = status, slug: str = slug, title: str = title) -> Any:
            async def handler(request: Request, exc: Exception) -> JSONResponse:
                return problem(status, slug, title, str(exc), path=_path(request))

            return handler

        app.add_exception_handler(exc_type, _make())

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        detail = "Something went wrong on the server."
        # Starlette sends this response outside the middleware that adds the request id, so it
        # is added here: the id is what an operator needs to find the traceback in the logs.
        request_id = REQUEST_ID.get()
        headers = {"X-Request-ID": request_id} if request_id != NO_REQUEST else None
        return problem(
            500, "internal", "Internal error", detail, headers=headers, path=_path(request)
        )
