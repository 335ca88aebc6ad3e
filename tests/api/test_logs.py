"""Structured logs: text or JSON lines, request ids on every line, and no question text ever."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.logs import REQUEST_ID, HavenHandler, JsonFormatter, TextFormatter, configure_logging
from core.settings import EmbeddingSettings, ObservabilitySettings, Settings
from tests.conftest import make_settings

NAME = "Zofia Wiśniewska-Kowalczyk"  # a distinctive name no handbook contains


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """configure_logging changes the root logger; later tests get it back as it was."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    saved = [(h, h.stream, h.formatter) for h in handlers if isinstance(h, HavenHandler)]
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    for handler, stream, formatter in saved:
        handler.stream = stream
        handler.setFormatter(formatter)
    root.setLevel(level)


def _settings(data_dir: Path, log_format: str, level: str = "INFO", **extra: object) -> Settings:
    observability = ObservabilitySettings(log_format=log_format, log_level=level)  # type: ignore[arg-type]
    return make_settings(data_dir, observability=observability, **extra)


def _fake_settings(tmp_path: Path, log_format: str = "json", level: str = "INFO") -> Settings:
    return _settings(tmp_path, log_format, level, embedding=EmbeddingSettings(backend="fake"))


def _lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def _server_text(stream: io.StringIO) -> str:
    """The lines the server wrote: the test client's own (httpx) lines show the URL it sent."""
    return "\n".join(line for line in stream.getvalue().splitlines() if " httpx" not in line)


def _access(lines: list[dict[str, object]]) -> list[dict[str, object]]:
    return [line for line in lines if line["logger"] == "haven.access"]


def _record(message: str, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("haven.test", logging.INFO, __file__, 1, message, (), None)
    record.__dict__.update(extra)
    return record


# -- formatters and configuration --------------------------------------------------------------


def test_json_lines_carry_the_fields_and_the_request_id() -> None:
    token = REQUEST_ID.set("req-42")
    try:
        line = json.loads(JsonFormatter().format(_record("hello", route="/api/search", status=200)))
    finally:
        REQUEST_ID.reset(token)
    assert line["message"] == "hello"
    assert line["level"] == "INFO"
    assert line["logger"] == "haven.test"
    assert line["request_id"] == "req-42"
    assert line["route"] == "/api/search"
    assert line["status"] == 200
    assert "method" not in line  # only the access fields a record has
    assert str(line["ts"]).endswith("+00:00")


def test_text_lines_carry_the_request_id() -> None:
    assert "[-] hello" in TextFormatter().format(_record("hello"))
    token = REQUEST_ID.set("abc")
    try:
        assert "haven.test [abc] hello" in TextFormatter().format(_record("hello"))
    finally:
        REQUEST_ID.reset(token)


def test_configure_logging_is_idempotent(tmp_path: Path) -> None:
    stream = io.StringIO()
    configure_logging(_fake_settings(tmp_path, "text", "DEBUG"), stream=stream)
    configure_logging(_fake_settings(tmp_path, "json", "WARNING"))  # e.g. from create_app
    root = logging.getLogger()
    ours = [h for h in root.handlers if isinstance(h, HavenHandler)]
    assert len(ours) == 1
    assert ours[0].stream is stream  # kept: no second stream, no lost test capture
    assert isinstance(ours[0].formatter, JsonFormatter)
    assert root.level == logging.WARNING
    logging.getLogger("haven.test").warning("once")
    assert len(_lines(stream)) == 1


def test_logging_set_up_by_the_host_process_is_left_alone(tmp_path: Path) -> None:
    root = logging.getLogger()
    assert root.handlers, "pytest's own capture handlers"
    before = (root.level, list(root.handlers))
    assert configure_logging(_fake_settings(tmp_path, "json", "ERROR")) is None
    assert (root.level, list(root.handlers)) == before


def test_a_fresh_process_that_only_calls_the_factory_logs_json(tmp_path: Path) -> None:
    """What a uvicorn worker process does: import api.app and call create_app()."""
    code = (
        "import logging; from api.app import create_app; create_app(); "
        "logging.getLogger('haven.test').info('worker ready')"
    )
    env = {
        **os.environ,
        "HAVEN_DATA_DIR": str(tmp_path),
        "HAVEN_EMBEDDING__BACKEND": "fake",
        "HAVEN_OBSERVABILITY__LOG_FORMAT": "json",
    }
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stderr.splitlines()]
    assert {"logger": "haven.test", "message": "worker ready"}.items() <= lines[-1].items()


# -- through the app ---------------------------------------------------------------------------


def _app(settings: Settings) -> tuple[FastAPI, io.StringIO]:
    stream = io.StringIO()
    configure_logging(settings, stream=stream)
    return create_app(settings), stream


def test_request_id_is_in_the_header_and_every_line_of_the_request(tmp_path: Path) -> None:
    app, stream = _app(_fake_settings(tmp_path))

    def noisy() -> dict[str, str]:
        # A plain def route runs in the thread pool: the id must follow it there.
        logging.getLogger("haven.test").info("inside the route")
        return {}

    app.add_api_route("/test/noisy", noisy)
    with TestClient(app) as client:
        response = client.get("/test/noisy")
        other = client.get("/health")
    request_id = response.headers["x-request-id"]
    assert request_id and request_id != other.headers["x-request-id"]
    lines = _lines(stream)
    inside = [line for line in lines if line["message"] == "inside the route"]
    assert [line["request_id"] for line in inside] == [request_id]
    access = [line for line in _access(lines) if line["route"] == "/test/noisy"]
    assert len(access) == 1
    assert access[0]["request_id"] == request_id
    assert access[0]["method"] == "GET"
    assert access[0]["status"] == 200
    assert isinstance(access[0]["duration_ms"], float)


def test_an_unhandled_error_is_logged_with_the_request_id(tmp_path: Path) -> None:
    app, stream = _app(_fake_settings(tmp_path))

    def broken() -> None:
        raise RuntimeError("boom")

    app.add_api_route("/test/broken", broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/test/broken")
    assert response.status_code == 500
    errors = [line for line in _lines(stream) if line["level"] == "ERROR"]
    assert len(errors) == 1
    assert "RuntimeError: boom" in str(errors[0]["exc"])
    access = [line for line in _access(_lines(stream)) if line["route"] == "/test/broken"]
    assert access[0]["status"] == 500
    assert errors[0]["request_id"] == access[0]["request_id"] != "-"
    # The 500 itself carries the same id, for the operator to find the traceback.
    assert response.headers["x-request-id"] == access[0]["request_id"]


def test_an_incoming_request_id_is_kept_and_a_strange_one_replaced(tmp_path: Path) -> None:
    app, stream = _app(_fake_settings(tmp_path))
    with TestClient(app) as client:
        kept = client.get("/api/documents", headers={"X-Request-ID": "lb-7f3a.9"})
        replaced = client.get("/api/documents", headers={"X-Request-ID": "Zofia Wisniewska"})
    assert kept.headers["x-request-id"] == "lb-7f3a.9"
    assert replaced.headers["x-request-id"] != "Zofia Wisniewska"
    ids = [line["request_id"] for line in _access(_lines(stream))]
    assert ids == ["lb-7f3a.9", replaced.headers["x-request-id"]]
    assert "Wisniewska" not in stream.getvalue()


def test_access_lines_name_the_route_template_never_the_path_or_query(tmp_path: Path) -> None:
    app, stream = _app(_fake_settings(tmp_path, "text"))
    with TestClient(app) as client:
        client.get("/api/quiz/Wisniewska-quiz?q=Wisniewska")
        client.get("/no/such/Wisniewska?name=Wisniewska")
    text = _server_text(stream)
    assert "GET /api/quiz/{quiz_id} " in text
    assert "GET other 404" in text
    assert "Wisniewska" not in text


# -- privacy: the real model and index answer; nothing of the question reaches a log ----------


@pytest.mark.integration
@pytest.mark.parametrize("log_format", ["text", "json"])
def test_question_text_is_never_logged(
    log_format: str,
    small_settings: Settings,
    real_embedder: object,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = small_settings.model_copy(
        update={"observability": ObservabilitySettings(log_format=log_format, log_level="DEBUG")}
    )
    stream = io.StringIO()
    configure_logging(settings, stream=stream)
    caplog.set_level(logging.DEBUG)
    question = f"{NAME} is 15 and was found hidden in a truck: what should I do first?"
    with TestClient(create_app(settings, embedder=real_embedder)) as client:  # type: ignore[arg-type]
        asked = client.post("/api/ask", json={"question": question})
        found = client.post("/api/search", json={"query": question})
    assert asked.status_code == 200 and found.status_code == 200
    records = [r for r in caplog.records if r.name == "haven.access"]
    assert {r.__dict__["route"] for r in records} >= {"/api/ask", "/api/search"}
    formatter = JsonFormatter() if log_format == "json" else TextFormatter()
    for record in caplog.records:
        for text in (repr(record.__dict__), record.getMessage(), formatter.format(record)):
            assert "Wiśniewska" not in text and "Zofia" not in text, record.name
    written = _server_text(stream)
    assert "/api/ask" in written
    assert "Wiśniewska" not in written and "Zofia" not in written
