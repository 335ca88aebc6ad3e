"""GET /health (the process is up) and GET /ready (the index is loaded and can answer)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import ContainerDep
from api.errors import ApiError

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
    return {
        "status": "ready",
        "build_id": manifest.build_id,
        "embedder": manifest.embedder,
        "documents": len(manifest.documents),
        "chunks": state.retriever.vectors.size,
    }
