"""The corpus catalog (corpus/catalog.toml): titles, publishers and page rules per file."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import IngestError
from ingest.records import DocumentInfo

PAGE_MODES = ("pdf", "space-marker", "none")


@dataclass(frozen=True)
class Catalog:
    """Catalog entries keyed by file name; files not listed still get a usable DocumentInfo."""

    documents: dict[str, DocumentInfo] = field(default_factory=dict)

    def info_for(self, path: Path) -> DocumentInfo:
        listed = self.documents.get(path.name)
        if listed is not None:
            return listed
        return DocumentInfo(
            doc_id=slug(path.stem),
            title=readable_title(path.stem),
            file=path.name,
            # Empty: the pipeline detects the language from the text itself.
            language="",
            pages="pdf" if path.suffix.lower() == ".pdf" else "none",
        )


def load_catalog(path: Path) -> Catalog:
    """Read catalog.toml; a missing file is an empty catalog (every file is uncatalogued)."""
    if not path.exists():
        return Catalog()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise IngestError(path, f"catalog is not valid TOML: {exc}") from exc
    documents: dict[str, DocumentInfo] = {}
    seen_ids: set[str] = set()
    for entry in data.get("documents", []):
        if not isinstance(entry, dict) or not entry.get("file"):
            raise IngestError(path, "every [[documents]] entry needs a 'file'")
        file = str(entry["file"])
        doc_id = str(entry.get("id") or slug(Path(file).stem))
        if doc_id in seen_ids:
            raise IngestError(path, f"document id {doc_id!r} is used twice")
        seen_ids.add(doc_id)
        pages = str(entry.get("pages") or ("pdf" if file.lower().endswith(".pdf") else "none"))
        if pages not in PAGE_MODES:
            raise IngestError(path, f"{file}: pages must be one of {', '.join(PAGE_MODES)}")
        documents[file] = DocumentInfo(
            doc_id=doc_id,
            title=str(entry.get("title") or readable_title(Path(file).stem)),
            file=file,
            publisher=str(entry.get("publisher", "")),
            year=str(entry.get("year", "")),
            language=str(entry.get("language", "")),
            pages=pages,
            aliases=tuple(str(a) for a in entry.get("aliases", []) if str(a).strip()),
        )
    return Catalog(documents)


def slug(text: str) -> str:
    """Lowercase ASCII-ish id: runs of anything but letters and digits become one hyphen."""
    cleaned = re.sub(r"[^\w]+|_+", "-", text.lower(), flags=re.UNICODE).strip("-")
    return cleaned or "document"


def readable_title(stem: str) -> str:
    """'nrm_handbook-2nd-edition' -> 'Nrm handbook 2nd edition': enough to recognise the file."""
    words = re.sub(r"[_\-.]+", " ", stem).split()
    text = " ".join(words)
    return text[:1].upper() + text[1:] if text else stem
