"""Answer building blocks: quotable units, follow-ups, answerability specifics, citation checks."""

from __future__ import annotations

from answer.answerability import _specifics_missing, asking_part, countries_named
from answer.composer import ComposerConfig, score_units, select_points
from answer.followup import Turn, is_follow_up, resolve
from answer.service import Citation, verify_citations
from answer.terms import TermStats, content_stems, stem
from answer.units import split_units
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


def _units(*texts: str) -> list[tuple[str, set[str]]]:
    return [(t, set(content_stems(t))) for t in texts]


def test_specifics_must_be_present_in_on_topic_sentences() -> None:
    assert countries_named("Malaysian law and Thailand") == {"malaysia", "thailand"}
    topic = {"victim", "identifi"}
    units = _units("Thailand identified many victims.", "Published in 2023 by the ministry.")
    missing = _specifics_missing("How many victims did Thailand identify in 2023?", units, topic)
    assert "the number 2023" in missing  # 2023 stands only in an off-topic sentence
    assert _specifics_missing(
        "What is the hotline phone number?", _units("Set up a hotline for victims."), {"hotline"}
    ) == ["contact details"]
    assert (
        _specifics_missing(
            "What is the hotline number?", _units("Call the hotline on +66 1300 1234."), {"hotline"}
        )
        == []
    )


def test_ages_are_not_facts_to_look_up() -> None:
    units = _units("Treat a person as a child until the age is determined.")
    for question in (
        "A 15-year-old was found, what do I do with the child?",
        "He looks about 15 but says he is 19: is he a child?",
        "She says she's 16, do we treat her as a child?",
    ):
        assert _specifics_missing(question, units, {"child"}) == []


def test_quantity_questions_need_a_figure() -> None:
    topic = {"prison", "sentenc", "traffick"}
    units = _units("Trafficking carries a heavy prison sentence in many countries.")
    assert _specifics_missing("What is the maximum prison sentence for trafficking?", units, topic)


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


def test_footnote_mark_stays_with_its_sentence() -> None:
    text = "It is a standard for victims.335 It takes their safety into account. Law No. 4 applies."
    assert [u.text for u in split_units(text)] == [
        "It is a standard for victims.335",
        "It takes their safety into account.",
        "Law No. 4 applies.",
    ]
    assert [u.text for u in split_units("Version 2.0 The end.")] == ["Version 2.0 The end."]


_STATS = TermStats(["victims identified", "shelter", "healthcare", "pillars of the NRM", "other"])


def test_a_sentence_ending_in_a_footnote_mark_is_no_heading() -> None:
    hit = _hit("Fewer than 1 per cent of victims are ever identified, yet they are everywhere.1")
    units = [s.unit.text for s in score_units("How many victims are identified?", [hit], _STATS)]
    assert units == [hit.chunk.text]
    heading = _hit("55 Golden Day approach for kids")
    assert score_units("Golden Day approach", [heading], _STATS) == []


def test_cross_reference_lists_are_not_quoted() -> None:
    text = "(See: healthcare; health problems) Clinical records help victims in court.\n(See: x)"
    hit = _hit(text)
    scored = score_units("healthcare records for victims", [hit], _STATS)
    assert [s.unit.text for s in scored] == ["Clinical records help victims in court."]
    unit = scored[0].unit
    assert text[unit.start : unit.end] == unit.text


def test_a_list_without_bullets_comes_with_its_introduction() -> None:
    text = (
        "They must give all victims access to the 4 NRM Pillars:\n"
        "Identification plus Protection;\nIndividual Support and Access to Services;\n"
        "Social Inclusion; and\nCriminal Justice and Redress.\n"
        "Each pillar has a chapter. The chapters describe the role of every stakeholder in turn "
        "and the standards that apply to them."
    )
    question = "What are the four NRM pillars?"
    points = select_points(question, [_hit(text)], _STATS, ComposerConfig())
    first = points[0].quotes[0].text
    assert first.startswith("They must give") and first.endswith("Criminal Justice and Redress.")


def test_the_ask_is_separated_from_the_situation_told_before_it() -> None:
    situation = "We stopped a 15-year-old Cambodian boy at the checkpoint. Can we detain him?"
    assert asking_part(situation) == "Can we detain him?"
    assert asking_part("What is a National Referral Mechanism?") == (
        "What is a National Referral Mechanism?"
    )
    assert asking_part("She is 16. She is scared. Tell me what to do next") == (
        "Tell me what to do next"
    )
    # A country or number in the situation is not what is asked for; in the ask it is.
    units = _units("Children should never be detained, whatever their nationality.")
    topic = {"detain", "child"}
    assert _specifics_missing(asking_part(situation), units, topic) == []
    asked = "We work at the border. How many victims did Cambodia identify in 2023?"
    assert set(_specifics_missing(asking_part(asked), units, topic)) == {
        "the number 2023",
        "Cambodia",
        "the figure asked for",
    }
