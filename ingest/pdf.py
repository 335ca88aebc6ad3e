"""Reading PDF handbooks with pypdf: one RawPage per PDF page, numbered as the PDF numbers them."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pypdf import PdfReader

from ingest.document import RawDocument, RawPage
from ingest.errors import IngestError, read_bytes

# The PDF spec lets the header sit anywhere in the first 1024 bytes (some tools prepend junk).
HEADER_WINDOW = 1024


def read_pdf(path: Path) -> RawDocument:
    """One RawPage per PDF page; IngestError for empty, damaged, encrypted or image-only files."""
    with quiet_pypdf():
        return _read(path)


@contextmanager
def quiet_pypdf() -> Iterator[None]:
    """pypdf logs repair warnings ("EOF marker not found") for files it then reads or rejects;
    the caller gets the outcome as a result or an IngestError, so the log lines are only noise."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _read(path: Path) -> RawDocument:
    data = read_bytes(path)
    if b"%PDF-" not in data[:HEADER_WINDOW]:
        raise IngestError(path, "not a PDF (the file has no %PDF header)")
    reader = open_reader(path, data)
    pages: list[RawPage] = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            text = page.extract_text() or ""
        # pypdf parses untrusted bytes and can fail with almost any exception type on bad data.
        except Exception as exc:
            raise IngestError(path, f"damaged PDF: page {number} cannot be read ({exc})") from exc
        pages.append(RawPage(number, text))
    if not pages:
        raise IngestError(path, "damaged PDF: it has no pages")
    if not any(page.text.strip() for page in pages):
        raise IngestError(
            path,
            "no extractable text: the PDF looks scanned or image-only; run OCR on it first",
        )
    return RawDocument(tuple(pages))


def open_reader(path: Path, data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception as exc:  # see read_pdf: any failure here means the file is unreadable
        raise IngestError(path, f"damaged or incomplete PDF ({exc})") from exc
    if encrypted:
        try:
            # An empty user password is common ("protected" only against editing): still readable.
            unlocked = bool(reader.decrypt(""))
        except Exception:
            unlocked = False
        if not unlocked:
            raise IngestError(
                path, "encrypted PDF: it needs a password; add an unprotected copy instead"
            )
    try:
        _ = len(reader.pages)
    except Exception as exc:
        raise IngestError(path, f"damaged or incomplete PDF ({exc})") from exc
    return reader
