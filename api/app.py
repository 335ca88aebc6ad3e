"""The FastAPI application factory and its lifespan (models and index load once)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from starlette.concurrency import run_in_threadpool

from answer.generator import Generator
from api.access.cors import add_cors
from api.access.deps import require_read
from api.access.guard import UploadGuardMiddleware
from api.errors import install_error_handlers
from api.logs import configure_logging
from api.metrics import install_metrics
from api.middleware import BodyLimitMiddleware, RequestLogMiddleware
from api.ratelimit import RateLimiter, RateLimitMiddleware
from api.routes import (
    ask,
    documents,
    feedback,
    health,
    metrics,
    openai_compat,
    passages,
    quiz,
    search,
    translate,
    web,
)
from core.settings import Settings, get_settings
from index.embedder import Embedder
from translation.service import TranslationService
from wiring.container import Container


def create_app(
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    generator: Generator | None = None,
    translator: TranslationService | None = None,
) -> FastAPI:
    """Build the app. `embedder` lets tests share one loaded model; `generator` overrides the
    configured language model; `translator` the configured translation backends."""
    settings = settings or get_settings()
    configure_logging(settings)  # worker processes import only this factory

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        container = await run_in_threadpool(
            Container.load, settings, embedder, generator, translator, True
        )
        app.state.haven = container  # the one place routes get services from (api/deps.py)
        try:
            yield
        finally:
            container.close()

    app = FastAPI(
        title="Haven",
        version="0.1.0",
        description="Cited guidance from anti-trafficking handbooks, offline.",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    # Health checks and the page itself stay open; every API route checks read access (open
    # unless access.require_key_for_reads), and write routes also declare WriteAccess.
    for module in (health, metrics, web):
        app.include_router(module.router)
    for module in (search, ask, documents, passages, feedback, quiz, translate, openai_compat):
        app.include_router(module.router, dependencies=[Depends(require_read)])
    app.add_middleware(UploadGuardMiddleware, paths=[documents.UPLOAD_PATH], methods=["POST"])
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.server.max_body_bytes,
        path_limits={documents.UPLOAD_PATH: documents.upload_body_limit(settings)},
    )
    # The last added runs first: log, then CORS (so a 429 still carries its headers), then
    # rate limits (before any body is read), then the body limit.
    limits = settings.access
    limiter = RateLimiter(limits.rate_limit_per_key, limits.rate_limit_per_ip)
    app.add_middleware(RateLimitMiddleware, limiter=limiter)
    add_cors(app, settings.access)
    install_metrics(app, settings)  # inside the log, outside the rest: counts refusals too
    app.add_middleware(RequestLogMiddleware)
    return app
