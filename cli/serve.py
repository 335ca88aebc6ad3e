"""`haven serve`: the API and web chat under uvicorn."""

from __future__ import annotations

import os
from typing import Annotated

import typer
import uvicorn

from api.logs import configure_logging
from cli.common import settings


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
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host or config.server.host,
        port=port or config.server.port,
        workers=workers or config.server.workers,
        access_log=False,  # our own access log leaves out anything that could carry text
        log_config=None,  # uvicorn's own lines go through the same handler and format
    )
