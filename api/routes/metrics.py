"""GET /metrics: Prometheus metrics (text format 0.0.4), open like /health; 404 when turned off."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

from api.errors import ApiError
from api.metrics import Metrics

router = APIRouter(tags=["operations"], include_in_schema=False)


@router.get("/metrics")
def metrics(request: Request) -> Response:
    collected: Metrics | None = getattr(request.app.state, "metrics", None)
    if collected is None:
        raise ApiError(404, "not-found", "Not Found", "Metrics are turned off on this server.")
    state = getattr(request.app.state, "haven", None)
    if state is not None:
        state.reload_if_changed()  # report the index a request would use now
    return Response(collected.exposition(), media_type=CONTENT_TYPE_PLAIN_0_0_4)
