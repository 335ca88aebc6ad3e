"""Readers: text with and without page marks, Markdown, and PDF, including files that must fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.catalog import Catalog
from ingest.chunker import ChunkerConfig
from ingest.document import Headings
from ingest.errors import IngestError
from ingest.markdown import markdown_to_text, read_markdown
from ingest.pdf import read_pdf
from ingest.pipeline import chunk_file
from ingest.records import DocumentInfo
from ingest.text import read_text
from tests.ingest.conftest import PdfMaker

SENTENCES = (
    "Officers should explain every step to the child in simple words. "
    "They should check that the child has understood and can ask questions. "
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- plain and page-marked text ---------------------------------------------------------------


def test_space_marked_text_splits_pages_and_line_one_is_page_one(tmp_path: Path) -> None:
    path = write(tmp_path, "guide.txt", "First page text\nmore\n Second page\ntext\n \n Fourth\n")
    pages = read_text(path, pages="space-marker").pages
    assert [page.number for page in pages] == [1, 2, 3, 4]
    assert pages[0].text.startswith("First page text")
    assert pages[1].text.startswith(" Second page")
    # A line of one lone space is a page without text (a photo page): it still counts.
    assert pages[2].text == " "


def test_two_leading_spaces_do_not_open_a_page(tmp_path: Path) -> None:
    path = write(tmp_path, "guide.txt", "Page one\n  indented quote\n\tTabbed\n Page two\n")
    assert [page.number for page in read_text(path, "space-marker").pages] == [1, 2]


def test_plain_text_has_no_page_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, "notes.txt", "One line\n Another line that starts with a space\n")
    document = read_text(path, pages="none")
    assert [page.number for page in document.pages] == [None]
    assert not document.paged


def test_non_utf8_text_names_the_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Protección de víctimas".encode("latin-1"))
    with pytest.raises(IngestError) as caught:
        read_text(path)
    message = str(caught.value)
    assert message.startswith("latin1.txt: ")
    assert "not UTF-8" in message and "offset 8" in message
    assert caught.value.path == path


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_empty_text_file_is_an_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(IngestError, match=r"^empty\.txt: (empty file|no text)"):
        read_text(path)


def test_bom_and_windows_line_ends_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffFirst\r\nSecond\r\n".encode())
    assert read_text(path).pages[0].text == "First\nSecond\n"


# --- Markdown ------------------------------------------------------------------------------


def test_markdown_strips_markup_and_keeps_headings_and_items() -> None:
    source = (
        "# Title\n\n---\n\nSome **bold** and *emphasis* and _more_ text.  \n"
        "Second line after a hard break.\n\n### **Interviewing the child:**\n\n"
        "* first item\n- second [link](http://x.org) item\n\n"
        "Setext heading\n--------------\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    lines = markdown_to_text(source).split("\n")
    assert "# Title" in lines
    assert "### Interviewing the child:" in lines
    assert "Some bold and emphasis and more text." in lines
    assert "Second line after a hard break." in lines
    assert "- first item" in lines and "- second link item" in lines
    assert "## Setext heading" in lines
    assert "1 | 2" in lines
    assert not any(line.strip("-") == "" and line for line in lines)  # rules are gone
    assert "*" not in "\n".join(lines)


def test_markdown_headings_become_section_paths(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "leaflet.md",
        "# Leaflet title\n\n## Detecting a situation\n\n" + SENTENCES * 2 + "\n\n"
        "### **Interviewing the child:**\n\n- Speak to them alone.\n- Find a quiet room.\n",
    )
    assert read_markdown(path).headings is Headings.MARKED
    info = DocumentInfo(doc_id="leaflet", title="Leaflet title", file=path.name)
    chunks = chunk_file(path, info, ChunkerConfig())
    sections = [chunk.section for chunk in chunks]
    # The document's own title is not repeated in the path: the citation names it already.
    assert ("Detecting a situation",) in sections
    assert ("Detecting a situation", "Interviewing the child") in sections
    items = next(c for c in chunks if c.section[-1] == "Interviewing the child")
    assert items.text == "- Speak to them alone.\n- Find a quiet room."
    assert all(chunk.page_start is None and chunk.page_end is None for chunk in chunks)


# --- PDF -------------------------------------------------------------------------------------


def test_pdf_pages_are_the_pdf_page_numbers(make_pdf: PdfMaker) -> None:
    path = make_pdf("three.pdf", [["Alpha text on page one."], ["Beta text."], ["Gamma text."]])
    document = read_pdf(path)
    assert [page.number for page in document.pages] == [1, 2, 3]
    assert "Beta" in document.pages[1].text


def test_pdf_chunks_report_pages_and_a_page_two_heading(make_pdf: PdfMaker) -> None:
    path = make_pdf(
        "guide.pdf",
        [
            ["Officers meet many children at borders. " + SENTENCES],
            ["Formal Interview", "Interview the child in a safe and quiet room. " + SENTENCES],
            ["Closing the Case", "Thank the child for the time given. " + SENTENCES],
        ],
    )
    info = Catalog().info_for(path)
    assert info.pages == "pdf" and info.doc_id == "guide"
    chunks = chunk_file(path, info, ChunkerConfig())
    by_page = {chunk.page_start: chunk for chunk in chunks}
    assert set(by_page) == {1, 2, 3}
    assert all(chunk.page_start == chunk.page_end for chunk in chunks)
    assert "Officers meet many children" in by_page[1].text
    assert "Interview the child in a safe" in by_page[2].text
    assert by_page[2].section == ("Formal Interview",)
    assert by_page[3].section == ("Closing the Case",)
    assert all(chunk.lang == "en" for chunk in chunks)


def test_pdf_footnotes_become_footnote_chunks_on_their_page(make_pdf: PdfMaker) -> None:
    body = "Victims must be referred to services without delay.1 " + SENTENCES
    path = make_pdf(
        "notes.pdf",
        [
            ["Identification", body, "1 UNODC (2020), Toolkit to Combat Trafficking, Vienna."],
            ["Referral", body.replace(".1 ", ".2 "), "2 See Article 10 of the Convention."],
        ],
    )
    chunks = chunk_file(path, Catalog().info_for(path), ChunkerConfig())
    notes = [chunk for chunk in chunks if chunk.kind == "footnote"]
    assert [(note.page_start, note.text[:2]) for note in notes] == [(1, "1 "), (2, "2 ")]
    assert notes[1].section == ("Referral",)
    assert not any("UNODC" in chunk.text for chunk in chunks if chunk.kind == "body")


def test_encrypted_pdf_is_refused_with_a_clear_reason(make_pdf: PdfMaker) -> None:
    path = make_pdf("locked.pdf", [["Confidential guidance."]], user_password="s3cret")
    with pytest.raises(IngestError, match=r"^locked\.pdf: encrypted PDF: it needs a password"):
        read_pdf(path)


def test_truncated_pdf_is_reported_as_damaged(make_pdf: PdfMaker, tmp_path: Path) -> None:
    whole = make_pdf("whole.pdf", [["Some text here."], ["More text here."]]).read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(IngestError, match=r"^truncated\.pdf: damaged"):
        read_pdf(path)


def test_pdf_header_only_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj <<")
    with pytest.raises(IngestError, match="damaged"):
        read_pdf(path)


def test_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "renamed.pdf"
    path.write_text("This is really a text file.", encoding="utf-8")
    with pytest.raises(IngestError, match=r"not a PDF"):
        read_pdf(path)


def test_zero_byte_pdf(tmp_path: Path) -> None:
    path = tmp_path / "zero.pdf"
    path.write_bytes(b"")
    with pytest.raises(IngestError, match=r"^zero\.pdf: empty file \(0 bytes\)$"):
        read_pdf(path)


def test_image_only_pdf_has_no_extractable_text(make_pdf: PdfMaker) -> None:
    path = make_pdf("scan.pdf", [[]], image_only=True)
    with pytest.raises(IngestError, match=r"no extractable text.*(scanned|image-only)"):
        read_pdf(path)
