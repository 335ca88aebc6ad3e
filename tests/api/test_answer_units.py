"""Answer building blocks: quotable units, follow-ups, answerability specifics, citation checks."""

from __future__ import annotations

from api.answer.answerability import _specifics_missing, countries_named
from api.answer.followup import Turn, is_follow_up, resolve
from api.answer.service import Citation, verify_citations
from api.answer.terms import TermStats, content_stems, stem
from api.answer.units import split_units
from index.retriever import SearchHit
from ingest.records import Chunk


def _hit(text: str, chunk_id: str = "c1") -> SearchHit:
    chunk = Chunk(chunk_id, "doc", 0, ("S",), 1, 1, 0, len(text), text)
    return SearchHit(chunk=chunk, title="T", score=1.0)


def test_units_are_exact_substrings() -> None:
    text = (
        "Refer the child at once. Use e.g. a social worker.\n"
        "You should provide:\n- water and food\n- shelter, if needed.\nDone here now."
    )
    units = split_units(text)
    assert [u.text for u in units] == [
        "Refer the child at once.",
        "Use e.g. a social worker.",
        "You should provide:",
        "water and food",
        "shelter, if needed.",
        "Done here now.",
    ]
    assert all(text[u.start : u.end] == u.text for u in units)
    assert [u.is_item for u in units] == [False, False, False, True, True, False]


def test_stemming_meets_plural_and_child() -> None:
    assert stem("children") == stem("child") == "child"
    assert stem("victims") == "victim"
    assert content_stems("What are the victims' needs?") == ["victim", "need"]


def test_idf_prefers_rare_terms() -> None:
    stats = TermStats(["child victim shelter", "child victim", "child guardian"])
    assert stats.idf("guardian") > stats.idf("child")
    assert not stats.known("hotline")


def test_follow_up_detection_and_resolution() -> None:
    history = [Turn("user", "Can a parent attend the child's interview?"), Turn("assistant", "…")]
    assert is_follow_up("And if the child is accompanied by a parent?")
    assert is_follow_up("Who would be appropriate?")
    assert not is_follow_up("What are the indicators of forced labour in fishing vessels?")
    assert resolve("And what about the lawyer?", history).startswith("Can a parent attend")
    assert resolve("What is an NRM?", history) == "What is an NRM?"
    assert resolve("And then?", []) == "And then?"


def test_specifics_must_be_present() -> None:
    assert countries_named("Malaysian law and Thailand") == {"malaysia", "thailand"}
    missing = _specifics_missing(
        "How many victims did Thailand identify in 2023?", "Victims in Thailand were many."
    )
    assert missing == ["the number 2023"]
    assert _specifics_missing("What is the hotline phone number?", "Set up a hotline.") == [
        "contact details"
    ]
    assert _specifics_missing("What is the hotline number?", "Call +66 1300 123 4") == []


def test_verify_citations_drops_unretrieved_and_non_verbatim() -> None:
    good = _hit("Provide water and food.", "a")
    other = _hit("Somewhere else entirely.", "zzz")
    cites = [
        Citation(1, good, "water and food"),
        Citation(2, other, "Somewhere else"),  # passage not among those retrieved
        Citation(3, good, "water and bread"),  # not verbatim
    ]
    kept, dropped = verify_citations(cites, [good])
    assert [c.n for c in kept] == [1]
    assert dropped == 2
