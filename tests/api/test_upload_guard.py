"""An upload without a valid key is refused before a byte of its body is read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient

from access.keys import KeyStore
from api.app import create_app
from index.fake_embedder import FakeEmbedder
from tests.conftest import make_settings


def _call(app: Any, headers: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """(status, body chunks the app asked for) for a POST /api/documents."""
    reads = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal reads
        reads += 1
        return {"type": "http.request", "body": b"x" * 1024, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/documents",
        "raw_path": b"/api/documents",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"content-type", b"multipart/form-data; boundary=x"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
        "app": app,
    }

    async def run() -> None:
        await app(scope, receive, send)

    anyio.run(run)
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], reads


@pytest.fixture
def app_and_keys(tmp_path: Path) -> Any:
    app = create_app(make_settings(tmp_path / "data"), embedder=FakeEmbedder())
    with TestClient(app):  # runs the lifespan: the key store opens
        yield app, KeyStore(tmp_path / "data" / "keys.sqlite3")


@pytest.mark.parametrize(
    ("header", "status"),
    [(None, 401), (b"Bearer hvn_00000000_nope", 401), (b"Basic abc", 401), ("revoked", 403)],
)
def test_refused_before_the_body_is_read(app_and_keys: Any, header: Any, status: int) -> None:
    app, keys = app_and_keys
    if header == "revoked":
        record, key = keys.create("gone")
        keys.revoke(record.key_id)
        header = f"Bearer {key}".encode()
    headers = [(b"authorization", header)] if header else []
    got, reads = _call(app, headers)
    assert got == status
    assert reads == 0


def test_a_valid_key_reaches_the_route(app_and_keys: Any) -> None:
    app, keys = app_and_keys
    _, key = keys.create("ok")
    # The route then reads the body (here a broken form: a 4xx, but not 401/403).
    status, reads = _call(app, [(b"authorization", f"Bearer {key}".encode())])
    assert status not in (401, 403)
    assert reads > 0
