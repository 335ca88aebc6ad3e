"""Fixtures for ingestion tests: the real corpus chunked once, and small PDFs built on the fly."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from fpdf import FPDF

from ingest.blocks import Block
from ingest.catalog import Catalog, load_catalog
from ingest.chunker import ChunkerConfig
from ingest.pipeline import chunk_file, discover, outline_file
from ingest.records import Chunk

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
DEV_QUESTIONS = ROOT / "eval" / "data" / "dev-questions.jsonl"

PdfMaker = Callable[..., Path]


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(CORPUS / "catalog.toml")


@pytest.fixture(scope="session")
def doc_ids() -> dict[str, str]:
    """Corpus file name -> document id, as catalog.toml maps them."""
    data = tomllib.loads((CORPUS / "catalog.toml").read_text(encoding="utf-8"))
    return {entry["file"]: entry["id"] for entry in data["documents"]}


@pytest.fixture(scope="session")
def corpus_chunks(catalog: Catalog) -> dict[str, list[Chunk]]:
    """Every corpus handbook chunked with the default configuration, keyed by document id."""
    chunks: dict[str, list[Chunk]] = {}
    for path in discover([CORPUS]):
        info = catalog.info_for(path)
        chunks[info.doc_id] = chunk_file(path, info, ChunkerConfig())
    return chunks


@pytest.fixture(scope="session")
def corpus_blocks(catalog: Catalog) -> dict[str, list[Block]]:
    blocks: dict[str, list[Block]] = {}
    for path in discover([CORPUS]):
        info = catalog.info_for(path)
        blocks[info.doc_id] = outline_file(path, info)
    return blocks


@pytest.fixture(scope="session")
def dev_questions() -> list[dict[str, object]]:
    lines = DEV_QUESTIONS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def build_pdf(
    path: Path,
    pages: Sequence[Sequence[str]],
    user_password: str | None = None,
    image_only: bool = False,
) -> Path:
    """A PDF with one page per entry; each string is a paragraph (a heading if short)."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    if user_password is not None:
        pdf.set_encryption(owner_password="owner-secret", user_password=user_password)
    for paragraphs in pages:
        pdf.add_page()
        if image_only:
            pdf.rect(20, 20, 120, 60, style="F")  # a drawing, no text at all
            continue
        for paragraph in paragraphs:
            pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    pdf.output(str(path))
    return path


@pytest.fixture
def make_pdf(tmp_path: Path) -> PdfMaker:
    def make(name: str, pages: Sequence[Sequence[str]], **options: object) -> Path:
        return build_pdf(tmp_path / name, pages, **options)  # type: ignore[arg-type]

    return make
