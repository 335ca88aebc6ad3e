"""Headings and section paths: small synthetic outlines, then the real handbooks."""

from __future__ import annotations

import pytest

from ingest.blocks import Block
from ingest.cleaning import clean
from ingest.document import RawDocument, RawPage
from ingest.headings import display_title
from ingest.records import Chunk
from ingest.structure import outline

BODY = "The text under this heading explains what to do. It has two sentences."


def sections_of(text: str, pages: list[str] | None = None, title: str = "") -> list[Block]:
    if pages is not None:
        raw = RawDocument(tuple(RawPage(n, page) for n, page in enumerate(pages, start=1)))
    else:
        raw = RawDocument((RawPage(None, text),))
    return outline(clean(raw, title), raw.headings, title)


def paths(blocks: list[Block]) -> list[tuple[str, ...]]:
    return [block.section for block in blocks if block.kind != "heading"]


def test_numbered_sections_nest_under_their_chapter() -> None:
    text = (
        f"1 Introduction\n\n{BODY}\n\n1.1 Purpose of the Handbook\n{BODY}\n\n"
        f"1.2 Overview of the NRM Handbook\n\n{BODY}\n\n2 Twelve principles\n\n{BODY}\n"
    )
    assert paths(sections_of(text)) == [
        ("1 Introduction",),
        ("1 Introduction", "1.1 Purpose of the Handbook"),
        ("1 Introduction", "1.2 Overview of the NRM Handbook"),
        ("2 Twelve principles",),
    ]


def test_part_and_pillar_keywords_set_the_upper_levels() -> None:
    text = (
        f"PART TWO: Frontline guidance\n\nPILLAR ONE:\nIdentification + Protection\n\n{BODY}\n\n"
        f"13.1 Introduction to Pillar One\n\n{BODY}\n\n"
        f"Screening interviews for children\n\n{BODY}\n"
    )
    assert paths(sections_of(text)) == [
        ("Part Two: Frontline guidance", "Pillar One: Identification + Protection"),
        (
            "Part Two: Frontline guidance",
            "Pillar One: Identification + Protection",
            "13.1 Introduction to Pillar One",
        ),
        (
            "Part Two: Frontline guidance",
            "Pillar One: Identification + Protection",
            "13.1 Introduction to Pillar One",
            "Screening interviews for children",
        ),
    ]


def test_a_wrapped_sentence_is_not_a_heading() -> None:
    text = (
        "Formal Interview\n\nOfficers should always speak to the Child Protection\n"
        "officer before they start. Then they explain the steps.\n"
        "Make the Child Feel Safe and\nwelcome in the interview room.\n"
        "UN Convention on the Rights of the Child\n(1989) establishes the rights of children.\n"
    )
    blocks = sections_of(text)
    assert [block.text for block in blocks if block.kind == "heading"] == ["Formal Interview"]


def test_lines_running_into_a_sentence_after_a_blank_line_are_not_headings() -> None:
    text = f"{BODY}\n\nAll stakeholders should be trained in trauma-informed\n\nmethods of work.\n"
    assert all(block.kind != "heading" for block in sections_of(text))


def test_a_run_of_short_lines_is_a_list_not_headings() -> None:
    listed = "Recruitment\n\nTransportation\n\nTransfer\n\nHarbouring"
    text = f"Activities\n\n{BODY}\n\n{listed}\n\n{BODY}\n"
    headings = [block.text for block in sections_of(text) if block.kind == "heading"]
    assert headings == ["Activities"]


def test_page_start_headings_and_wrapped_titles_in_a_paged_document() -> None:
    pages = [
        f" Purpose of the guide\n{BODY}",
        f" Legal obligations related to child\ntrafficking victims\n{BODY}\n"
        f"Maintain Privacy\n{BODY}",
        f" Some text continues the sentence from the previous\npage and goes on. {BODY}",
    ]
    blocks = sections_of("", pages=pages)
    assert paths(blocks) == [
        ("Purpose of the guide",),
        ("Legal obligations related to child trafficking victims",),
        ("Legal obligations related to child trafficking victims", "Maintain Privacy"),
        ("Legal obligations related to child trafficking victims", "Maintain Privacy"),
    ]


def test_numbered_harm_headings_with_the_number_on_its_own_line() -> None:
    pages = [
        f" Victim Identification\n{BODY}\n",
        f" 1. \nVictim is not identified as a victim \nof trafficking\n\n{BODY}\n",
        " Do No Harm guidance\n- Look out for signs.\n",
        f" 2. \nCriminalisation, arrest, detention \nand deportation\n\n{BODY}\n",
        " Do No Harm guidance\n- Do not criminalise victims.\n",
    ]
    assert paths(sections_of("", pages=pages)) == [
        ("Victim Identification",),
        ("Victim Identification", "1. Victim is not identified as a victim of trafficking"),
        (
            "Victim Identification",
            "1. Victim is not identified as a victim of trafficking",
            "Do No Harm guidance",
        ),
        ("Victim Identification", "2. Criminalisation, arrest, detention and deportation"),
        (
            "Victim Identification",
            "2. Criminalisation, arrest, detention and deportation",
            "Do No Harm guidance",
        ),
    ]


def test_an_unnumbered_chapter_title_is_recognised_from_its_numbered_sections() -> None:
    text = (
        f"16 Criminal justice\n\n16.1 Introduction\n\n{BODY}\n\n16.2 Trials\n\n{BODY}\n\n"
        f"Health\n\n{BODY}\n\n17.1 Introduction\n\n{BODY}\n"
    )
    assert paths(sections_of(text))[-1] == ("Health", "17.1 Introduction")


def test_titles_are_cleaned_for_display() -> None:
    assert display_title("9.3 Cultural congruence211") == "9.3 Cultural congruence"
    assert display_title("Good practice:33") == "Good practice"
    assert display_title("PILLAR ONE: Identification + Protection") == (
        "Pillar One: Identification + Protection"
    )
    long_title = display_title("A " + "very " * 40 + "long title")
    assert len(long_title) <= 101 and long_title.endswith("…")


def test_repeated_running_title_is_not_a_heading() -> None:
    title = "Practitioner Guide: Special and Additional Measures for Children"
    pages = [
        f" Chapter Title {n}\n{BODY}\nPractitioner Guide: Special and Additional Measures\n"
        for n in range(1, 5)
    ]
    blocks = sections_of("", pages=pages, title=title)
    assert all("Practitioner Guide" not in block.text for block in blocks)


# --- the real handbooks ---------------------------------------------------------------------

KNOWN_SECTIONS = {
    "rso-first-responders": [
        ("Purpose of the guide",),
        ("First encounter with a Potential Child Victim",),
        ("Preparing for the Formal Interview",),
        ("Formal Interview", "Maintain Privacy"),
        ("After the interview", "CLOSING THE INTERVIEW"),
    ],
    "nexus-practitioner-guide": [
        (
            "Legal obligations related to child trafficking victims",
            "International law and guidance",
        ),
        ("Child trafficking victim experiences and needs", "Fear and risk of harm"),
        ("Structural and institutional challenges in measures for trafficked children",),
        ("Guidance for Practitioners",),
    ],
    "osce-nrm-handbook": [
        ("1 Introduction", "1.2 Overview of the NRM Handbook"),
        (
            "2 Twelve principles for effective NRM structures",
            "Principle 5: Recovery and Reflection",
        ),
        ("Part One", "5 PART ONE (b): What is Human Trafficking?", "5.4 Who are the traffickers?"),
        (
            "Part Two: Frontline guidance for professionals",
            "Pillar One: Identification + Protection",
            "13.6 The two-stage NRM victim identification process",
        ),
        (
            "Part Two: Frontline guidance for professionals",
            "Pillar Four: Access to Criminal Justice and Redress",
            "16.18 Criminal trials",
        ),
        ("Part Two: Frontline guidance for professionals", "Health", "17.1 Introduction"),
        (
            "Part Three",
            "18 Fifty-Seven Recommended Standards",
            "25 Non-conditional protection and support",
        ),
        ("Part Three", "19 Promising Practices"),
        ("Part Three", "20 Adult and Child Assessment Guides For Human Trafficking"),
    ],
    "asean-do-no-harm": [
        ("Using This Guide",),
        ("Victim Identification", "1. Victim is not identified as a victim of trafficking"),
        ("Recovery, Reflection and Shelter",),
        ("Return and Reintegration", "1. Forced return to place of origin", "Do No Harm guidance"),
        ("Criminal Justice Process", "3. Lack of protection - Reprisal from traffickers"),
    ],
    "iom-ilo-migration-leaflet": [
        ("Detecting a trafficking situation", "Interviewing the underage person"),
        ("Some other measures the migration control offices may take",),
    ],
}


@pytest.mark.parametrize("doc_id", sorted(KNOWN_SECTIONS))
def test_known_headings_are_in_section_paths(
    doc_id: str, corpus_chunks: dict[str, list[Chunk]]
) -> None:
    sections = {chunk.section for chunk in corpus_chunks[doc_id]}
    for expected in KNOWN_SECTIONS[doc_id]:
        starts = [
            s for s in sections if s[: len(expected)] == expected or s[-len(expected) :] == expected
        ]
        assert starts, f"{doc_id}: no chunk under {' › '.join(expected)}"


def test_section_paths_are_short_and_readable(corpus_chunks: dict[str, list[Chunk]]) -> None:
    for chunks in corpus_chunks.values():
        for chunk in chunks:
            assert len(chunk.section) <= 4
            for title in chunk.section:
                assert 0 < len(title) <= 101
                assert title == title.strip() and "  " not in title


def test_osce_chunks_are_cited_by_section_not_page(corpus_chunks: dict[str, list[Chunk]]) -> None:
    chunks = corpus_chunks["osce-nrm-handbook"]
    assert all(chunk.page_start is None for chunk in chunks)
    body = [chunk for chunk in chunks if chunk.kind == "body"]
    with_section = [chunk for chunk in body if chunk.section]
    assert len(with_section) >= 0.99 * len(body)
    with_chapter = [chunk for chunk in body if len(chunk.section) >= 2]
    assert len(with_chapter) >= 0.9 * len(body)
