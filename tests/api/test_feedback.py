"""POST /api/feedback through the real app: stored in SQLite, the question kept only on opt-in."""

from __future__ import annotations

import logging
import sqlite3

import pytest
from fastapi.testclient import TestClient

from api.app import create_app

pytestmark = pytest.mark.integration

QUESTION = "Can Amina, 14, stay at the shelter on Rue Verte tonight?"


@pytest.fixture(scope="module")
def client(small_settings, real_embedder):
    with TestClient(create_app(small_settings, embedder=real_embedder)) as c:
        yield c


@pytest.fixture(scope="module")
def db_path(small_settings):
    return small_settings.data_dir / "feedback.sqlite"


def _row(db_path, feedback_id: str) -> sqlite3.Row:
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        row = conn.execute("SELECT * FROM feedback WHERE id = ?", (feedback_id,)).fetchone()
    assert row is not None, "the feedback was not stored"
    return row


def _assert_problem(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == status
    assert body["type"].startswith("https://haven.invalid/problems/")
    return body


def test_feedback_is_stored(client, db_path) -> None:
    r = client.post(
        "/api/feedback",
        json={
            "helpful": True,
            "comment": "Clear, and the page numbers matched.",
            "answer": "From Guide for first responders: ...",
            "citations": ["abc123", "def456"],
        },
    )
    assert r.status_code == 201, r.text
    feedback_id = r.json()["id"]
    assert isinstance(feedback_id, str) and feedback_id
    row = _row(db_path, feedback_id)
    assert row["helpful"] == 1
    assert row["comment"] == "Clear, and the page numbers matched."
    assert row["answer"] == "From Guide for first responders: ..."
    assert row["citations"] == '["abc123", "def456"]'
    assert row["question"] is None
    assert row["created_at"]


def test_minimal_feedback_is_stored(client, db_path) -> None:
    r = client.post("/api/feedback", json={"helpful": False})
    assert r.status_code == 201, r.text
    row = _row(db_path, r.json()["id"])
    assert row["helpful"] == 0
    assert row["comment"] is None and row["answer"] is None and row["question"] is None
    assert row["citations"] == "[]"


def test_question_is_dropped_unless_ticked(client, db_path) -> None:
    r = client.post("/api/feedback", json={"helpful": False, "question": QUESTION})
    assert r.status_code == 201, r.text
    assert _row(db_path, r.json()["id"])["question"] is None

    r = client.post(
        "/api/feedback",
        json={"helpful": False, "question": QUESTION, "include_question": False},
    )
    assert r.status_code == 201, r.text
    assert _row(db_path, r.json()["id"])["question"] is None

    r = client.post(
        "/api/feedback", json={"helpful": True, "question": QUESTION, "include_question": True}
    )
    assert r.status_code == 201, r.text
    assert _row(db_path, r.json()["id"])["question"] == QUESTION


def test_feedback_text_is_never_logged(client, caplog) -> None:
    with caplog.at_level(logging.DEBUG):
        r = client.post(
            "/api/feedback",
            json={
                "helpful": True,
                "comment": "secret-comment-Amina",
                "question": "secret-question-Amina",
                "include_question": True,
            },
        )
    assert r.status_code == 201
    assert "secret-" not in caplog.text


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"comment": "no rating"},
        {"helpful": "yes"},
        {"helpful": 1},
        {"helpful": None},
        {"helpful": True, "comment": "x" * 2001},
        {"helpful": True, "comment": 5},
        {"helpful": True, "citations": "abc"},
        {"helpful": True, "citations": [1, 2]},
        {"helpful": True, "citations": ["x" * 201]},
        {"helpful": True, "citations": ["c"] * 101},
        {"helpful": True, "include_question": "true"},
        [True],
    ],
)
def test_bad_bodies_are_422_problems(client, body) -> None:
    body = _assert_problem(client.post("/api/feedback", json=body), 422)
    assert body["detail"]


def test_malformed_json_is_400_problem(client) -> None:
    r = client.post(
        "/api/feedback", content=b'{"helpful": tr', headers={"content-type": "application/json"}
    )
    _assert_problem(r, 400)


def test_validation_errors_do_not_echo_the_comment(client) -> None:
    r = client.post("/api/feedback", json={"helpful": "maybe", "comment": "secret-Amina"})
    _assert_problem(r, 422)
    assert "secret-Amina" not in r.text


def test_feedback_has_no_read_route(client) -> None:
    assert client.get("/api/feedback").status_code == 405
