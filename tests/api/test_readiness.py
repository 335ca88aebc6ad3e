"""A server without an index, or with one built under other settings, says so and stays up."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from core.settings import ChunkingSettings
from tests.conftest import make_settings

pytestmark = pytest.mark.integration


def test_no_index_is_not_ready(tmp_path, real_embedder) -> None:
    with TestClient(create_app(make_settings(tmp_path), embedder=real_embedder)) as client:
        assert client.get("/health").status_code == 200
        r = client.get("/ready")
        assert r.status_code == 503
        assert "haven ingest" in r.json()["detail"]
        search = client.post("/api/search", json={"query": "child"})
        assert search.status_code == 503


def test_index_built_with_other_settings_is_refused(small_settings, real_embedder) -> None:
    other = small_settings.model_copy(
        update={"chunking": ChunkingSettings(target_words=60, max_words=90, min_words=10)}
    )
    with TestClient(create_app(other, embedder=real_embedder)) as client:
        r = client.get("/ready")
        assert r.status_code == 503
        detail = r.json()["detail"]
        assert "re-ingest" in detail.lower()
        assert "chunker" in detail
