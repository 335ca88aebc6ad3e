"""What an upload is, judged by its bytes, and the safe name it is stored under.

The client's file name only ever contributes a slug of its last component's stem and, for text,
whether it is Markdown: never a directory, a dot-dot, a control character or a drive letter.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import BinaryIO

from documents.errors import TooLargeError, UnsupportedTypeError
from ingest.catalog import readable_title, slug
from ingest.pipeline import SKIPPED_NAMES

# The PDF spec lets the header sit anywhere in the first 1024 bytes (as ingest/pdf.py allows).
PDF_MAGIC = b"%PDF-"
PDF_HEADER_WINDOW = 1024
SNIFF_BYTES = 8192
MAX_STEM_CHARS = 80
# Bytes below 0x20 that text files do carry: tab, line feed, vertical tab, form feed, return.
TEXT_CONTROLS = frozenset(b"\t\n\x0b\x0c\r\x1b")
MAX_CONTROL_SHARE = 0.05
# Text in UTF-16/32 is text in the wrong encoding: the reader then says "save it as UTF-8".
UNICODE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"PK\x03\x04", "a ZIP archive (or a Word, OpenDocument or EPUB file)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
)
READABLE_TYPES = "PDF (.pdf), plain text (.txt) or Markdown (.md), as UTF-8"


class Kind(Enum):
    """A document type Haven reads; the value is the canonical file suffix."""

    PDF = ".pdf"
    TEXT = ".txt"
    MARKDOWN = ".md"


TEXT_SUFFIXES = {"": Kind.TEXT, ".txt": Kind.TEXT, ".text": Kind.TEXT}
MARKDOWN_SUFFIXES = {".md": Kind.MARKDOWN, ".markdown": Kind.MARKDOWN}


@dataclass(frozen=True)
class ClientName:
    """The parts of a client's file name Haven keeps: a display stem and a lowercase suffix."""

    stem: str
    suffix: str

    @property
    def title(self) -> str:
        return readable_title(self.stem) if self.stem else "Uploaded document"


@dataclass(frozen=True)
class Received:
    size: int
    sha256: str


def client_name(filename: str | None) -> ClientName:
    """The last component of a client path, without control or format characters."""
    text = unicodedata.normalize("NFKC", filename or "")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    # Both separators and a drive colon end a path component, whatever the client's system.
    last = text.replace("\\", "/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].strip().strip(".")
    stem, dot, suffix = last.rpartition(".")
    if not dot:
        stem, suffix = last, ""
    return ClientName(stem=stem.strip(), suffix=f".{suffix.lower()}" if suffix else "")


def sniff(head: bytes, name: ClientName) -> Kind:
    """The document's kind from its first bytes (the name only tells Markdown from plain text);
    UnsupportedTypeError for anything else."""
    if PDF_MAGIC in head[:PDF_HEADER_WINDOW]:
        return Kind.PDF
    binary = binary_signature(head)
    if binary:
        raise UnsupportedTypeError(
            f"The content is {binary}, not a document; Haven reads {READABLE_TYPES}."
        )
    if name.suffix == Kind.PDF.value:
        if not head:
            return Kind.PDF  # empty: the reader says so, which is clearer than a type error
        raise UnsupportedTypeError(
            f"The file is named {name.suffix} but is not a PDF (it has no %PDF header)."
        )
    kind = MARKDOWN_SUFFIXES.get(name.suffix) or TEXT_SUFFIXES.get(name.suffix)
    if kind is None:
        raise UnsupportedTypeError(
            f"Files of type {name.suffix!r} are not accepted; Haven reads {READABLE_TYPES}."
        )
    return kind


def binary_signature(head: bytes) -> str | None:
    """What binary content looks like, or None for text (in any encoding) or nothing."""
    for magic, description in BINARY_MAGIC:
        if head.startswith(magic):
            return description
    if head.startswith(UNICODE_BOMS):
        return None
    if b"\x00" in head:
        return "binary data (it holds NUL bytes)"
    controls = sum(1 for byte in head if byte < 0x20 and byte not in TEXT_CONTROLS)
    if head and controls / len(head) > MAX_CONTROL_SHARE:
        return "binary data (it holds many control bytes)"
    return None


def stored_name(name: ClientName, kind: Kind, sha256: str) -> str:
    """`<slug of the stem><canonical suffix>`; a stem with nothing usable gets a content hash,
    so two such uploads do not replace each other."""
    usable = re.search(r"[^\W_]", name.stem) is not None
    stem = (slug(name.stem)[:MAX_STEM_CHARS].strip("-") if usable else "") or (
        f"document-{sha256[:12]}"
    )
    candidate = f"{stem}{kind.value}"
    # Ingest skips README files and corpus bookkeeping: such an upload would never be indexed.
    if candidate in SKIPPED_NAMES or candidate.startswith("readme"):
        candidate = f"upload-{candidate}"
    return candidate


def doc_id_of(stored: str) -> str:
    return Path(stored).stem


def receive(source: BinaryIO, destination: Path, max_bytes: int) -> Received:
    """Copy the upload to `destination`, refusing it once it passes `max_bytes`."""
    digest = hashlib.sha256()
    size = 0
    with destination.open("xb") as out:
        for block in iter(lambda: source.read(1 << 20), b""):
            size += len(block)
            if size > max_bytes:
                raise TooLargeError(
                    f"The document is over the upload limit of {max_bytes} bytes "
                    "(documents.max_upload_bytes)."
                )
            digest.update(block)
            out.write(block)
    return Received(size=size, sha256=digest.hexdigest())


def read_head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(SNIFF_BYTES)
