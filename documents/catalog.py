"""Titles and publishers of uploads, kept as data beside them in `<uploads>/catalog.toml`.

The file has the corpus catalog's format, so the same reader loads it and a build merges the
two: an upload's title then shows in citations like a handbook's.
"""

from __future__ import annotations

import json
from pathlib import Path

from core.settings import Settings
from index.builder import IndexBuilder, ProgressFactory
from index.config import chunker_config, question_bank
from index.embedder import Embedder
from ingest.catalog import Catalog, load_catalog
from ingest.pipeline import discover
from ingest.records import DocumentInfo

CATALOG_NAME = "catalog.toml"
HEADER = (
    "# Documents uploaded through the API (POST /api/documents), written by Haven.\n"
    "# Same format as corpus/catalog.toml; delete uploads through the API, not by hand.\n"
)


class UploadCatalog:
    """The uploads' catalog entries by document id."""

    def __init__(self, path: Path, documents: dict[str, DocumentInfo]) -> None:
        self.path = path
        self.documents = documents

    @classmethod
    def load(cls, uploads_dir: Path) -> UploadCatalog:
        path = uploads_dir / CATALOG_NAME
        catalog = load_catalog(path)
        return cls(path, {info.doc_id: info for info in catalog.documents.values()})

    def as_catalog(self) -> Catalog:
        return Catalog({info.file: info for info in self.documents.values()})

    def render(self) -> str:
        """The file's text; the caller writes it aside and renames it into place."""
        return HEADER + "".join(_entry(d) for d in sorted(self.documents.values(), key=_by_id))


def _by_id(info: DocumentInfo) -> str:
    return info.doc_id


def _entry(info: DocumentInfo) -> str:
    fields = {
        "id": info.doc_id,
        "file": info.file,
        "title": info.title,
        "publisher": info.publisher,
        "year": info.year,
        "language": info.language,
        "pages": info.pages,
    }
    lines = "".join(f"{key} = {_toml_string(value)}\n" for key, value in fields.items())
    return f"\n[[documents]]\n{lines}"


def _toml_string(value: str) -> str:
    """A JSON string is a TOML basic string once DEL, which JSON leaves raw, is escaped."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def index_catalog(settings: Settings) -> Catalog:
    """The corpus catalog with the uploads' entries added: what every build should use."""
    corpus = load_catalog(settings.catalog_path)
    uploads = UploadCatalog.load(settings.uploads_dir).as_catalog()
    return Catalog({**corpus.documents, **uploads.documents})


def index_paths(settings: Settings, paths: list[Path] | None = None) -> list[Path]:
    """The folders a build reads: the given ones (default the corpus folder) plus the uploads.

    A build drops every document not found in its paths, so leaving the uploads out would
    silently unindex them.
    """
    targets = list(paths or [settings.corpus_dir])
    if settings.uploads_dir.is_dir() and settings.uploads_dir not in targets:
        targets.append(settings.uploads_dir)
    return targets


def corpus_doc_ids(settings: Settings) -> set[str]:
    """Ids of the documents in the corpus folder, as a build would name them."""
    catalog = load_catalog(settings.catalog_path)
    return {catalog.info_for(path).doc_id for path in discover([settings.corpus_dir])}


def corpus_file_names(settings: Settings) -> set[str]:
    return {path.name for path in discover([settings.corpus_dir])}


def index_builder(
    settings: Settings, embedder: Embedder, progress: ProgressFactory | None = None
) -> IndexBuilder:
    """The one way an index is built from settings (ingest, uploads, evaluation): the
    corpus and uploads catalogs, and the passages' hypothetical questions."""
    return IndexBuilder(
        settings.index_dir,
        embedder,
        chunker_config(settings),
        index_catalog(settings),
        settings.retrieval.faiss_index,
        progress=progress,
        questions=question_bank(settings),
        question_vector_langs=settings.enrichment.vector_langs,
    )
