"""Adding, replacing and deleting uploaded documents, each change indexed before it counts.

A change is checked in a private staging folder, moved into the uploads folder, and indexed
with the real IndexBuilder (built aside, swapped in atomically). If anything fails, the files
and the uploads catalog are put back: the previous build stays current and nothing is left
half-indexed. The service keeps answering from the previous build meanwhile.
"""

from __future__ import annotations

import contextlib
import logging
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, Literal, NoReturn

from core.settings import Settings
from documents.catalog import (
    CATALOG_NAME,
    UploadCatalog,
    corpus_doc_ids,
    corpus_file_names,
    index_builder,
    index_paths,
)
from documents.errors import (
    BuildFailedError,
    CorpusDocumentError,
    NotReadyError,
    UnknownUploadError,
    UnreadableDocumentError,
)
from documents.folder import FileSwap, UploadFolder
from documents.inspection import inspect_document, main_language
from documents.uploads import (
    ClientName,
    Kind,
    client_name,
    doc_id_of,
    read_head,
    receive,
    sniff,
    stored_name,
)
from index.background import running as background_build
from index.builder import BuildReport
from index.config import chunker_config
from index.embedder import Embedder
from index.layout import IndexLayout
from index.manifest import DocumentEntry, Manifest
from ingest.chunker import ChunkerConfig
from ingest.errors import IngestError
from ingest.records import DocumentInfo

log = logging.getLogger("haven.documents")

Result = Literal["created", "replaced", "unchanged"]
PAGE_RULES = ("none", "space-marker")


@dataclass(frozen=True)
class Upload:
    """What a client sent: the file's name as given (untrusted), its bytes and metadata."""

    filename: str | None
    content: BinaryIO
    title: str | None = None
    publisher: str | None = None
    pages: str | None = None  # for plain text: "none" or "space-marker"


@dataclass(frozen=True)
class Outcome:
    info: DocumentInfo
    result: Result
    chunks: int
    build_id: str | None
    seconds: float


@dataclass(frozen=True)
class Deletion:
    doc_id: str
    build_id: str | None
    seconds: float


class DocumentService:
    def __init__(self, settings: Settings, embedder: Callable[[], Embedder | None]) -> None:
        """`embedder` gives the query model of the index in use when a change is indexed
        (it changes when a background build replaces a starter build)."""
        self.settings = settings
        self.embedder = embedder
        self.folder = UploadFolder(settings.uploads_dir)

    def uploaded_ids(self) -> set[str]:
        try:
            return set(UploadCatalog.load(self.settings.uploads_dir).documents)
        except IngestError as exc:  # listing still works; the next upload reports it
            log.warning("uploads catalog unreadable: %s", exc)
            return set()

    def add(self, upload: Upload) -> Outcome:
        """Store and index a new document, or replace the one with the same id."""
        started = time.perf_counter()
        self._refuse_while_rebuilding()
        limits = self.settings.documents
        with self.folder.staging() as stage:
            raw = stage / "upload"
            received = receive(upload.content, raw, limits.max_upload_bytes)
            name = client_name(upload.filename)
            kind = sniff(read_head(raw), name)
            stored = stored_name(name, kind, received.sha256)
            staged = raw.rename(stage / stored)
            with self.folder.lock(), _catalog_problems():
                return self._add(upload, name, kind, staged, received.sha256, stage, started)

    def delete(self, doc_id: str) -> Deletion:
        started = time.perf_counter()
        self._refuse_while_rebuilding()
        with self.folder.staging() as stage, self.folder.lock(), _catalog_problems():
            catalog = UploadCatalog.load(self.settings.uploads_dir)
            info = catalog.documents.get(doc_id)
            if info is None:
                self._refuse_unknown(doc_id)
            swap = FileSwap(self.folder, stage / "previous")
            swap.remove(info.file)
            del catalog.documents[doc_id]
            self._write_catalog(swap, catalog, stage)
            report = self._commit(swap, lambda r: _check_removed(r, doc_id))
        build_id = report.build_id or _current_build_id(self.settings.index_dir)
        return Deletion(doc_id, build_id, _since(started))

    def _refuse_while_rebuilding(self) -> None:
        """While the configured model's index is built in the background (a few minutes after
        a first start), a change would wait for it behind the upload lock: refuse it at once
        instead, with nothing stored."""
        building = background_build(self.settings.index_dir)
        if building is not None:
            raise NotReadyError(
                f"The index is being rebuilt with the {building.backend} model in the "
                f"background (since {building.started_at}). Documents can be added or "
                "removed again when it finishes, usually within 15 minutes; nothing was "
                "stored."
            )

    def _add(
        self,
        upload: Upload,
        name: ClientName,
        kind: Kind,
        staged: Path,
        sha256: str,
        stage: Path,
        started: float,
    ) -> Outcome:
        doc_id = doc_id_of(staged.name)
        self._refuse_corpus_clash(doc_id, staged.name)
        catalog = UploadCatalog.load(self.settings.uploads_dir)
        previous = catalog.documents.get(doc_id)
        info = _document_info(doc_id, staged.name, kind, name, upload, previous)
        if previous is not None and self._unchanged(previous, info, sha256):
            indexed = _indexed_entry(self.settings.index_dir, doc_id)
            chunk_count = indexed.chunks if indexed else 0
            build_id = _current_build_id(self.settings.index_dir)
            return Outcome(previous, "unchanged", chunk_count, build_id, _since(started))
        chunks = inspect_document(staged, info, self._chunker(), self.settings.documents.max_pages)
        # Stored, so the listing shows it and a rebuild does not detect it again.
        info = replace(info, language=main_language(chunks))
        report = self._store(info, staged, previous, catalog, stage)
        entry = _indexed_entry(self.settings.index_dir, doc_id)
        return Outcome(
            info,
            "replaced" if previous is not None else "created",
            entry.chunks if entry else len(chunks),
            report.build_id or _current_build_id(self.settings.index_dir),
            _since(started),
        )

    def _store(
        self,
        info: DocumentInfo,
        staged: Path,
        previous: DocumentInfo | None,
        catalog: UploadCatalog,
        stage: Path,
    ) -> BuildReport:
        """Move the checked file and its catalog entry into place and index them."""
        swap = FileSwap(self.folder, stage / "previous")
        if previous is not None and previous.file != info.file:
            swap.remove(previous.file)  # same id, other type: the new file replaces it
        swap.place(staged, info.file)
        catalog.documents[info.doc_id] = info
        self._write_catalog(swap, catalog, stage)
        return self._commit(swap, lambda report: _check_indexed(report, info.doc_id))

    def _unchanged(self, previous: DocumentInfo, info: DocumentInfo, sha256: str) -> bool:
        """The same bytes and details are stored and indexed already (checked when they were
        uploaded): nothing to read or rebuild."""
        indexed = _indexed_entry(self.settings.index_dir, previous.doc_id)
        return (
            replace(previous, language="") == info
            and self.folder.path_of(previous.file).exists()
            and indexed is not None
            and indexed.sha256 == sha256
        )

    def _refuse_corpus_clash(self, doc_id: str, stored: str) -> None:
        if doc_id in corpus_doc_ids(self.settings) or stored in corpus_file_names(self.settings):
            raise CorpusDocumentError(
                f"A document in the corpus folder already has the id {doc_id!r}: rename the "
                "file before uploading it, or replace it in the corpus folder and run "
                "`haven ingest`."
            )

    def _refuse_unknown(self, doc_id: str) -> NoReturn:
        indexed = _indexed_entry(self.settings.index_dir, doc_id)
        if indexed is not None or doc_id in corpus_doc_ids(self.settings):
            raise CorpusDocumentError(
                f"{doc_id!r} comes from the corpus folder, which the API does not change: "
                "remove its file from the corpus folder and run `haven ingest`."
            )
        raise UnknownUploadError(f"No document has the id {doc_id!r}.")

    def _write_catalog(self, swap: FileSwap, catalog: UploadCatalog, stage: Path) -> None:
        staged = stage / CATALOG_NAME
        staged.write_text(catalog.render(), encoding="utf-8")
        swap.place(staged, CATALOG_NAME)

    def _commit(self, swap: FileSwap, check: Callable[[BuildReport], None]) -> BuildReport:
        """Index the uploads folder as it now is; put the files back if that fails."""
        try:
            report = self._build()
            check(report)
        except BaseException:
            swap.undo()
            raise
        return report

    def _build(self) -> BuildReport:
        embedder = self.embedder()
        if embedder is None:
            raise NotReadyError("The embedding model is not loaded, so nothing can be indexed.")
        try:
            builder = index_builder(self.settings, embedder)
            report = builder.build(index_paths(self.settings))
        except IngestError as exc:  # a catalog that does not parse
            raise BuildFailedError(f"The index could not be rebuilt: {exc}") from exc
        except Exception as exc:  # the model, the disk: the files go back, the old build stays
            log.exception("documents: index build failed")
            raise BuildFailedError(
                f"The index could not be rebuilt ({type(exc).__name__}); the previous index "
                "is still in use and nothing was changed."
            ) from exc
        log.info(
            "documents: build %s (added %d, updated %d, removed %d; %.1fs)",
            report.build_id or "unchanged",
            len(report.added),
            len(report.updated),
            len(report.removed),
            report.seconds,
        )
        return report

    def _chunker(self) -> ChunkerConfig:
        return chunker_config(self.settings)


@contextlib.contextmanager
def _catalog_problems() -> Iterator[None]:
    """Document readers' errors are handled where they occur; one left here is a catalog's."""
    try:
        yield
    except IngestError as exc:
        raise BuildFailedError(f"A catalog cannot be read ({exc}); fix it and try again.") from exc


def _document_info(
    doc_id: str,
    stored: str,
    kind: Kind,
    name: ClientName,
    upload: Upload,
    previous: DocumentInfo | None,
) -> DocumentInfo:
    """Catalog facts for the upload: what the client sent, else what the replaced version had."""
    base = previous or DocumentInfo(doc_id=doc_id, title=name.title, file=stored, language="")
    title = clean_text(upload.title) or base.title
    publisher = base.publisher if upload.publisher is None else clean_text(upload.publisher)
    if kind is Kind.PDF:
        pages = "pdf"
    elif kind is Kind.TEXT and upload.pages in PAGE_RULES:
        pages = str(upload.pages)
    else:
        pages = base.pages if kind is Kind.TEXT and base.pages in PAGE_RULES else "none"
    # The language is detected afresh: a new version may be in another one.
    return replace(base, file=stored, title=title, publisher=publisher, pages=pages, language="")


def clean_text(value: str | None) -> str:
    """One line of metadata: control and format characters dropped, spaces collapsed."""
    text = "".join(ch for ch in value or "" if ch.isspace() or unicodedata.category(ch)[0] != "C")
    return " ".join(text.split())


def _check_indexed(report: BuildReport, doc_id: str) -> None:
    if doc_id in report.kept_previous or doc_id not in {
        *report.added,
        *report.updated,
        *report.unchanged,
    }:
        reasons = [line for line in report.skipped if doc_id in line] or report.skipped
        raise UnreadableDocumentError(
            "The document could not be indexed: " + ("; ".join(reasons) or "unknown reason")
        )


def _check_removed(report: BuildReport, doc_id: str) -> None:
    if doc_id in {*report.added, *report.updated, *report.unchanged, *report.kept_previous}:
        raise BuildFailedError(f"{doc_id!r} is still in the index after removing its file.")


def _since(started: float) -> float:
    return time.perf_counter() - started


def _current_manifest(index_dir: Path) -> Manifest | None:
    build = IndexLayout(index_dir).current()
    return Manifest.load(build.manifest) if build else None


def _current_build_id(index_dir: Path) -> str | None:
    manifest = _current_manifest(index_dir)
    return manifest.build_id if manifest else None


def _indexed_entry(index_dir: Path, doc_id: str) -> DocumentEntry | None:
    manifest = _current_manifest(index_dir)
    return manifest.documents.get(doc_id) if manifest else None
