"""Discovery of handbook files, errors, and the catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.catalog import Catalog, load_catalog, readable_title, slug
from ingest.chunker import ChunkerConfig
from ingest.errors import IngestError
from ingest.pipeline import SUPPORTED_SUFFIXES, chunk_file, discover
from tests.ingest.conftest import CORPUS


def test_ingest_error_is_one_clear_line() -> None:
    error = IngestError(Path("/data/corpus/broken.pdf"), "damaged PDF: it has no pages")
    assert str(error) == "broken.pdf: damaged PDF: it has no pages"
    assert error.path == Path("/data/corpus/broken.pdf")
    assert error.reason == "damaged PDF: it has no pages"


def test_discover_walks_folders_and_skips_bookkeeping(tmp_path: Path) -> None:
    for name in (
        "b.txt",
        "a.md",
        "c.pdf",
        "catalog.toml",
        "README.md",
        "SOURCES.md",
        ".hidden.txt",
    ):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "notes.docx").write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.markdown").write_text("x", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "e.txt").write_text("x", encoding="utf-8")
    extra = tmp_path / "explicit.docx"
    extra.write_text("x", encoding="utf-8")
    found = discover([tmp_path, tmp_path / "b.txt", extra])
    names = [path.relative_to(tmp_path).as_posix() for path in found]
    assert names == ["a.md", "b.txt", "c.pdf", "explicit.docx", "sub/d.markdown"]
    assert ".md" in SUPPORTED_SUFFIXES and ".pdf" in SUPPORTED_SUFFIXES


def test_discover_on_the_corpus_finds_the_five_handbooks() -> None:
    assert [path.name for path in discover([CORPUS])] == [
        "asean-do-no-harm-guide.txt",
        "iom-ilo-migration-officers-leaflet.md",
        "nexus-rso-child-trafficking-practitioner-guide.txt",
        "osce-odihr-nrm-handbook-2nd-edition.txt",
        "rso-child-victims-first-responders.txt",
    ]


def test_unsupported_file_type_is_an_ingest_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(IngestError, match=r"^notes\.docx: unsupported file type '\.docx'"):
        chunk_file(path, Catalog().info_for(path), ChunkerConfig())


def test_a_file_without_usable_text_is_an_ingest_error(tmp_path: Path) -> None:
    path = tmp_path / "dots.txt"
    path.write_text("........................\n____________\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"^dots\.txt: no text"):
        chunk_file(path, Catalog().info_for(path), ChunkerConfig())


def test_catalog_entries_and_uncatalogued_files() -> None:
    catalog = load_catalog(CORPUS / "catalog.toml")
    osce = catalog.info_for(CORPUS / "osce-odihr-nrm-handbook-2nd-edition.txt")
    assert (osce.doc_id, osce.pages, osce.language, osce.year) == (
        "osce-nrm-handbook",
        "none",
        "en",
        "2022",
    )
    other = catalog.info_for(Path("/elsewhere/My_Field Guide-2024.pdf"))
    assert other.doc_id == "my-field-guide-2024"
    assert other.title == "My Field Guide 2024"
    assert (other.pages, other.language, other.file) == ("pdf", "", "My_Field Guide-2024.pdf")
    assert catalog.info_for(Path("notes.txt")).pages == "none"


def test_missing_or_broken_catalog(tmp_path: Path) -> None:
    assert load_catalog(tmp_path / "absent.toml").documents == {}
    broken = tmp_path / "catalog.toml"
    broken.write_text("[[documents]\nfile = ", encoding="utf-8")
    with pytest.raises(IngestError, match=r"^catalog\.toml: catalog is not valid TOML"):
        load_catalog(broken)


def test_slug_and_title_helpers() -> None:
    assert slug("  ASEAN Guide (2nd ed.) ") == "asean-guide-2nd-ed"
    assert slug("___") == "document"
    assert readable_title("nrm_handbook-2nd.edition") == "Nrm handbook 2nd edition"


def test_uncatalogued_language_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "guia.txt"
    path.write_text(
        "Protección de víctimas\n\nLos funcionarios deben explicar cada paso al niño con palabras "
        "sencillas. Deben comprobar que el niño ha entendido y que puede hacer preguntas sobre "
        "el procedimiento y sobre la protección que recibirá durante la entrevista.\n",
        encoding="utf-8",
    )
    chunks = chunk_file(path, Catalog().info_for(path), ChunkerConfig())
    assert {chunk.lang for chunk in chunks} == {"es"}
