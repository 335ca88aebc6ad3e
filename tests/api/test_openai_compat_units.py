"""Fast checks of the OpenAI mapping's pure parts; the real app is in test_openai_compat.py."""

from __future__ import annotations

import json

import pytest

from answer.service import Answer, compose_body
from api.errors import ApiError, openai_error, problem
from api.openai_compat.catalog import model_card, resolve_model
from api.openai_compat.content import citation_line, reply_for, sources_list
from api.openai_compat.conversation import MAX_TURN_CHARS, MAX_TURNS, read_conversation
from api.openai_compat.schemas import ChatMessage
from api.schemas import CitationOut


def _cite(**changes: object) -> CitationOut:
    fields: dict[str, object] = {
        "n": 2,
        "chunk_id": "c",
        "doc_id": "d",
        "title": "Guide",
        "section": "Interviews › Closing",
        "page_start": 4,
        "page_end": 4,
        "quote": "q",
    }
    return CitationOut.model_validate(fields | changes)


@pytest.mark.parametrize(
    ("changes", "line"),
    [
        ({}, "[2] Guide — Interviews › Closing, p. 4"),
        ({"page_end": 5}, "[2] Guide — Interviews › Closing, pp. 4–5"),
        ({"page_end": None}, "[2] Guide — Interviews › Closing, p. 4"),
        ({"page_start": None, "page_end": None}, "[2] Guide — Interviews › Closing"),
        ({"section": ""}, "[2] Guide, p. 4"),
    ],
)
def test_citation_line(changes: dict[str, object], line: str) -> None:
    assert citation_line(_cite(**changes)) == line


def _messages(*pairs: tuple[str, object]) -> list[ChatMessage]:
    return [ChatMessage.model_validate({"role": r, "content": c}) for r, c in pairs]


def test_the_last_user_message_is_the_question_and_earlier_turns_the_history() -> None:
    conversation = read_conversation(
        _messages(
            ("system", "Be brief."),
            ("user", "first"),
            ("assistant", None),
            ("tool", "tool output"),
            ("assistant", [{"type": "text", "text": "reply"}, {"type": "refusal"}]),
            ("developer", "Cite."),
            ("user", [{"type": "text", "text": "and then?"}, {"type": "image_url"}]),
            ("assistant", "a prefill after the question"),
        )
    )
    assert conversation.question == "and then?"
    assert conversation.field == "messages[6].content"
    assert [(t.role, t.content) for t in conversation.history] == [
        ("user", "first"),
        ("assistant", "reply"),
    ]


def test_history_is_capped_like_api_ask() -> None:
    turns = [("user", "x" * (MAX_TURN_CHARS + 5))] + [("user", f"q{i}") for i in range(60)]
    conversation = read_conversation(_messages(*turns, ("user", "last")))
    assert len(conversation.history) == MAX_TURNS
    assert conversation.history[-1].content == "q59"
    first = read_conversation(_messages(*turns[:1], ("user", "last"))).history[0]
    assert len(first.content) == MAX_TURN_CHARS


def test_no_user_message_is_refused() -> None:
    with pytest.raises(ApiError) as raised:
        read_conversation(_messages(("system", "hi"), ("assistant", "hello")))
    assert raised.value.status == 422
    assert "role 'user'" in raised.value.detail


def test_model_names() -> None:
    assert resolve_model(" HAVEN ") == "haven"
    with pytest.raises(ApiError) as raised:
        resolve_model("gpt-4o-" + "x" * 300)
    assert (raised.value.status, raised.value.slug) == (404, "model-not-found")
    assert len(raised.value.detail) < 250
    assert model_card("2026-01-01T00:00:00+00:00").created == 1_767_225_600
    assert model_card("").created == 0


def _leadless(points: list[str], notes: list[str], answer_lang: str = "en") -> Answer:
    return Answer(
        question="q",
        resolved_question="q",
        answer=compose_body("", "", points),
        answered=True,
        citations=[],
        passages=[],
        notes=notes,
        lead="",
        points=points,
        answer_lang=answer_lang,
    )


def test_reply_without_a_lead_starts_with_its_first_point() -> None:
    answer = _leadless(["Refer the child [1]"], ["Not legal advice."])
    reply = reply_for(answer)
    assert reply.content == "- Refer the child [1]\n\nNote: Not legal advice."
    assert reply.content.startswith(answer.answer.strip())
    assert "" not in reply.pieces


def test_labels_follow_the_answers_language() -> None:
    answer = _leadless(["Derive al niño [1]"], ["No es asesoramiento jurídico."], "es")
    assert reply_for(answer).content.endswith("\n\nNota: No es asesoramiento jurídico.")
    assert sources_list([_cite()], "es").startswith("Fuentes:\n- [2] Guide")
    assert sources_list([_cite()], "xx").startswith("Sources:\n")  # no fixed label: English
    assert sources_list([_cite()]).startswith("Sources:\n")


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, "invalid_request_error"),
        (401, "authentication_error"),
        (403, "permission_error"),
        (404, "invalid_request_error"),
        (422, "invalid_request_error"),
        (429, "rate_limit_error"),
        (503, "server_error"),
    ],
)
def test_openai_error_types(status: int, kind: str) -> None:
    assert openai_error(status, "some-slug", "why") == {
        "message": "why",
        "type": kind,
        "code": "some_slug",
    }


def test_only_v1_problems_carry_the_error_member() -> None:
    on_v1 = json.loads(problem(404, "not-found", "Not Found", "nope", path="/v1/x").body)
    elsewhere = json.loads(problem(404, "not-found", "Not Found", "nope", path="/api/x").body)
    assert on_v1["error"]["message"] == "nope" and on_v1["status"] == 404
    assert "error" not in elsewhere
    assert {k: v for k, v in on_v1.items() if k != "error"} == elsewhere
