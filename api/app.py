"""The FastAPI application factory and its lifespan (models and index load once)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from api.answer.generator import Generator
from api.errors import install_error_handlers
from api.feedback_store import FeedbackStore
from api.middleware import BodyLimitMiddleware, RequestLogMiddleware
from api.routes import (
    ask,
    documents,
    feedback,
    health,
    passages,
    quiz,
    search,
    translate,
    web,
)
from api.settings import Settings, get_settings
from api.state import AppState
from api.translation.service import TranslationService
from index.embedder import Embedder


def create_app(
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    generator: Generator | None = None,
    translator: TranslationService | None = None,
) -> FastAPI:
    """Build the app. `embedder` lets tests share one loaded model; `generator` overrides the
    configured language model; `translator` the configured translation backends."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = await run_in_threadpool(AppState.load, settings, embedder, generator, translator)
        app.state.haven = state
        app.state.feedback = FeedbackStore(settings.data_dir / feedback.FEEDBACK_FILE)
        try:
            yield
        finally:
            app.state.feedback.close()
            state.close()

    app = FastAPI(
        title="Haven",
        version="0.1.0",
        description="Cited guidance from anti-trafficking handbooks, offline.",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    for module in (health, search, ask, documents, passages, feedback, quiz, translate, web):
        app.include_router(module.router)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.server.max_body_bytes)
    app.add_middleware(RequestLogMiddleware)
    return app
