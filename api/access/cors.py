"""Cross-origin access for browsers: closed unless `access.cors_origins` names origins."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from core.settings import AccessSettings

METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE"]
REQUEST_HEADERS = ["Authorization", "Content-Type", "Accept", "Accept-Language", "X-Request-ID"]
# What a page on another origin may read: the wait after a 429, the id to quote in a support
# request, and an export's file name.
RESPONSE_HEADERS = ["Retry-After", "X-Request-ID", "Content-Disposition"]


def add_cors(app: FastAPI, access: AccessSettings) -> None:
    """Add CORS handling for the configured origins; none configured, none added, so no
    response ever carries Access-Control-Allow-Origin and browsers refuse cross-origin reads.

    Keys travel in the Authorization header, never cookies, so credentials stay off: a page on
    an allowed origin still needs a key of its own to write.
    """
    if not access.cors_origins:
        return
    app.add_middleware(
        CORSMiddleware,
        allow_origins=access.cors_origins,
        allow_methods=METHODS,
        allow_headers=REQUEST_HEADERS,
        expose_headers=RESPONSE_HEADERS,
        allow_credentials=False,
        max_age=600,
    )
