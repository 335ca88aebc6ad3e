"""Cleaning: hyphenation, tabs, bullets, form lines, page furniture and footnotes."""

from __future__ import annotations

from ingest.cleaning import (
    WordForms,
    clean,
    join_lines,
    mark_items,
    normalize_text,
)
from ingest.document import Footnote, Line, RawDocument, RawPage
from ingest.footnotes import split_footnotes
from ingest.furniture import drop_furniture


def lines_of(*texts: str, page: int | None = None) -> list[Line]:
    return [Line(text, page) for text in texts]


def joined(*texts: str, vocabulary_text: str = "") -> str:
    lines = lines_of(*texts)
    vocabulary = WordForms([*texts, vocabulary_text])
    return join_lines(lines, vocabulary)[0]


# --- hyphenation -----------------------------------------------------------------------------


def test_word_broken_at_line_end_is_rejoined() -> None:
    assert joined("some oth-", "er words") == "some other words"


def test_prefix_compound_keeps_its_hyphen_when_the_document_spells_it_so() -> None:
    # "non-punishment" appears whole elsewhere and "nonpunishment" never: keep the hyphen.
    text = joined("the non-", "punishment principle", vocabulary_text="the non-punishment rule")
    assert text == "the non-punishment principle"


def test_joined_spelling_in_the_document_wins() -> None:
    text = joined(
        "co-", "operation", vocabulary_text="cooperation and co-operation and cooperation"
    )
    assert text == "cooperation"


def test_capitalised_or_numeric_continuation_keeps_the_hyphen_without_a_space() -> None:
    assert joined("the Anti-", "Trafficking unit") == "the Anti-Trafficking unit"
    assert joined("COVID-", "19 pandemic") == "COVID-19 pandemic"


def test_spaced_dash_at_line_end_is_not_hyphenation() -> None:
    assert joined("traffickers -", "including agents") == "traffickers - including agents"


def test_join_reports_where_each_page_starts() -> None:
    lines = [Line("end of a sen-", 4), Line("tence on page five.", 5)]
    text, breaks = join_lines(lines, WordForms([]))
    assert text == "end of a sentence on page five."
    assert breaks == [(0, 4), (len("end of a sen"), 5)]


# --- characters and glyphs -------------------------------------------------------------------


def test_tabs_used_as_spaces_and_runs_of_spaces_collapse() -> None:
    assert normalize_text("The\tTWG\tmet  in   person\t") == "The TWG met in person"


def test_form_dots_and_underscores_are_removed() -> None:
    assert normalize_text("HOTLINE\t\t\t..........................") == "HOTLINE"
    assert normalize_text("Name: ________ Date: . . . . . .") == "Name: Date:"
    assert normalize_text("Wait... then go.") == "Wait... then go."


def test_nbsp_and_ligatures_are_normalised() -> None:
    assert normalize_text("ﬁrst\u00a0aid") == "first aid"


def test_bullet_glyphs_become_items() -> None:
    glyphs = ["•", "·", "▪", "◦", "●", "❑", "\uf0b7", "\ufffd"]
    marked = mark_items(lines_of(*(f"{glyph}\tItem text" for glyph in glyphs)))
    assert all(line.item and line.text == "Item text" for line in marked)


def test_dash_is_an_item_marker_only_where_a_list_can_start() -> None:
    marked = mark_items(
        lines_of(
            "Explain to the child that:",
            "- If they do not know, they say so.",
            "- if they forget, they say that too.",
            "Traffickers are often punished before their traffickers",
            "- including recruitment agencies - are brought to justice.",
        )
    )
    assert [line.item for line in marked] == [False, True, True, False, False]
    assert marked[4].text.startswith("- including")


def test_lone_bullets_mark_the_block_of_lines_after_them() -> None:
    marked = mark_items(
        lines_of(
            "including:",
            "•",
            "•",
            "",
            "Trafficking victim identification",
            "Recovery and reintegration of",
            "trafficking victims",
            "",
            "This series is drafted by NEXUS.",
        )
    )
    items = [line.item for line in marked]
    assert items == [False, False, False, False, True, True, False, False, False]
    assert marked[1].text == ""  # the lone glyph itself is gone


# --- furniture -------------------------------------------------------------------------------


def test_page_numbers_running_titles_and_photo_credits_are_dropped() -> None:
    title = "ASEAN Do-No-Harm Guide for Frontline Responders: Safeguarding the Rights of Victims"
    pages = []
    for number in range(1, 5):
        pages += [
            Line("Chapter text", number, page_start=True),
            Line(f"Body sentence on page {number}.", number),
            Line("ASEAN Do-No-Harm Guide for Frontline Responders:", number),
            Line(str(number + 10), number),
        ]
    pages.append(Line("Photo by Rawena Russell", 5, page_start=True))
    kept = [line.text for line in drop_furniture(pages, title) if line.text]
    assert "ASEAN Do-No-Harm Guide for Frontline Responders:" not in kept
    assert not any(text.isdigit() for text in kept)
    assert "Photo by Rawena Russell" not in kept
    assert "Body sentence on page 3." in kept


def test_short_phrase_shared_with_the_title_is_kept() -> None:
    title = "Practitioner Guide: Special and Additional Measures for Child Trafficking Victims"
    lines = [
        Line("Legal obligations related to child", 4, page_start=True),
        Line("trafficking victims", 4),
        Line("Issues in measures for child", 5, page_start=True),
        Line("trafficking victims", 5),
    ]
    assert [line.text for line in drop_furniture(lines, title)] == [line.text for line in lines]


# --- footnotes -------------------------------------------------------------------------------


def test_page_bottom_notes_and_link_lists_leave_the_body() -> None:
    page = [
        "Victims may be criminalised for acts they were forced to commit.12",
        "",
        "12 UNODC (2020), Exploited and Prosecuted: When Victims of Human Trafficking Commit",
        "Crimes, Vienna.",
        "13 See the OSCE Policy and legislative recommendations, 2013.",
        "",
        "https://www.unodc.org/documents/report.pdf",
        "https://www.osce.org/secretariat/101002",
    ]
    lines = [Line(text, 7, page_start=i == 0) for i, text in enumerate(page)]
    body, notes = split_footnotes_from(lines, expected=12)
    assert [line.text for line in body if line.text] == [page[0]]
    assert [note.number for note in notes] == [12, 13]
    assert notes[0].page == 7
    assert len(notes[0].lines) == 2


def test_note_continuing_after_a_blank_line_and_body_resuming_below() -> None:
    page = [
        "Body text before the notes.",
        "",
        "10 Adapted from OSCE Office of the Special Representative,",
        "",
        "Applying gender-sensitive approaches (Vienna, 2021).",
        "11 Another note that ends here.",
        "",
        "Not being identified as a victim may result in exploitation.",
    ]
    lines = [Line(text, 3, page_start=i == 0) for i, text in enumerate(page)]
    body, notes = split_footnotes_from(lines, expected=10)
    assert [line.text for line in body if line.text] == [page[0], page[-1]]
    assert [len(note.lines) for note in notes] == [2, 1]


def test_numbered_heading_is_not_taken_for_a_note() -> None:
    lines = lines_of("", "1 Introduction", "", "1.1 The Role of ODIHR", "Text follows here.")
    body, notes = split_footnotes(lines, paged=False, wide=200)
    assert notes == []
    assert [line.text for line in body] == [line.text for line in lines]


def test_clean_returns_notes_separately_for_a_paged_document() -> None:
    document = RawDocument(
        (
            RawPage(1, " Heading\nText with a note.1\n\n1 The note itself.\n"),
            RawPage(2, " Next page text.\n"),
        )
    )
    cleaned = clean(document)
    assert [note.number for note in cleaned.footnotes] == [1]
    assert "The note itself." not in " ".join(line.text for line in cleaned.lines)
    assert cleaned.lines[0].page_start and cleaned.lines[0].indented


def split_footnotes_from(lines: list[Line], expected: int) -> tuple[list[Line], list[Footnote]]:
    """Run note detection as if notes 1..expected-1 had been read on an earlier page."""
    earlier = [Line("Earlier page.", 1, page_start=True), Line("", 1)]
    for number in range(1, expected):
        earlier += [Line(f"{number} Earlier note number {number}.", 1)]
    body, notes = split_footnotes([*earlier, *lines], paged=True, wide=200)
    assert [note.number for note in notes[: expected - 1]] == list(range(1, expected))
    return [line for line in body if line.page != 1], notes[expected - 1 :]
