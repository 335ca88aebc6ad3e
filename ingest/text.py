"""Reading plain-text handbooks: UTF-8 only, with or without space-marked page starts."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.document import RawDocument, RawPage
from ingest.errors import IngestError, read_bytes

# A line that begins with exactly one space opens a new PDF page in text extracted from the
# handbooks' PDFs. A lone " " is a page with no extractable text (a photo page): it still counts.
PAGE_MARK = re.compile(r" (?:\S|$)")


def read_text(path: Path, pages: str = "none") -> RawDocument:
    """Read a .txt file; `pages="space-marker"` splits it into numbered pages (line 1 is page 1)."""
    text = decode_utf8(path)
    if pages != "space-marker":
        return RawDocument((RawPage(None, text),))
    return RawDocument(tuple(split_marked_pages(text)))


def split_marked_pages(text: str) -> list[RawPage]:
    pages: list[RawPage] = []
    current: list[str] = []
    for index, line in enumerate(text.split("\n")):
        if index > 0 and PAGE_MARK.match(line):
            pages.append(RawPage(len(pages) + 1, "\n".join(current)))
            current = []
        current.append(line)
    pages.append(RawPage(len(pages) + 1, "\n".join(current)))
    return pages


def decode_utf8(path: Path) -> str:
    """The file's text with a BOM dropped and line ends unified; IngestError when unusable."""
    data = read_bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = data[exc.start]
        raise IngestError(
            path,
            f"not UTF-8 text (byte 0x{bad:02x} at offset {exc.start} is invalid); "
            "save it as UTF-8 and ingest again",
        ) from exc
    # Form feeds are page breaks in some exports; without a page rule they are only line breaks.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    if not text.strip():
        raise IngestError(path, "no text: the file holds only whitespace")
    return text
