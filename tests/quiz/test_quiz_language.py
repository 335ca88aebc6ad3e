"""A quiz asked for in another language comes back translated by the app's translation service."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from access.keys import KeyStore
from api.app import create_app
from translation.service import TranslationService
from translation.translator import FakeTranslator

pytestmark = pytest.mark.integration

WORDS = {"child": "niño", "children": "niños", "victim": "víctima", "victims": "víctimas"}


@pytest.fixture(scope="module")
def client_and_key(small_settings, real_embedder) -> Iterator[tuple[TestClient, str]]:
    service = TranslationService([FakeTranslator({("en", "es"): WORDS}, "fake")])
    _, key = KeyStore(small_settings.keys_file).create("quiz-language-test")
    app = create_app(small_settings, embedder=real_embedder, translator=service)
    with TestClient(app) as client:
        yield client, key


def test_quiz_in_spanish_is_translated(client_and_key: tuple[TestClient, str]) -> None:
    client, key = client_and_key
    body = {"n": 6, "topic": "child victims", "lang": "es", "seed": 3}
    r = client.post("/api/quiz", json=body, headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 201, r.text
    quiz = r.json()
    assert quiz["lang"] == "es"
    text = " ".join(item["question"] + " " + item["explanation"] for item in quiz["items"])
    assert "niño" in text.lower() or "víctima" in text.lower()
    assert " child " not in f" {text.lower()} "


def test_quiz_in_a_language_without_backend_stays_english(
    client_and_key: tuple[TestClient, str],
) -> None:
    client, key = client_and_key
    body = {"n": 3, "lang": "th", "seed": 3}
    r = client.post("/api/quiz", json=body, headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 201, r.text
    quiz = r.json()
    assert quiz["lang"] == "en"
    assert any("not available" in note for note in quiz["notes"])
