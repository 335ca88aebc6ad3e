"""The optional language-model path, against a local server speaking the same protocol."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from answer.generator import GeneratorError, OpenAIChatGenerator, OpenAIConfig
from api.app import create_app
from core.settings import GeneratorSettings
from tests.support.llm_server import running_llm_server

QUESTION = "What basic needs should I attend to immediately for a child victim?"


def test_client_sends_openai_request_and_reads_reply() -> None:
    with running_llm_server() as (url, behaviour):
        behaviour.reply = "Hello [1]"
        gen = OpenAIChatGenerator(OpenAIConfig(base_url=url, model="m1", api_key="sekret"))
        assert gen.complete("sys", "user") == "Hello [1]"
        sent = behaviour.requests[-1]
        assert sent["auth"] == "Bearer sekret"
        assert sent["body"]["model"] == "m1"
        assert [m["role"] for m in sent["body"]["messages"]] == ["system", "user"]


def test_client_errors_become_generator_errors() -> None:
    with running_llm_server() as (url, behaviour):
        behaviour.status = 500
        with pytest.raises(GeneratorError, match="500"):
            OpenAIChatGenerator(OpenAIConfig(base_url=url, model="m")).complete("s", "u")
        behaviour.status, behaviour.delay = 200, 1.0
        with pytest.raises(GeneratorError, match="timed out"):
            OpenAIChatGenerator(OpenAIConfig(base_url=url, model="m", timeout=0.2)).complete(
                "s", "u"
            )
    with pytest.raises(GeneratorError, match="unreachable"):
        OpenAIChatGenerator(OpenAIConfig(base_url=url, model="m", timeout=1)).complete("s", "u")


@pytest.mark.integration
def test_generated_answer_keeps_only_checked_citations(full_settings, real_embedder) -> None:
    with running_llm_server() as (url, behaviour):
        settings = full_settings.model_copy(
            update={"generator": GeneratorSettings(base_url=url, model="local", timeout=5)}
        )
        behaviour.reply = (
            "Attend to the child's immediate needs first.\n"
            "- Provide water, food, shelter, clothing and toilet access [1]\n"
            "- Call the national hotline at 1-800-000 [9]\n"
            "- Make sure the child feels safe.\n"
        )
        with TestClient(create_app(settings, embedder=real_embedder)) as client:
            body = client.post("/api/ask", json={"question": QUESTION}).json()
            assert body["answered"]
            assert "water, food" in body["answer"]
            assert "hotline" not in body["answer"]  # cited a passage that was not retrieved
            assert "feels safe" not in body["answer"]  # no citation: dropped
            passages = {p["chunk_id"]: p["text"] for p in body["passages"]}
            assert all(c["quote"] in passages[c["chunk_id"]] for c in body["citations"])
            assert any("not retrieved" in n for n in body["notes"])
            assert any("without a supporting citation" in n for n in body["notes"])
            prompt = behaviour.requests[-1]["body"]["messages"][1]["content"]
            assert "[1]" in prompt and QUESTION in prompt

            behaviour.reply = "NOT COVERED"
            refused = client.post("/api/ask", json={"question": QUESTION}).json()
            assert refused["answered"] is False

            # An answer with no line backed by a passage it cites: extractive, and said why.
            behaviour.reply = "Stay calm and follow your instincts.\n- Trust your gut [1]\n"
            unbacked = client.post("/api/ask", json={"question": QUESTION}).json()
            assert unbacked["answered"] and "instincts" not in unbacked["answer"]
            assert any("did not hold up" in n for n in unbacked["notes"])
            assert not any("unavailable" in n for n in unbacked["notes"])

            behaviour.delay = 8.0  # slower than the 5 s timeout: fall back, never an error page
            slow = client.post("/api/ask", json={"question": QUESTION})
            assert slow.status_code == 200
            assert slow.json()["answered"]
            assert any("was unavailable" in n for n in slow.json()["notes"])
