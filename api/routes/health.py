"""GET /health (the process is up) and GET /ready (the index is loaded and can answer)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter

from api.deps import ContainerDep
from api.errors import ApiError
from index.background import running
from index.starter import is_starter_build

router = APIRouter(tags=["health"])


@router.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/ready")
def ready(state: ContainerDep) -> dict[str, Any]:
    state.reload_if_changed()
    if state.retriever is None:
        raise ApiError(503, "not-ready", "Not ready", state.problem or "The index is loading.")
    manifest = state.retriever.manifest
    building = running(state.settings.index_dir)
    return {
        "status": "ready",
        "build_id": manifest.build_id,
        "embedder": manifest.embedder,
        "documents": len(manifest.documents),
        "chunks": state.retriever.vectors.size,
        # A first start serves a starter build (a faster model) until the configured
        # model's build, made in the background, replaces it.
        "starter_index": is_starter_build(state.settings, manifest),
        "background_build": asdict(building) if building else None,
    }
