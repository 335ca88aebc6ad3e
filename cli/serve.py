"""`haven serve`: the API and web chat under uvicorn."""

from __future__ import annotations

import os
from typing import Annotated

import typer
import uvicorn

from api.logs import configure_logging
from cli.common import settings
from core.settings import Settings
from index.background import BackgroundBuild, running
from index.starter import is_starter_build


def serve(
    host: Annotated[str | None, typer.Option(help="Address (default from settings).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default from settings).")] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Worker processes (default from settings, server.workers)."),
    ] = None,
) -> None:
    """Serve the API and web chat."""
    config = settings()
    configure_logging(config)
    if workers:
        # Worker processes read their settings afresh: they learn the worker count here and
        # share the cores out among themselves (embedding.threads).
        os.environ["HAVEN_SERVER__WORKERS"] = str(workers)
    background = None
    if (
        config.server.background_index
        and is_starter_build(config)
        and not running(config.index_dir)
    ):
        background = BackgroundBuild(config)
        background.start()
    try:
        _run(config, host, port, workers)
    finally:
        if background is not None:
            background.stop()


def _run(config: Settings, host: str | None, port: int | None, workers: int | None) -> None:
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host or config.server.host,
        port=port or config.server.port,
        workers=workers or config.server.workers,
        access_log=False,  # our own access log leaves out anything that could carry text
        log_config=None,  # uvicorn's own lines go through the same handler and format
    )
