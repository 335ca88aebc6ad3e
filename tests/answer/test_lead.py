"""What-to-do questions lead with a step a first responder can take, on the shipped handbooks
with the real model. The questions are written for this test, not taken from an evaluation
set; docs/answers.md shows their answers."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from answer.composer import is_action
from api.app import create_app

pytestmark = pytest.mark.integration

WHAT_TO_DO = [
    "I found a 15-year-old hidden in a truck — what do I do first?",
    "A woman at the airport says her employer kept her passport and she owes a recruitment "
    "fee. What should I do?",
    "We have just taken three teenagers out of a brothel. What are the first steps?",
    "A child victim refuses to speak to me. How should I approach her?",
    "What should I do if I suspect the adult travelling with a child is the trafficker?",
    "How do I prepare the room before interviewing a child victim?",
    "The boy we identified as a victim is not a national of our country. What do I do?",
    "What should a shelter do when a victim arrives at night without documents?",
    "How should I respond if a trafficked person tells me they want to go home right away?",
    "A victim shows signs of a serious injury during questioning — what do I do?",
    "How should health workers examine a person who may have been trafficked?",
]


@pytest.fixture(scope="module")
def client(full_settings, real_embedder):
    with TestClient(create_app(full_settings, embedder=real_embedder)) as c:
        yield c


@pytest.mark.parametrize("question", WHAT_TO_DO)
def test_what_to_do_questions_lead_with_an_action(client: TestClient, question: str) -> None:
    body = client.post("/api/ask", json={"question": question}).json()
    assert body["answered"] and body["question_kind"] == "steps"
    lead = re.sub(r"\s*(\[\d+\])+$", "", body["lead"])
    assert is_action(lead), lead
    # The lead is a quote the answer cites, from a retrieved passage.
    marks = {int(n) for n in re.findall(r"\[(\d+)\]", body["lead"])}
    cited = {c["n"]: c for c in body["citations"]}
    assert marks and marks <= set(cited)
    retrieved = {p["chunk_id"] for p in body["passages"]}
    assert all(cited[n]["chunk_id"] in retrieved for n in marks)
