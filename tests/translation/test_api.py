"""Asking in another language through the real app, and the translation endpoints."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from index.fake_embedder import FakeEmbedder
from tests.conftest import make_settings
from tests.translation.conftest import needs_apertium
from translation.glossary import load_glossary
from translation.messages import NO_BACKEND
from translation.service import TranslationService
from translation.translator import FakeTranslator


@pytest.fixture
def fake_client(tmp_path: Path) -> Iterator[TestClient]:
    """No index needed: the translation endpoints work while the index is missing."""
    words = {("es", "en"): {"niño": "child"}, ("en", "fr"): {"child": "enfant"}}
    service = TranslationService([FakeTranslator(words, "fake")], load_glossary())
    app = create_app(make_settings(tmp_path / "data"), embedder=FakeEmbedder(), translator=service)
    with TestClient(app) as client:
        yield client


def test_translate_endpoint_detects_routes_and_pivots(fake_client: TestClient) -> None:
    r = fake_client.post("/api/translate", json={"text": "el niño", "target": "fr"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body == {
        "text": "el enfant",
        "source": "es",
        "detected": True,
        "target": "fr",
        "backend": "fake",
    }
    same = fake_client.post("/api/translate", json={"text": "hi", "source": "en", "target": "en"})
    assert same.json()["text"] == "hi"


def test_translate_endpoint_errors(fake_client: TestClient) -> None:
    r = fake_client.post("/api/translate", json={"text": "สวัสดี", "target": "es"})
    assert r.status_code == 422
    assert r.json()["type"].endswith("translation-unavailable")
    bad = fake_client.post("/api/translate", json={"text": "x", "target": "not a code!"})
    assert bad.status_code == 422


def test_languages_endpoint(fake_client: TestClient) -> None:
    body = fake_client.get("/api/languages").json()
    assert body["backends"][0]["name"] == "fake"
    rows = {row["code"]: row for row in body["languages"]}
    assert rows["es"]["to_english"] == "fake"
    assert rows["fr"]["from_english"] == "fake"


def _grounded(body: dict) -> None:
    passages = {p["chunk_id"]: p["text"] for p in body["passages"]}
    for c in body["citations"]:
        assert c["quote"] in passages[c["chunk_id"]], "the quote must stay the handbook's words"


@pytest.fixture(scope="module")
def apertium_client(small_settings, real_embedder) -> Iterator[TestClient]:
    from translation.apertium import ApertiumTranslator

    service = TranslationService([ApertiumTranslator()], load_glossary())
    app = create_app(small_settings, embedder=real_embedder, translator=service)
    with TestClient(app) as client:
        yield client


@pytest.mark.integration
@needs_apertium
def test_ask_in_spanish_gets_a_spanish_answer_with_original_quotes(apertium_client) -> None:
    r = apertium_client.post(
        "/api/ask",
        json={"question": "¿Qué necesidades básicas del niño debo atender de inmediato?"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["lang"], body["detected_lang"], body["answer_lang"]) == ("es", "es", "es")
    assert body["answered"], body
    assert body["citations"]
    _grounded(body)
    for c in body["citations"]:
        assert c["quote_translation"] and c["quote_translation"] != c["quote"]
    # Spanish words in the answer, and the passage behind it still English.
    assert any(w in body["answer"].lower() for w in (" el ", " la ", " de ", " niño"))
    assert any("agua" in (c["quote_translation"] or "").lower() for c in body["citations"])
    assert any("Traducción automática" in n for n in body["notes"])


@pytest.mark.integration
@needs_apertium
def test_explicit_lang_wins_and_stream_reports_languages(apertium_client) -> None:
    r = apertium_client.post(
        "/api/ask/stream", json={"question": "agua y comida para el niño", "lang": "es"}
    )
    assert r.status_code == 200
    first = r.text.split("\n\n")[0]
    assert '"answer_lang": "es"' in first and '"lang": "es"' in first


@pytest.mark.integration
def test_a_language_without_backend_gets_english_and_a_note(small_settings, real_embedder):
    app = create_app(small_settings, embedder=real_embedder, translator=TranslationService([]))
    with TestClient(app) as client:
        r = client.post("/api/ask", json={"question": "เด็กต้องการน้ำและอาหารทันทีหรือไม่"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["detected_lang"] == "th"
        assert body["answer_lang"] == "en"
        assert NO_BACKEND["th"] in body["notes"]
        assert all(c["quote_translation"] is None for c in body["citations"])
        _grounded(body)
        km = client.post("/api/ask", json={"question": "What is an NRM?", "lang": "km"}).json()
        assert km["answer_lang"] == "en" and NO_BACKEND["km"] in km["notes"]
