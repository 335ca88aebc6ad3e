"""From a file on disk to its chunks: discover, read, clean, outline, chunk."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from ingest.blocks import Block
from ingest.chunker import ChunkerConfig, chunk_blocks
from ingest.cleaning import clean
from ingest.document import RawDocument
from ingest.errors import IngestError
from ingest.language import guess_language
from ingest.markdown import read_markdown
from ingest.pdf import read_pdf
from ingest.records import Chunk, DocumentInfo
from ingest.structure import outline
from ingest.text import read_text

SUPPORTED_SUFFIXES = (".pdf", ".txt", ".md", ".markdown")
# Corpus bookkeeping, not handbooks.
SKIPPED_NAMES = frozenset({"catalog.toml", "sources.md"})
LANGUAGE_SAMPLE_CHARS = 6000


def discover(paths: Sequence[Path]) -> list[Path]:
    """Handbook files in the given files and folders (recursively), sorted, without duplicates.

    Folders contribute only supported files; a file named explicitly is always returned so that
    chunk_file can say why it cannot be read.
    """
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(_walk(path))
        elif path.exists() and not _is_bookkeeping(path):
            found.add(path)
    return sorted(found)


def _walk(folder: Path) -> Iterator[Path]:
    """Supported files under `folder`. Hidden folders (an upload's `.staging`) are not entered,
    and a folder that vanishes while it is walked (another upload's finished staging) is
    skipped rather than failing the build: os.walk ignores such errors."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            candidate = Path(root) / name
            if candidate.is_file() and _is_handbook(candidate, candidate.relative_to(folder)):
                yield candidate


def chunk_file(path: Path, info: DocumentInfo, config: ChunkerConfig) -> list[Chunk]:
    """All chunks of one file; IngestError when it cannot be read or holds no usable text."""
    blocks = outline_file(path, info)
    body = "\n".join(block.text for block in blocks if block.kind in ("paragraph", "item"))
    language = info.language or guess_language(body[:LANGUAGE_SAMPLE_CHARS], "en")
    chunks = chunk_blocks(blocks, info.doc_id, language, config)
    if not chunks:
        raise IngestError(path, "no text left to index after cleaning")
    return chunks


def outline_file(path: Path, info: DocumentInfo) -> list[Block]:
    """The file's cleaned text as heading, paragraph, item and footnote blocks."""
    document = read_document(path, info)
    cleaned = clean(document, info.title)
    return outline(cleaned, document.headings, info.title)


def read_document(path: Path, info: DocumentInfo) -> RawDocument:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return read_pdf(path)
    if suffix in (".md", ".markdown"):
        return read_markdown(path)
    if suffix == ".txt":
        return read_text(path, info.pages)
    readable = ", ".join(SUPPORTED_SUFFIXES)
    raise IngestError(path, f"unsupported file type {suffix or '(none)'!r}; Haven reads {readable}")


def _is_handbook(path: Path, relative: Path) -> bool:
    if any(part.startswith(".") for part in relative.parts):
        return False
    return path.suffix.lower() in SUPPORTED_SUFFIXES and not _is_bookkeeping(path)


def _is_bookkeeping(path: Path) -> bool:
    name = path.name.lower()
    return name in SKIPPED_NAMES or name.startswith(("readme", "."))
