"""Cited answers through the real app: real model, FAISS, SQLite and the shipped handbooks."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from ingest.matching import normalize_for_match

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def client(full_settings, real_embedder):
    with TestClient(create_app(full_settings, embedder=real_embedder)) as c:
        yield c


def _ask(client, question: str, **extra) -> dict:
    r = client.post("/api/ask", json={"question": question, **extra})
    assert r.status_code == 200, r.text
    return r.json()


def _assert_grounded(body: dict) -> None:
    passages = {p["chunk_id"]: p for p in body["passages"]}
    numbers = {c["n"] for c in body["citations"]}
    for c in body["citations"]:
        assert c["chunk_id"] in passages, "a citation names a passage that was not retrieved"
        assert c["quote"] in passages[c["chunk_id"]]["text"], "quote is not verbatim"
    for mark in __import__("re").findall(r"\[(\d+)\]", body["answer"] + " ".join(body["notes"])):
        assert int(mark) in numbers


def test_truck_scenario_is_answered_with_child_protection(client) -> None:
    body = _ask(client, "I found a 15-year-old hidden in a truck — what do I do first?")
    assert body["answered"] is True
    assert body["citations"]
    _assert_grounded(body)
    assert any("best interests" in n.lower() for n in body["notes"])
    assert any("not legal advice" in n for n in body["notes"])


def test_immediate_needs_cites_the_right_page(client) -> None:
    body = _ask(
        client,
        "What basic needs should I attend to immediately when I first encounter a potential "
        "child trafficking victim?",
    )
    assert body["answered"]
    _assert_grounded(body)
    cited = [c for c in body["citations"] if "food" in c["quote"]]
    assert cited, body["answer"]
    assert cited[0]["doc_id"] == "rso-first-responders"
    assert cited[0]["page_start"] <= 4 <= cited[0]["page_end"]


@pytest.mark.parametrize(
    "question",
    [
        "How many trafficking victims did Thailand officially identify in 2023?",
        "What is the phone number of the national trafficking hotline in Indonesia?",
        "How many years in prison does Germany give for trafficking a child?",
    ],
)
def test_uncovered_questions_are_refused(client, question: str) -> None:
    body = _ask(client, question)
    assert body["answered"] is False
    assert body["citations"] == []
    assert "do not cover" in body["answer"]
    assert "nearest sections" in body["answer"]
    assert body["passages"]


def test_follow_up_resolves_against_history(client) -> None:
    first = "Can someone sit with the child during the police interview to support them?"
    body = _ask(
        client,
        "Who would be appropriate?",
        history=[
            {"role": "user", "content": first},
            {"role": "assistant", "content": "Yes, an appropriate adult may support the child."},
        ],
    )
    assert body["answered"]
    _assert_grounded(body)
    quotes = " ".join(normalize_for_match(c["quote"]) for c in body["citations"])
    assert "social worker" in quotes or "appropriate adult" in quotes


def test_stream_delivers_the_same_final_answer(client) -> None:
    question = {"question": "How should I interview a child victim of trafficking?"}
    plain = client.post("/api/ask", json=question).json()
    with client.stream("POST", "/api/ask/stream", json=question) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        raw = "".join(r.iter_text())
    events = []
    for block in raw.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    names = [e for e, _ in events]
    assert names[0] == "start" and names[1] == "lead" and names[-1] == "final"
    assert "point" in names
    assert events[-1][1] == plain
    streamed_points = [d["text"] for e, d in events if e == "point"]
    for point in streamed_points:
        assert point in plain["answer"]


def test_ask_validation(client) -> None:
    assert client.post("/api/ask", json={"question": ""}).status_code == 422
    assert client.post("/api/ask", json={"question": "x" * 10_000}).status_code == 422
    r = client.post(
        "/api/ask", json={"question": "hi", "history": [{"role": "bot", "content": ""}]}
    )
    assert r.status_code == 422
    assert client.post("/api/ask", json={"question": "child", "doc_ids": ["zz"]}).status_code == 404


def test_logs_carry_no_question_text(client, caplog) -> None:
    secret = "Nadia Petrova"
    caplog.set_level(logging.DEBUG)
    _ask(client, f"{secret} is 16 and was found at the border, what do I do?")
    client.post("/api/search", json={"query": secret})
    with client.stream("POST", "/api/ask/stream", json={"question": secret}) as r:
        r.read()
    assert caplog.records, "expected access log records"
    assert secret not in caplog.text
    assert "Petrova" not in caplog.text
