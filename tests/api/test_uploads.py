"""Upload checks without the model: sniffing, safe names, limits, the uploads catalog, undoable
file moves, and `haven ingest` keeping uploads (fake embedder: fast)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app as cli_app
from core.settings import get_settings
from documents.catalog import UploadCatalog, index_catalog, index_paths
from documents.errors import TooLargeError, UnsupportedTypeError
from documents.folder import FileSwap, UploadFolder
from documents.service import DocumentService, Upload, clean_text
from documents.uploads import Kind, client_name, receive, sniff, stored_name
from index.fake_embedder import FakeEmbedder
from index.layout import IndexLayout
from index.manifest import Manifest
from ingest.catalog import load_catalog
from ingest.records import DocumentInfo
from tests.conftest import CORPUS, cli_environment, make_settings

SHA = "ab" * 32
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00"


@pytest.mark.parametrize(
    ("given", "stem", "suffix"),
    [
        ("../../etc/passwd.txt", "passwd", ".txt"),
        ("..\\..\\x.md", "x", ".md"),
        ("/etc/absolute.txt", "absolute", ".txt"),
        ("C:\\Users\\ana\\Guide.PDF", "Guide", ".pdf"),
        ("C:guide.md", "guide", ".md"),
        ("nul\x00byte.txt", "nulbyte", ".txt"),
        ("ctrl\x07\x1b\n.txt", "ctrl", ".txt"),
        ("\u202eevil\u202c.txt", "evil", ".txt"),
        ("..", "", ""),
        ("", "", ""),
        (".hidden", "hidden", ""),
        ("notes", "notes", ""),
        ("report.final.md", "report.final", ".md"),
    ],
)
def test_client_name_keeps_only_the_last_component(given: str, stem: str, suffix: str) -> None:
    name = client_name(given)
    assert (name.stem, name.suffix) == (stem, suffix)


@pytest.mark.parametrize(
    ("given", "kind", "stored"),
    [
        ("../../etc/passwd.txt", Kind.TEXT, "passwd.txt"),
        ("..\\..\\x.md", Kind.MARKDOWN, "x.md"),
        ("Guía Práctica (2nd ed).pdf", Kind.PDF, "guía-práctica-2nd-ed.pdf"),
        ("notes", Kind.TEXT, "notes.txt"),
        ("README.md", Kind.MARKDOWN, "upload-readme.md"),
        ("sources.md", Kind.MARKDOWN, "upload-sources.md"),
        ("..", Kind.TEXT, f"document-{SHA[:12]}.txt"),
        ("___.pdf", Kind.PDF, f"document-{SHA[:12]}.pdf"),
        ("shelter guide.txt", Kind.PDF, "shelter-guide.pdf"),  # content decides the suffix
    ],
)
def test_stored_name_is_a_slug_with_the_canonical_suffix(
    given: str, kind: Kind, stored: str
) -> None:
    assert stored_name(client_name(given), kind, SHA) == stored


NASTY = [
    "../../etc/passwd.txt",
    "..\\..\\..\\windows\\system32\\x.md",
    "/abs/olute/path.txt",
    "\\\\server\\share\\doc.pdf",
    "a/../../b.txt",
    "....//....//c.txt",
    "x\x00/../y.txt",
    "%2e%2e%2fencoded.txt",
    "con.txt",
    "ｆｕｌｌｗｉｄｔｈ／..／z.txt",
    "a" * 500 + ".txt",
]


@pytest.mark.parametrize("given", NASTY)
def test_nasty_names_stay_inside_the_uploads_folder(tmp_path: Path, given: str) -> None:
    folder = UploadFolder(tmp_path / "uploads")
    name = stored_name(client_name(given), Kind.TEXT, SHA)
    path = folder.path_of(name)
    assert path.parent == folder.root
    assert not name.startswith(".") and ".." not in name
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert len(name) <= 90


@pytest.mark.parametrize("name", ["", ".", "..", "a/b", "..\\b", "x\x00"])
def test_folder_refuses_unsafe_stored_names(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError):
        UploadFolder(tmp_path).path_of(name)


@pytest.mark.parametrize(
    ("head", "filename", "kind"),
    [
        (PDF, "guide.pdf", Kind.PDF),
        (PDF, "guide.txt", Kind.PDF),  # by content, not by name
        (PDF, "guide", Kind.PDF),
        (b"junk before\n" + PDF, "guide.pdf", Kind.PDF),
        (b"Plain words.\n", "notes.txt", Kind.TEXT),
        (b"Plain words.\n", "notes", Kind.TEXT),
        (b"# Title\n\nWords.\n", "notes.md", Kind.MARKDOWN),
        (b"# Title\n", "notes.markdown", Kind.MARKDOWN),
        ("café".encode("latin-1"), "notes.txt", Kind.TEXT),  # the reader says "not UTF-8"
        ("text".encode("utf-16"), "notes.txt", Kind.TEXT),
        (b"", "empty.txt", Kind.TEXT),
        (b"", "empty.pdf", Kind.PDF),
    ],
)
def test_sniff_accepts_documents(head: bytes, filename: str, kind: Kind) -> None:
    assert sniff(head, client_name(filename)) is kind


@pytest.mark.parametrize(
    ("head", "filename", "says"),
    [
        (PNG, "scan.pdf", "PNG image"),
        (PNG, "scan.txt", "PNG image"),
        (ZIP, "archive.zip", "ZIP archive"),
        (ZIP, "archive.txt", "ZIP archive"),
        (ZIP, "report.docx", "ZIP archive"),
        (b"\xff\xd8\xff\xe0JFIF", "photo.md", "JPEG"),
        (b"{\\rtf1\\ansi hello}", "letter.txt", "RTF"),
        (b"text\x00with\x00nuls", "data.txt", "NUL bytes"),
        (bytes(range(1, 32)) * 10, "data.txt", "control bytes"),
        (b"just words", "notes.pdf", "not a PDF"),
        (b"<html><body>hi</body></html>", "page.html", "'.html'"),
        (b"a,b\n1,2\n", "table.csv", "'.csv'"),
    ],
)
def test_sniff_refuses_other_content(head: bytes, filename: str, says: str) -> None:
    with pytest.raises(UnsupportedTypeError, match=says):
        sniff(head, client_name(filename))


def test_receive_stops_at_the_limit(tmp_path: Path) -> None:
    ok = receive(io.BytesIO(b"x" * 1000), tmp_path / "ok", max_bytes=1000)
    assert ok.size == 1000 and (tmp_path / "ok").read_bytes() == b"x" * 1000
    with pytest.raises(TooLargeError, match="1000 bytes"):
        receive(io.BytesIO(b"x" * 1001), tmp_path / "big", max_bytes=1000)


def test_clean_text_makes_one_line() -> None:
    assert clean_text("  Shelter\nguide\x00 \u202e2024\t ") == "Shelter guide 2024"
    assert clean_text(None) == ""


def test_upload_catalog_round_trips_awkward_text(tmp_path: Path) -> None:
    info = DocumentInfo(
        doc_id="guide",
        title='A "quoted" \\ title — ☂ 😀 with DEL\x7f',
        file="guide.pdf",
        publisher='ONG d\'aide\tà "victimes"',
        language="fr",
        pages="pdf",
    )
    catalog = UploadCatalog(tmp_path / "catalog.toml", {"guide": info})
    catalog.path.write_text(catalog.render(), encoding="utf-8")
    assert UploadCatalog.load(tmp_path).documents == {"guide": info}


def test_file_swap_undo_restores_everything(tmp_path: Path) -> None:
    folder = UploadFolder(tmp_path / "uploads")
    folder.root.mkdir()
    (folder.root / "old.txt").write_text("old")
    (folder.root / "other.md").write_text("other")
    new = tmp_path / "new.txt"
    new.write_text("new")
    swap = FileSwap(folder, tmp_path / "backup")
    swap.remove("other.md")
    swap.place(new, "old.txt")
    swap.place(_file(tmp_path / "fresh.pdf", "fresh"), "fresh.pdf")
    assert (folder.root / "old.txt").read_text() == "new"
    assert not (folder.root / "other.md").exists()
    swap.undo()
    assert sorted(p.name for p in folder.root.iterdir()) == ["old.txt", "other.md"]
    assert (folder.root / "old.txt").read_text() == "old"
    assert (folder.root / "other.md").read_text() == "other"


def _file(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_index_paths_always_carry_the_uploads(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data", tmp_path / "corpus")
    assert index_paths(settings) == [settings.corpus_dir]  # no uploads folder yet
    settings.uploads_dir.mkdir(parents=True)
    assert index_paths(settings) == [settings.corpus_dir, settings.uploads_dir]
    other = tmp_path / "elsewhere"
    assert index_paths(settings, [other]) == [other, settings.uploads_dir]
    assert index_paths(settings, [settings.uploads_dir]) == [settings.uploads_dir]


UPLOAD_TEXT = (
    "# Night shelter rules\n\n"
    + "The quokka protocol asks every night shelter to keep a quiet room ready. " * 8
)


@pytest.fixture()
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield cli_environment(tmp_path, monkeypatch, "iom-ilo-migration-officers-leaflet.md")
    get_settings.cache_clear()


@pytest.mark.parametrize("args", [["ingest", "-q"], ["ingest", "-q", "CORPUS"]])
def test_haven_ingest_keeps_uploaded_documents(cli_env: Path, args: list[str]) -> None:
    """`haven ingest` (and the Makefile's `haven ingest corpus`) must not drop uploads."""
    runner = CliRunner()
    args = [str(cli_env) if a == "CORPUS" else a for a in args]
    assert runner.invoke(cli_app, ["ingest", "-q"]).exit_code == 0
    settings = get_settings()
    upload = Upload("Quokka rules.md", io.BytesIO(UPLOAD_TEXT.encode()), "Quokka shelter rules")
    outcome = DocumentService(settings, FakeEmbedder).add(upload)
    assert outcome.result == "created"

    result = runner.invoke(cli_app, args)
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output  # nothing dropped, nothing re-titled
    manifest = _manifest(settings.index_dir)
    assert set(manifest.documents) == {"iom-ilo-migration-leaflet", "quokka-rules"}

    (cli_env / "iom-ilo-migration-officers-leaflet.md").unlink()
    result = runner.invoke(cli_app, args)
    assert result.exit_code == 0, result.output
    assert set(_manifest(settings.index_dir).documents) == {"quokka-rules"}
    assert index_catalog(settings).documents["quokka-rules.md"].title == "Quokka shelter rules"


def test_merged_catalog_gives_uploads_their_titles(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data")
    info = DocumentInfo("zebra", "Zebra guide", "zebra.md", publisher="Test NGO", language="")
    catalog = UploadCatalog(settings.uploads_dir / "catalog.toml", {"zebra": info})
    settings.uploads_dir.mkdir(parents=True)
    catalog.path.write_text(catalog.render(), encoding="utf-8")
    merged = index_catalog(settings)
    assert merged.info_for(settings.uploads_dir / "zebra.md") == info
    corpus = load_catalog(CORPUS / "catalog.toml")
    assert set(corpus.documents) < set(merged.documents)


def _manifest(index_dir: Path) -> Manifest:
    build = IndexLayout(index_dir).current()
    assert build is not None
    return Manifest.load(build.manifest)
