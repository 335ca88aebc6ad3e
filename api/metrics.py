"""Prometheus metrics: requests by route template, latency, requests in flight, the loaded index
and the process. Each app has its own registry, so two apps in one process never share counts.

With several worker processes, each keeps its own counts and a scrape reaches one worker. Set
PROMETHEUS_MULTIPROC_DIR to an empty folder before starting the server and prometheus_client
keeps the counts in files there, summed across the workers at every scrape.
"""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from fastapi import FastAPI
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.route_labels import method_label, route_template
from core.settings import Settings
from wiring.container import Container

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Search takes tens of milliseconds, an answer with a language model several seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
StateGetter = Callable[[], Container | None]


class IndexCollector(Collector):
    """Read at scrape time from whatever index the app has loaded (it can change under it)."""

    def __init__(self, state: StateGetter) -> None:
        self._state = state

    def collect(self) -> Iterator[Metric]:
        state = self._state()
        retriever = state.retriever if state is not None else None
        yield GaugeMetricFamily(
            "haven_index_ready",
            "1 when an index is loaded and answering.",
            1.0 if retriever is not None else 0.0,
        )
        if retriever is None:
            return
        manifest = retriever.manifest
        yield GaugeMetricFamily(
            "haven_index_documents", "Documents in the loaded index.", len(retriever.documents)
        )
        yield GaugeMetricFamily(
            "haven_index_chunks", "Passages (chunks) in the loaded index.", retriever.vectors.size
        )
        info = InfoMetricFamily("haven_index", "The loaded index build.")
        info.add_metric(
            [],
            {
                "build_id": manifest.build_id,
                "embedder": manifest.embedder,
                "faiss_index": manifest.faiss_index,
            },
        )
        yield info
        age = _age_seconds(manifest.built_at)
        if age is not None:
            yield GaugeMetricFamily(
                "haven_index_age_seconds", "Seconds since the loaded index was built.", age
            )


def _age_seconds(built_at: str) -> float | None:
    try:
        return max(0.0, time.time() - datetime.fromisoformat(built_at).timestamp())
    except ValueError:
        return None


class Metrics:
    """One app's metrics and the text a scrape gets."""

    def __init__(self, state: StateGetter) -> None:
        self.multiprocess = bool(os.environ.get(MULTIPROC_ENV))
        self.registry = CollectorRegistry()
        labels = ("method", "route", "status")
        self.requests = Counter(
            "haven_http_requests",
            "HTTP requests by method, route template and status.",
            labels,
            registry=self.registry,
        )
        self.latency = Histogram(
            "haven_http_request_duration_seconds",
            "Time to serve a request, to the last byte of the response.",
            labels,
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.in_flight = Gauge(
            "haven_http_requests_in_flight",
            "Requests being served now.",
            registry=self.registry,
            multiprocess_mode="livesum",
        )
        self.index = IndexCollector(state)
        self.registry.register(self.index)
        if not self.multiprocess:
            # Per-process figures cannot be summed across workers, so only without them.
            ProcessCollector(registry=self.registry)
            PlatformCollector(registry=self.registry)
            GCCollector(registry=self.registry)

    def observe(self, scope: Scope, status: int, seconds: float) -> None:
        labels = (method_label(scope), route_template(scope), str(status))
        self.requests.labels(*labels).inc()
        self.latency.labels(*labels).observe(seconds)

    def exposition(self) -> bytes:
        """The Prometheus text format (0.0.4)."""
        if not self.multiprocess:
            return generate_latest(self.registry)
        merged = CollectorRegistry()
        multiprocess.MultiProcessCollector(merged)
        merged.register(self.index)  # the index is the same for every worker
        return generate_latest(merged)


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        started = time.perf_counter()
        self.metrics.in_flight.inc()
        try:
            await self.app(scope, receive, send_status)
        finally:
            self.metrics.in_flight.dec()
            self.metrics.observe(scope, status, time.perf_counter() - started)


def install_metrics(app: FastAPI, settings: Settings) -> None:
    """Count requests when `observability.metrics` is on; /metrics answers 404 when it is off."""
    if not settings.observability.metrics:
        app.state.metrics = None
        return
    app.state.metrics = Metrics(lambda: getattr(app.state, "haven", None))
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    if app.state.metrics.multiprocess:
        _forget_worker_on_shutdown(app)


def _forget_worker_on_shutdown(app: FastAPI) -> None:
    """Drop this worker's live gauges (requests in flight) from the shared folder when it
    stops. Done at the end of the lifespan: uvicorn ends a worker with a re-raised SIGTERM, so
    atexit handlers never run."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[Any]:
        try:
            async with inner(app) as state:
                yield state
        finally:
            multiprocess.mark_process_dead(os.getpid())

    app.router.lifespan_context = lifespan
