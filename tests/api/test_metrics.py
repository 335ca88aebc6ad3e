"""Prometheus metrics through the real app: counts, latencies, route templates, the index."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from api.app import create_app
from core.settings import EmbeddingSettings, ObservabilitySettings, Settings
from tests.conftest import make_settings


def _settings(data_dir: Path, metrics: bool = True) -> Settings:
    return make_settings(
        data_dir,
        embedding=EmbeddingSettings(backend="fake"),
        observability=ObservabilitySettings(metrics=metrics),
    )


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    """No index (fake embedder): fast, and enough for everything but the index gauges."""
    with TestClient(create_app(_settings(tmp_path))) as c:
        yield c


def _samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(text: str, name: str, **labels: str) -> float | None:
    return _samples(text).get((name, frozenset(labels.items())))


def _scrape(client: TestClient) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return response.text


def test_requests_are_counted_and_timed_by_route(client: TestClient) -> None:
    for _ in range(3):
        assert client.get("/health").status_code == 200
    client.post("/health")  # 405: the route matched, the method did not
    text = _scrape(client)
    health = {"method": "GET", "route": "/health", "status": "200"}
    assert value(text, "haven_http_requests_total", **health) == 3
    assert value(text, "haven_http_request_duration_seconds_count", **health) == 3
    assert (value(text, "haven_http_request_duration_seconds_sum", **health) or 0) > 0
    bucket = value(text, "haven_http_request_duration_seconds_bucket", le="+Inf", **health)
    assert bucket == 3
    assert value(text, "haven_http_requests_total", method="POST", route="/health", status="405")
    # The scrape itself is counted once it is done, and it is the only request in flight now.
    assert value(text, "haven_http_requests_in_flight") == 1
    again = _scrape(client)
    assert value(again, "haven_http_requests_total", method="GET", route="/metrics", status="200")


def test_labels_are_route_templates_never_raw_paths(client: TestClient) -> None:
    client.get("/api/quiz/Petrova-quiz-41")
    client.get("/api/quiz/Petrova-quiz-42?name=Petrova")
    client.get("/static/app.js")
    client.get("/no/such/Petrova")
    client.request("BREW", "/health")
    text = _scrape(client)
    assert "Petrova" not in text
    routes = {
        dict(labels).get("route")
        for (name, labels) in _samples(text)
        if name == "haven_http_requests_total"
    }
    assert {"/api/quiz/{quiz_id}", "/static/{path:path}", "other"} <= routes
    quiz = sum(
        v
        for (name, labels), v in _samples(text).items()
        if name == "haven_http_requests_total" and dict(labels)["route"] == "/api/quiz/{quiz_id}"
    )
    assert quiz == 2
    assert value(text, "haven_http_requests_total", method="OTHER", route="/health", status="405")


def test_process_and_readiness_are_reported(client: TestClient) -> None:
    text = _scrape(client)
    assert (value(text, "process_resident_memory_bytes") or 0) > 0
    assert value(text, "process_cpu_seconds_total") is not None
    assert value(text, "haven_index_ready") == 0  # no index in this data folder
    assert value(text, "haven_index_documents") is None


def test_two_apps_in_one_process_keep_their_own_counts(tmp_path: Path) -> None:
    with (
        TestClient(create_app(_settings(tmp_path / "a"))) as a,
        TestClient(create_app(_settings(tmp_path / "b"))) as b,
    ):
        for _ in range(4):
            a.get("/health")
        b.get("/health")
        health = {"method": "GET", "route": "/health", "status": "200"}
        assert value(_scrape(a), "haven_http_requests_total", **health) == 4
        assert value(_scrape(b), "haven_http_requests_total", **health) == 1


def test_metrics_turned_off_answer_404(tmp_path: Path) -> None:
    with TestClient(create_app(_settings(tmp_path, metrics=False))) as client:
        client.get("/health")
        response = client.get("/metrics")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 404


# -- with the real index -----------------------------------------------------------------------


@pytest.mark.integration
def test_index_gauges_match_the_documents_endpoint(small_client: TestClient) -> None:
    documents = small_client.get("/api/documents").json()["documents"]
    ready = small_client.get("/ready").json()
    text = _scrape(small_client)
    assert value(text, "haven_index_ready") == 1
    assert value(text, "haven_index_documents") == len(documents) == 3
    assert value(text, "haven_index_chunks") == sum(d["chunk_count"] for d in documents)
    info = {"build_id": ready["build_id"], "embedder": ready["embedder"], "faiss_index": "Flat"}
    assert value(text, "haven_index_info", **info) == 1
    age = value(text, "haven_index_age_seconds")
    assert age is not None and age >= 0


@pytest.mark.integration
def test_a_search_moves_its_counter_and_histogram(small_client: TestClient) -> None:
    search = {"method": "POST", "route": "/api/search", "status": "200"}
    before = _scrape(small_client)
    query = "Petrova reflection period for child victims"
    assert small_client.post("/api/search", json={"query": query}).status_code == 200
    after = _scrape(small_client)
    for name in ("haven_http_requests_total", "haven_http_request_duration_seconds_count"):
        assert (value(after, name, **search) or 0) == (value(before, name, **search) or 0) + 1
    total = "haven_http_request_duration_seconds_sum"
    assert (value(after, total, **search) or 0) > (value(before, total, **search) or 0)
    assert "Petrova" not in after


# -- several worker processes ------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.integration
def test_workers_share_counts_through_the_multiprocess_folder(tmp_path: Path) -> None:
    shared = tmp_path / "prometheus"
    shared.mkdir()
    port = _free_port()
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(shared),
        "HAVEN_DATA_DIR": str(tmp_path / "data"),
        "HAVEN_EMBEDDING__BACKEND": "fake",
        "HAVEN_SERVER__HOST": "127.0.0.1",
        "HAVEN_SERVER__PORT": str(port),
        "HAVEN_SERVER__WORKERS": "2",
    }
    haven = Path(sys.executable).parent / "haven"
    server = subprocess.Popen(
        [str(haven), "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        served = _wait_until_up(base)
        assert len(list(shared.glob("gauge_livesum_*.db"))) == 2, "two workers started"
        # A new connection each time, so that both workers take requests and scrapes.
        for _ in range(20):
            served += httpx.get(base + "/health").status_code == 200
        health = {"method": "GET", "route": "/health", "status": "200"}
        for _ in range(6):
            text = httpx.get(base + "/metrics").text
            assert value(text, "haven_http_requests_total", **health) == served
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert not list(shared.glob("gauge_live*")), "stopped workers leave no live gauges"


def _wait_until_up(base: str, seconds: float = 120) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/health", timeout=2).status_code == 200:
                time.sleep(3)  # the second worker may still be starting
                return 1
        except httpx.HTTPError:
            time.sleep(0.5)
    raise AssertionError("the server did not start")
