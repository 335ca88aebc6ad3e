"""Every error leaves the API in one shape: RFC 9457 problem details (application/problem+json).

{"type": "https://haven.invalid/problems/<slug>", "title": str, "status": int, "detail": str,
 "errors": [{"loc": [...], "msg": str}]   # only for invalid requests}
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from index.errors import (
    EmbedderUnavailableError,
    IndexMismatchError,
    IndexNotFoundError,
    UnknownDocumentError,
)

PROBLEM_BASE = "https://haven.invalid/problems/"
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
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(
        body, status_code=status, media_type="application/problem+json", headers=headers
    )


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


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return problem(exc.status, exc.slug, exc.title, exc.detail, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        malformed, errors = _validation_errors(exc)
        if malformed:
            return problem(400, "malformed-json", "Malformed JSON", "The body is not valid JSON.")
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
        return problem(422, "invalid-request", "Invalid request", detail, errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug = {404: "not-found", 405: "method-not-allowed", 413: "too-large"}.get(
            exc.status_code, "http-error"
        )
        return problem(exc.status_code, slug, str(exc.detail), str(exc.detail))

    for exc_type, (status, slug, title) in _DOMAIN.items():

        def _make(status: int = status, slug: str = slug, title: str = title) -> Any:
            async def handler(request: Request, exc: Exception) -> JSONResponse:
                return problem(status, slug, title, str(exc))

            return handler

        app.add_exception_handler(exc_type, _make())

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(500, "internal", "Internal error", "Something went wrong on the server.")
