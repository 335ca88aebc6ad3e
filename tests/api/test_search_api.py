"""The search API contract, through the real app with the real model, FAISS and SQLite."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration

RESULT_FIELDS = {
    "chunk_id",
    "doc_id",
    "title",
    "section",
    "page_start",
    "page_end",
    "text",
    "score",
}


def test_search_returns_cited_passages(small_client) -> None:
    r = small_client.post(
        "/api/search",
        json={"query": "What should I do first when I meet a child victim?", "k": 3},
    )
    assert r.status_code == 200
    body = r.json()
    assert body["query"].startswith("What should I do first")
    assert len(body["results"]) == 3
    for result in body["results"]:
        assert set(result) == RESULT_FIELDS
        assert result["text"].strip()
        assert result["title"]
    scores = [res["score"] for res in body["results"]]
    assert scores == sorted(scores, reverse=True)


def test_search_finds_the_right_page(small_client) -> None:
    r = small_client.post(
        "/api/search",
        json={"query": "immediate needs water food shelter clothing toilet medical care", "k": 5},
    )
    results = r.json()["results"]
    top = [x for x in results if "water, food, shelter" in x["text"]]
    assert top, [x["text"][:80] for x in results]
    assert top[0]["doc_id"] == "rso-first-responders"
    assert top[0]["page_start"] <= 4 <= top[0]["page_end"]


def test_a_question_in_another_language_finds_the_english_page(small_client) -> None:
    # No backend translates Russian here: the lexicon and the vocabulary carry the words over.
    question = "Что нужно ребёнку сразу: вода, еда, одежда, туалет, медицинская помощь?"
    body = small_client.post("/api/search", json={"query": question, "k": 5}).json()
    assert body["lang"] == "ru"
    assert any("water, food, shelter" in x["text"] for x in body["results"])


def test_search_says_which_language_it_searched_as(small_client) -> None:
    english = small_client.post("/api/search", json={"query": "reflection period"}).json()
    assert english["lang"] == "en"
    named = small_client.post("/api/search", json={"query": "trata", "lang": "es-MX"}).json()
    assert named["lang"] == "es"


def test_default_k_is_five(small_client) -> None:
    r = small_client.post("/api/search", json={"query": "border officer indicators"})
    assert r.status_code == 200
    assert len(r.json()["results"]) == 5


def test_doc_filter_limits_results(small_client) -> None:
    r = small_client.post(
        "/api/search",
        json={"query": "interview", "k": 10, "doc_ids": ["iom-ilo-migration-leaflet"]},
    )
    assert r.status_code == 200
    results = r.json()["results"]
    assert results
    assert {x["doc_id"] for x in results} == {"iom-ilo-migration-leaflet"}
    assert all(x["page_start"] is None for x in results)


@pytest.mark.parametrize("acronym", ["PTSD", "ACTIP", "CRC"])
def test_acronym_found_by_keyword(small_client, acronym: str) -> None:
    r = small_client.post("/api/search", json={"query": acronym, "k": 3})
    assert r.status_code == 200
    assert acronym in r.json()["results"][0]["text"]


def test_documents_lists_chunk_counts(small_client) -> None:
    r = small_client.get("/api/documents")
    assert r.status_code == 200
    docs = {d["doc_id"]: d for d in r.json()["documents"]}
    assert set(docs) == {
        "rso-first-responders",
        "iom-ilo-migration-leaflet",
        "nexus-practitioner-guide",
    }
    assert all(d["chunk_count"] > 0 for d in docs.values())
    assert docs["nexus-practitioner-guide"]["publisher"] == "NEXUS Institute and RSO"


def test_health_and_ready(small_client) -> None:
    assert small_client.get("/health").json() == {"status": "ok"}
    ready = small_client.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["documents"] == 3


def _assert_problem(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == status
    assert body["title"] and body["detail"] and body["type"].startswith("https://")
    return body


@pytest.mark.parametrize(
    "payload",
    [
        {"query": ""},
        {"query": "   "},
        {"query": "x" * 10_000},
        {"query": "ok", "k": 0},
        {"query": "ok", "k": 51},
        {"query": "ok", "k": "five"},
        {"k": 5},
        {"query": 42},
        {"query": "ok", "lang": "not a language"},
    ],
)
def test_bad_requests_get_clear_4xx(small_client, payload) -> None:
    body = _assert_problem(small_client.post("/api/search", json=payload), 422)
    assert any(field in body["detail"] for field in ("query", "k", "lang"))


def test_long_query_problem_does_not_echo_text(small_client) -> None:
    secret = "Maria Lopez " * 500
    r = small_client.post("/api/search", json={"query": secret})
    assert "Maria" not in r.text


def test_malformed_json_is_400(small_client) -> None:
    r = small_client.post(
        "/api/search", content=b'{"query": "x",', headers={"content-type": "application/json"}
    )
    _assert_problem(r, 400)


def test_unknown_document_is_404(small_client) -> None:
    r = small_client.post("/api/search", json={"query": "child", "doc_ids": ["nope"]})
    body = _assert_problem(r, 404)
    assert "nope" in body["detail"]


def test_huge_body_is_413(small_client) -> None:
    r = small_client.post(
        "/api/search",
        content=b'{"query": "' + b"a" * 2_000_000 + b'"}',
        headers={"content-type": "application/json"},
    )
    _assert_problem(r, 413)


def test_unknown_route_is_problem(small_client) -> None:
    _assert_problem(small_client.get("/api/nothing-here"), 404)


def test_a_rare_single_word_finds_the_one_passage_that_has_it(small_client, small_settings):
    """A one-word lookup (a case code, a rare term) is a keyword search: the only passage
    containing the word must come first, not behind passages that are merely similar."""
    import re
    import sqlite3
    from collections import Counter

    from index.layout import IndexLayout

    build = IndexLayout(small_settings.index_dir).current()
    assert build is not None
    with sqlite3.connect(build.database) as db:
        rows = db.execute("SELECT chunk_id, text FROM chunks WHERE kind = 'body'").fetchall()
        holders: dict[str, set[str]] = {}
        for chunk_id, text in rows:
            for word in set(re.findall(r"\b[a-z]{9,}\b", text.lower())):
                holders.setdefault(word, set()).add(chunk_id)
        counts = Counter(w for _, t in rows for w in re.findall(r"\b[a-z]{9,}\b", t.lower()))
        once = sorted(w for w, ids in holders.items() if len(ids) == 1 and counts[w] == 1)
        # Rare for the keyword index too: its stemmer must not fold the word into a common one.
        query = "SELECT COUNT(*) FROM chunks_fts WHERE chunks_fts MATCH ?"
        rare = [w for w in once if db.execute(query, (f'"{w}"',)).fetchone()[0] == 1][:40]
    assert len(rare) >= 20
    misses = []
    for word in rare:
        results = small_client.post("/api/search", json={"query": word, "k": 5}).json()["results"]
        if results[0]["chunk_id"] not in holders[word]:
            misses.append(word)
    assert misses == []
