"""The OpenAI-compatible endpoint on the real app: real model, FAISS, SQLite, three handbooks.

First the raw HTTP shape (TestClient), then the official `openai` SDK against a live server.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import openai
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from core.settings import AccessSettings
from ingest.matching import normalize_for_match
from tests.support.live_server import running

pytestmark = pytest.mark.integration

COVERED = (
    "What basic needs should I attend to immediately when I first encounter a potential "
    "child trafficking victim?"
)
NOT_COVERED = "What is the phone number of the national trafficking hotline in Indonesia?"
FIRST = "Can someone sit with the child during the police interview to support them?"
FOLLOW_UP = "Who would be appropriate?"


@pytest.fixture(scope="module")
def client(small_client: TestClient) -> TestClient:
    return small_client


def _user(text: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": text}]


def _chat(client: TestClient, messages: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    r = client.post("/v1/chat/completions", json={"model": "haven", "messages": messages, **extra})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    return r.json()


def _content(body: dict[str, Any]) -> str:
    content: str = body["choices"][0]["message"]["content"]
    return content


def _stream(client: TestClient, payload: dict[str, Any]) -> list[str]:
    """The `data:` payloads of an event stream, in order."""
    with client.stream("POST", "/v1/chat/completions", json=payload) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        raw = "".join(r.iter_text())
    assert raw.endswith("\n\n")
    lines = [line for line in raw.split("\n") if line]
    assert all(line.startswith("data: ") for line in lines), "only data: lines, as OpenAI sends"
    return [line.removeprefix("data: ") for line in lines]


def _assert_problem(r: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """Both error shapes at once: RFC 9457 problem fields and OpenAI's `error` object."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    assert body["status"] == status
    assert body["type"].endswith("/" + code.replace("_", "-"))
    assert body["title"] and body["detail"]
    assert body["error"]["message"] == body["detail"]
    assert body["error"]["code"] == code
    assert body["error"]["type"] == "invalid_request_error"
    return body


# --- Raw HTTP -----------------------------------------------------------------------------------


def test_answer_carries_its_sources_and_the_haven_record(client: TestClient) -> None:
    body = _chat(client, _user(COVERED))
    ask = client.post("/api/ask", json={"question": COVERED}).json()
    assert body["id"].startswith("chatcmpl-") and len(body["id"]) > len("chatcmpl-") + 8
    assert body["object"] == "chat.completion"
    assert body["model"] == "haven"
    assert abs(body["created"] - time.time()) < 300
    assert body["system_fingerprint"].startswith("haven-")
    [choice] = body["choices"]
    assert choice["index"] == 0 and choice["finish_reason"] == "stop"
    assert choice["message"]["role"] == "assistant"
    content = _content(body)

    haven = body["haven"]
    assert haven["answered"] is True
    assert haven["language"] == {"lang": "en", "detected_lang": "en", "answer_lang": "en"}
    assert haven["citations"] == ask["citations"]
    assert haven["notes"] == ask["notes"]
    passages = {p["chunk_id"]: p for p in ask["passages"]}
    for c in haven["citations"]:
        assert c["chunk_id"] in passages, "a citation names a passage that was not retrieved"
        assert c["quote"] in passages[c["chunk_id"]]["text"], "quote is not verbatim"
    assert any("food" in c["quote"] for c in haven["citations"])

    # The content: the same answer as /api/ask, its notes, then every source once, by number.
    assert content.startswith(ask["answer"])
    for note in haven["notes"]:
        assert f"Note: {note}" in content
    head, sources = content.split("\n\nSources:\n")
    source_lines = sources.split("\n")
    assert len(source_lines) == len(haven["citations"])
    for line, c in zip(source_lines, haven["citations"], strict=True):
        assert line.startswith(f"- [{c['n']}] {c['title']} — {c['section']}")
        pages = c["page_start"] if c["page_end"] == c["page_start"] else None
        assert line.endswith(f", p. {pages}" if pages else f"–{c['page_end']}")
    marks = {int(n) for n in re.findall(r"\[(\d+)\]", head)}
    assert marks == {c["n"] for c in haven["citations"]}

    # Usage counts words, and says so in the docs.
    words = len(content.split())
    assert body["usage"] == {
        "prompt_tokens": len(COVERED.split()),
        "completion_tokens": words,
        "total_tokens": len(COVERED.split()) + words,
    }


def test_uncovered_question_is_answered_as_not_covered(client: TestClient) -> None:
    body = _chat(client, _user(NOT_COVERED))
    content = _content(body)
    assert body["haven"]["answered"] is False
    assert body["haven"]["citations"] == []
    assert content.startswith("The handbooks do not cover this question.")
    assert "nearest sections" in content
    assert "Sources:" not in content
    assert "not legal advice" in content
    assert body["choices"][0]["finish_reason"] == "stop"


def test_follow_up_resolves_against_earlier_turns(client: TestClient) -> None:
    alone = _chat(client, _user(FOLLOW_UP))
    assert alone["haven"]["answered"] is False, "the follow-up alone is not answerable"

    conversation = [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": FIRST},
        {"role": "assistant", "content": "Yes, an appropriate adult may support the child."},
        {"role": "user", "content": FOLLOW_UP},
    ]
    body = _chat(client, conversation)
    assert body["haven"]["answered"] is True
    quotes = " ".join(normalize_for_match(c["quote"]) for c in body["haven"]["citations"])
    assert "appropriate adult" in quotes or "social worker" in quotes
    # System messages are not retrieval input: without it, the same answer.
    assert _content(_chat(client, conversation[1:])) == _content(body)
    assert body["usage"]["prompt_tokens"] == sum(len(m["content"].split()) for m in conversation)


def test_content_as_a_list_of_parts(client: TestClient) -> None:
    plain = _chat(client, _user(COVERED))
    parts = [
        {"type": "text", "text": COVERED},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
    ]
    body = _chat(client, [{"role": "user", "content": parts}])
    assert _content(body) == _content(plain)
    assert body["haven"] == plain["haven"]


def test_fields_that_do_not_apply_are_accepted_and_ignored(client: TestClient) -> None:
    plain = _chat(client, _user(COVERED))
    body = _chat(
        client,
        _user(COVERED),
        temperature=0.2,
        top_p=0.9,
        max_tokens=16,
        max_completion_tokens=16,
        n=1,
        user="caseworker-7",
        seed=3,
        stop=["\n"],
        presence_penalty=0.5,
        tools=[{"type": "function", "function": {"name": "f", "parameters": {}}}],
        response_format={"type": "text"},
        stream=False,
        stream_options={"include_usage": True},
    )
    assert _content(body) == _content(plain)


def test_haven_extras_limit_the_documents(client: TestClient) -> None:
    body = _chat(client, _user(COVERED), doc_ids=["rso-first-responders"], k=4)
    assert body["haven"]["citations"]
    assert {c["doc_id"] for c in body["haven"]["citations"]} == {"rso-first-responders"}
    r = client.post(
        "/v1/chat/completions",
        json={"model": "haven", "messages": _user(COVERED), "doc_ids": ["no-such-doc"]},
    )
    _assert_problem(r, 404, "unknown_document")


def test_stream_sends_the_same_content_then_done(client: TestClient) -> None:
    plain = _chat(client, _user(COVERED))
    payload = {
        "model": "haven",
        "messages": _user(COVERED),
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    data = _stream(client, payload)
    assert data[-1] == "[DONE]"
    chunks = [json.loads(d) for d in data[:-1]]
    assert {c["object"] for c in chunks} == {"chat.completion.chunk"}
    assert len({c["id"] for c in chunks}) == 1 and chunks[0]["id"].startswith("chatcmpl-")
    assert {c["model"] for c in chunks} == {"haven"}

    first, *middle, stop, usage = chunks
    assert first["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    deltas = [c["choices"][0]["delta"]["content"] for c in middle]
    assert all(c["choices"][0]["finish_reason"] is None for c in [first, *middle])
    assert "".join(deltas) == _content(plain)
    # The lead, each point, each note, then the sources: one delta each.
    points = _content(plain).split("\n\n")[1].count("\n- ") + 1
    assert len(deltas) == 1 + points + len(plain["haven"]["notes"]) + 1
    assert deltas[-1].startswith("\n\nSources:\n")

    assert stop["choices"] == [{"index": 0, "delta": {}, "finish_reason": "stop", "logprobs": None}]
    assert stop["haven"] == plain["haven"]
    assert "haven" not in first and "usage" not in first
    assert usage["choices"] == [] and usage["usage"] == plain["usage"]


def test_stream_without_usage_ends_with_the_stop(client: TestClient) -> None:
    payload = {"model": "haven", "messages": _user(NOT_COVERED), "stream": True}
    data = _stream(client, payload)
    assert data[-1] == "[DONE]"
    last = json.loads(data[-2])
    assert last["choices"][0]["finish_reason"] == "stop"
    assert last["haven"]["answered"] is False
    assert not any("usage" in json.loads(d) for d in data[:-1])


def test_models_are_listed(client: TestClient) -> None:
    r = client.get("/v1/models")
    assert r.status_code == 200
    body = r.json()
    assert body["object"] == "list"
    [card] = body["data"]
    assert card["id"] == "haven" and card["object"] == "model" and card["owned_by"] == "haven"
    assert 1_600_000_000 < card["created"] <= time.time() + 60, "the index build time"
    assert client.get("/v1/models/haven").json() == card
    assert client.get("/v1/models/Haven").json() == card
    _assert_problem(client.get("/v1/models/gpt-4o"), 404, "model_not_found")


def test_unknown_model_is_404_in_both_error_shapes(client: TestClient) -> None:
    r = client.post("/v1/chat/completions", json={"model": "gpt-4o", "messages": _user(COVERED)})
    body = _assert_problem(r, 404, "model_not_found")
    assert "gpt-4o" in body["detail"] and "haven" in body["detail"]
    # An alias in another case is the same model.
    assert _chat(client, _user(NOT_COVERED), model=" Haven ")["model"] == "haven"


@pytest.mark.parametrize(
    ("payload", "needle"),
    [
        ({"model": "haven"}, "messages"),
        ({"model": "haven", "messages": []}, "messages"),
        ({"messages": _user(COVERED)}, "model"),
        ({"model": "haven", "messages": [{"role": "system", "content": "Hi"}]}, "user"),
        ({"model": "haven", "messages": [{"role": "bot", "content": "Hi"}]}, "role"),
        ({"model": "haven", "messages": _user("   ")}, "messages[0].content"),
        ({"model": "haven", "messages": _user("x" * 10_000)}, "limit"),
        ({"model": "haven", "messages": _user(COVERED), "n": 2}, "n must be 1"),
        (
            {"model": "haven", "messages": [{"role": "user", "content": [{"type": "image_url"}]}]},
            "content",
        ),
    ],
)
def test_bad_bodies_are_422(client: TestClient, payload: dict[str, Any], needle: str) -> None:
    body = _assert_problem(
        client.post("/v1/chat/completions", json=payload), 422, "invalid_request"
    )
    assert needle in body["detail"]


def test_malformed_json_and_other_paths(client: TestClient) -> None:
    r = client.post(
        "/v1/chat/completions", content=b"{not json", headers={"content-type": "application/json"}
    )
    _assert_problem(r, 400, "malformed_json")
    # The `error` member is for /v1/ only; the rest of the API keeps the plain problem shape.
    r = client.post("/api/ask", json={})
    assert r.status_code == 422 and "error" not in r.json()


def test_a_body_over_the_limit_is_413_in_both_error_shapes(client: TestClient) -> None:
    # Refused by the body-limit middleware, before any route or exception handler runs.
    huge = b'{"model": "haven", "messages": [{"role": "user", "content": "' + b"a" * 2_000_000
    r = client.post(
        "/v1/chat/completions", content=huge + b'"}]}', headers={"content-type": "application/json"}
    )
    _assert_problem(r, 413, "too_large")


def test_logs_carry_no_message_text(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "Nadia Petrova"
    messages = [
        {"role": "system", "content": f"The case is about {secret}."},
        {"role": "user", "content": f"{secret} is 15 and was found in a truck, what first?"},
    ]
    _chat(client, messages)
    _stream(client, {"model": "haven", "messages": messages, "stream": True})
    assert caplog.records, "expected access log records"
    assert "Petrova" not in caplog.text


# --- The official OpenAI Python SDK against a live server ----------------------------------------


@contextmanager
def _live(app: FastAPI) -> Iterator[str]:
    """The app on a live 127.0.0.1 server; yields the base URL the SDK takes."""
    with running(app) as base:
        yield base + "/v1"


def _sdk(base_url: str, api_key: str = "sk-no-key-needed") -> openai.OpenAI:
    return openai.OpenAI(
        base_url=base_url,
        api_key=api_key,
        max_retries=0,
        timeout=120,
        http_client=httpx.Client(trust_env=False),
    )


@pytest.fixture(scope="module")
def sdk(small_settings: Any, real_embedder: Any) -> Iterator[openai.OpenAI]:
    with _live(create_app(small_settings, embedder=real_embedder)) as url:
        client = _sdk(url)
        yield client
        client.close()


def test_sdk_lists_and_retrieves_the_model(sdk: openai.OpenAI) -> None:
    assert [m.id for m in sdk.models.list()] == ["haven"]
    model = sdk.models.retrieve("haven")
    assert model.owned_by == "haven" and model.created > 0


def test_sdk_chat_completion(sdk: openai.OpenAI) -> None:
    completion = sdk.chat.completions.create(
        model="haven",
        messages=[
            {"role": "system", "content": "Answer briefly."},
            {"role": "user", "content": COVERED},
        ],
        temperature=0,
        extra_body={"doc_ids": ["rso-first-responders"]},
    )
    assert completion.object == "chat.completion" and completion.model == "haven"
    message = completion.choices[0].message
    assert message.role == "assistant" and completion.choices[0].finish_reason == "stop"
    assert message.content is not None and "\n\nSources:\n- [1] " in message.content
    assert completion.usage is not None
    assert completion.usage.completion_tokens == len(message.content.split())
    haven = (completion.model_extra or {})["haven"]
    assert haven["answered"] is True
    assert {c["doc_id"] for c in haven["citations"]} == {"rso-first-responders"}


def test_sdk_stream_matches_the_plain_answer(sdk: openai.OpenAI) -> None:
    messages: list[Any] = [{"role": "user", "content": COVERED}]
    plain = sdk.chat.completions.create(model="haven", messages=messages)
    stream = sdk.chat.completions.create(
        model="haven", messages=messages, stream=True, stream_options={"include_usage": True}
    )
    text, finish, haven, usage = "", None, None, None
    for chunk in stream:
        for choice in chunk.choices:
            text += choice.delta.content or ""
            if choice.finish_reason:
                finish = choice.finish_reason
                haven = (chunk.model_extra or {}).get("haven")
        usage = chunk.usage or usage
    assert text == plain.choices[0].message.content
    assert finish == "stop"
    assert haven == (plain.model_extra or {})["haven"]
    assert usage is not None and usage == plain.usage


def test_sdk_raises_not_found_for_another_model(sdk: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as raised:
        sdk.chat.completions.create(model="gpt-4o", messages=_user(COVERED))
    assert raised.value.status_code == 404
    assert raised.value.code == "model_not_found"
    assert "use 'haven'" in raised.value.message
    with pytest.raises(openai.UnprocessableEntityError):
        sdk.chat.completions.create(model="haven", messages=_user(COVERED), n=2)


def test_sdk_with_keys_required_needs_the_haven_key(
    small_settings: Any, real_embedder: Any
) -> None:
    settings = small_settings.model_copy(
        update={"access": AccessSettings(require_key_for_reads=True)}
    )
    with _live(create_app(settings, embedder=real_embedder)) as url:
        client = _sdk(url, api_key="sk-not-a-haven-key")
        with pytest.raises(openai.AuthenticationError) as raised:
            client.models.list()
        assert raised.value.status_code == 401
        assert raised.value.type == "authentication_error"
        client.close()
