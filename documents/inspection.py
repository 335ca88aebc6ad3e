"""Reading a staged upload the way ingest will, before anything is stored or indexed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from documents.errors import TooManyPagesError, UnreadableDocumentError
from ingest.chunker import ChunkerConfig
from ingest.errors import IngestError, read_bytes
from ingest.pdf import open_reader, quiet_pypdf
from ingest.pipeline import chunk_file
from ingest.records import Chunk, DocumentInfo
from ingest.text import read_text


def inspect_document(
    path: Path, info: DocumentInfo, chunker: ChunkerConfig, max_pages: int
) -> list[Chunk]:
    """The chunks the document makes; raises with the reader's reason when it makes none, or
    when it has too many pages (counted first, so a huge PDF is not read in full)."""
    try:
        pages = page_count(path, info.pages)
        if pages is not None and pages > max_pages:
            raise TooManyPagesError(
                f"The document has {pages} pages; the limit is {max_pages} (documents.max_pages)."
            )
        return chunk_file(path, info, chunker)
    except IngestError as exc:
        raise UnreadableDocumentError(exc.reason[:1].upper() + exc.reason[1:] + ".") from exc


def main_language(chunks: list[Chunk]) -> str:
    """The language most of the document's chunks were detected in."""
    counts = Counter(chunk.lang for chunk in chunks if chunk.lang)
    return counts.most_common(1)[0][0] if counts else ""


def page_count(path: Path, pages: str) -> int | None:
    """Pages as ingest will number them; None where the document has no page signal."""
    if pages == "pdf":
        with quiet_pypdf():
            return len(open_reader(path, read_bytes(path)).pages)
    if pages == "space-marker":
        return len(read_text(path, pages).pages)
    return None
