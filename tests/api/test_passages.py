"""GET /api/passages/{chunk_id} through the real app: a passage and its neighbours."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app

pytestmark = pytest.mark.integration

FIELDS = {"chunk_id", "doc_id", "title", "section", "page_start", "page_end", "text", "ordinal"}


@pytest.fixture(scope="module")
def client(small_settings, real_embedder):
    with TestClient(create_app(small_settings, embedder=real_embedder)) as c:
        yield c


@pytest.fixture(scope="module")
def hit(client) -> dict:
    r = client.post(
        "/api/search",
        json={"query": "attend to immediate needs: water, food, shelter, clothing", "k": 1},
    )
    assert r.status_code == 200, r.text
    return r.json()["results"][0]


def _get(client, chunk_id: str, **params) -> dict:
    r = client.get(f"/api/passages/{chunk_id}", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_passage_matches_the_search_result(client, hit) -> None:
    body = _get(client, hit["chunk_id"])
    passage = body["passage"]
    assert set(passage) == FIELDS
    for key in FIELDS - {"ordinal"}:
        assert passage[key] == hit[key], key
    assert isinstance(passage["ordinal"], int)


def test_default_is_one_neighbour_each_side(client, hit) -> None:
    body = _get(client, hit["chunk_id"])
    ordinal = body["passage"]["ordinal"]
    assert [p["ordinal"] for p in body["before"]] == [ordinal - 1]
    assert [p["ordinal"] for p in body["after"]] == [ordinal + 1]
    for p in body["before"] + body["after"]:
        assert set(p) == FIELDS
        assert p["doc_id"] == hit["doc_id"]
        assert p["title"] == hit["title"]
        assert p["chunk_id"] != hit["chunk_id"]
        assert p["text"]


def test_neighbours_walk_the_document_in_order(client, hit) -> None:
    body = _get(client, hit["chunk_id"])
    nxt = _get(client, body["after"][0]["chunk_id"])
    assert nxt["before"][-1]["chunk_id"] == hit["chunk_id"]
    prev = _get(client, body["before"][0]["chunk_id"])
    assert prev["after"][0]["chunk_id"] == hit["chunk_id"]


@pytest.mark.parametrize("n", [0, 2, 3])
def test_neighbour_count(client, hit, n: int) -> None:
    body = _get(client, hit["chunk_id"], neighbours=n)
    ordinal = body["passage"]["ordinal"]
    # The hit lies mid-document, so there are n passages on each side.
    assert [p["ordinal"] for p in body["before"]] == list(range(ordinal - n, ordinal))
    assert [p["ordinal"] for p in body["after"]] == list(range(ordinal + 1, ordinal + 1 + n))


def test_first_passage_has_nothing_before(client) -> None:
    store = client.app.state.haven.retriever.store
    first, _ = next(store.iter_chunks("rso-first-responders"))
    body = _get(client, first.chunk_id, neighbours=3)
    assert body["passage"]["ordinal"] == first.ordinal
    assert body["before"] == []
    assert len(body["after"]) == 3


def test_last_passage_has_nothing_after(client) -> None:
    store = client.app.state.haven.retriever.store
    *_, (last, _) = store.iter_chunks("iom-ilo-migration-leaflet")
    body = _get(client, last.chunk_id, neighbours=2)
    assert body["after"] == []
    assert [p["ordinal"] for p in body["before"]] == [last.ordinal - 2, last.ordinal - 1]


def test_unknown_id_is_404_problem(client) -> None:
    r = client.get("/api/passages/no-such-passage")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == 404
    assert body["type"].endswith("/unknown-passage")


@pytest.mark.parametrize("value", ["-1", "4", "many"])
def test_bad_neighbours_is_422_problem(client, hit, value: str) -> None:
    r = client.get(f"/api/passages/{hit['chunk_id']}", params={"neighbours": value})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "neighbours" in r.json()["detail"]


def test_page_and_static_files_are_served(client) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert '<html lang="en">' in page.text
    for name, kind in (("app.js", "javascript"), ("style.css", "text/css")):
        r = client.get(f"/static/{name}")
        assert r.status_code == 200, name
        assert kind in r.headers["content-type"]
    assert client.get("/static/nope.js").status_code == 404
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/%2e%2e/app.py").status_code == 404
