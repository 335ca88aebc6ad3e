"""Checks on a language model's answer, with replies like those a real small model wrote."""

from __future__ import annotations

from answer.generated import parse_generated
from index.retriever import SearchHit
from ingest.records import Chunk

NEEDS = (
    "First responders should attend to the child's immediate needs. Provide water, food, "
    "shelter, clothing and access to a toilet. Call child protection services at once."
)
INTERVIEW = "Interview the child alone in a private room, with a guardian or support person."


def _hits() -> list[SearchHit]:
    return [
        SearchHit(chunk=Chunk(f"c{i}", "doc", 0, ("S",), 1, 1, 0, len(t), t), title="T", score=1)
        for i, t in enumerate([NEEDS, INTERVIEW], 1)
    ]


def test_a_supported_paraphrase_is_kept_with_a_verbatim_quote() -> None:
    lead, points, problems = parse_generated(
        "Attend to the child's immediate needs first.\n"
        "- Give the child water, food and shelter [1]\n"
        "- Interview the child alone, in a private room [2]\n",
        _hits(),
    )
    assert lead == "Attend to the child's immediate needs first."
    assert [p.text for p in points] == [
        "Give the child water, food and shelter",
        "Interview the child alone, in a private room",
    ]
    assert points[0].quotes[0].text in NEEDS and points[1].quotes[0].text == INTERVIEW
    assert problems == []


def test_an_echo_of_the_prompt_is_dropped_even_with_example_marks() -> None:
    """Gemma 3 270M, asked through llama.cpp's server, repeated Haven's instructions: the
    second line carries the prompt's own example marks and shares a word with the passages."""
    reply = (
        "You are Haven, a guidance assistant for people who protect victims of human "
        "trafficking.\n"
        "Answer ONLY from the numbered handbook passages you are given. Every sentence of your "
        "answer must end with the number(s) of the passage that supports it, in square "
        "brackets, like [1] or [2][3]. Do not add facts, phone numbers, laws or statistics.\n"
    )
    lead, points, problems = parse_generated(reply, _hits())
    assert lead == "" and points == []
    assert "2 sentence(s) without a supporting citation were removed" in problems


def test_a_citation_the_passage_does_not_bear_out_is_dropped() -> None:
    _, points, problems = parse_generated(
        "- Call the national hotline at 1-800-000 [1]\n"
        "- Provide water and food [5]\n"
        "- Provide water, food and clothing [1]\n",
        _hits(),
    )
    assert [p.text for p in points] == ["Provide water, food and clothing"]
    assert "1 citation(s) to passages that were not retrieved were removed" in problems
    assert "2 sentence(s) without a supporting citation were removed" in problems
