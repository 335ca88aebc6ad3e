"""Building an index from documents: incremental, built aside and swapped in atomically."""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from index.embedder import Embedder
from index.enrichment import QuestionBank
from index.faiss_store import VectorStore
from index.layout import BuildPaths, IndexLayout
from index.manifest import DocumentEntry, Manifest
from index.sqlite_store import ChunkStore, ChunkWriter, QuestionRow, StoredDocument
from ingest.catalog import Catalog
from ingest.chunker import ChunkerConfig
from ingest.errors import IngestError
from ingest.pipeline import chunk_file, discover
from ingest.records import Chunk, DocumentInfo

ProgressFactory = Callable[[int], "Progress"]


class Progress:
    """Receives embedding progress; the CLI passes a tqdm-backed one."""

    def update(self, chunks: int, document: str) -> None:  # pragma: no cover - interface
        pass

    def close(self) -> None:  # pragma: no cover - interface
        pass


@dataclass
class BuildReport:
    build_id: str | None = None
    changed: bool = False
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # one line each: "file: reason"
    kept_previous: list[str] = field(default_factory=list)
    chunks: int = 0
    embedded_chunks: int = 0
    questions: int = 0  # hypothetical questions indexed
    embedded_questions: int = 0  # of which embedded in this build (the rest reused)
    seconds: float = 0.0


@dataclass(frozen=True)
class _Planned:
    info: DocumentInfo
    sha256: str
    chunks: list[Chunk] | None  # None: reuse the previous build's chunks and vectors


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def chunker_fingerprint(config: ChunkerConfig) -> dict[str, int]:
    return {k: int(v) for k, v in dataclasses.asdict(config).items()}


@contextlib.contextmanager
def _build_lock(index_dir: Path) -> Iterator[None]:
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class IndexBuilder:
    def __init__(
        self,
        index_dir: Path,
        embedder: Embedder,
        chunker: ChunkerConfig,
        catalog: Catalog,
        faiss_index: str = "Flat",
        progress: ProgressFactory | None = None,
        questions: QuestionBank | None = None,
        question_vector_langs: Sequence[str] = ("en",),
    ) -> None:
        """`questions`: the passages' hypothetical questions (none: indexed without them);
        all are searched by keyword, those in `question_vector_langs` by vector too."""
        self.layout = IndexLayout(index_dir)
        self.embedder = embedder
        self.chunker = chunker
        self.catalog = catalog
        self.faiss_index = faiss_index
        self.progress = progress
        self.questions = questions or QuestionBank()
        self.question_vector_langs = tuple(question_vector_langs)

    def _previous(self) -> tuple[Manifest, ChunkStore] | None:
        build = self.layout.current()
        if build is None:
            return None
        manifest = Manifest.load(build.manifest)
        if manifest.differences(
            self.embedder.name, chunker_fingerprint(self.chunker), self.faiss_index
        ):
            return None  # built with other settings: everything is rebuilt
        return manifest, ChunkStore(build.database)

    def build(self, paths: Sequence[Path]) -> BuildReport:
        with _build_lock(self.layout.index_dir):
            return self._build(paths)

    def _build(self, paths: Sequence[Path]) -> BuildReport:
        started = time.perf_counter()
        report = BuildReport()
        previous = self._previous()
        prev_manifest, prev_store = previous if previous else (None, None)
        prev_docs = {d.info.doc_id: d for d in prev_store.documents()} if prev_store else {}
        planned = self._plan(discover(list(paths)), prev_manifest, prev_docs, report)
        report.removed = sorted(set(prev_docs) - {p.info.doc_id for p in planned})
        fingerprints = {p.info.doc_id: self._fingerprint(p, prev_store) for p in planned}
        report.changed = (
            bool(report.added or report.updated or report.removed or previous is None)
            or any(prev_docs[p.info.doc_id].info != p.info for p in planned if p.chunks is None)
            or any(_entry_questions(prev_manifest, d) != f for d, f in fingerprints.items())
        )
        if not report.changed:
            report.chunks = sum(d.chunk_count for d in prev_docs.values())
            report.seconds = time.perf_counter() - started
            if prev_store:
                prev_store.close()
            return report
        build_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
        partial = self.layout.new_build(build_id)
        manifest = self._write(partial, build_id, planned, prev_store, report, fingerprints)
        if prev_store:
            prev_store.close()
        self.layout.publish(partial, build_id)
        report.build_id = manifest.build_id
        report.seconds = time.perf_counter() - started
        return report

    def _plan(
        self,
        files: list[Path],
        prev_manifest: Manifest | None,
        prev_docs: dict[str, StoredDocument],
        report: BuildReport,
    ) -> list[_Planned]:
        planned: list[_Planned] = []
        seen: set[str] = set()
        for path in files:
            info = self.catalog.info_for(path)
            if info.doc_id in seen:
                report.skipped.append(f"{path.name}: another file already has id {info.doc_id}")
                continue
            sha = file_sha256(path)
            prev_entry = prev_manifest.documents.get(info.doc_id) if prev_manifest else None
            if prev_entry is not None and prev_entry.sha256 == sha:
                planned.append(_Planned(info, sha, None))
                report.unchanged.append(info.doc_id)
                seen.add(info.doc_id)
                continue
            try:
                chunks = chunk_file(path, info, self.chunker)
            except IngestError as exc:
                report.skipped.append(str(exc))
                if prev_entry is not None:
                    # A file that broke keeps its last good version in the index: nothing lost.
                    planned.append(_Planned(info, prev_entry.sha256, None))
                    report.kept_previous.append(info.doc_id)
                    seen.add(info.doc_id)
                continue
            planned.append(_Planned(info, sha, chunks))
            (report.updated if info.doc_id in prev_docs else report.added).append(info.doc_id)
            seen.add(info.doc_id)
        return planned

    def _write(
        self,
        partial: BuildPaths,
        build_id: str,
        planned: list[_Planned],
        prev_store: ChunkStore | None,
        report: BuildReport,
        fingerprints: dict[str, str],
    ) -> Manifest:
        writer = ChunkWriter(partial.database)
        entries: dict[str, DocumentEntry] = {}
        to_embed = sum(len(p.chunks) for p in planned if p.chunks is not None)
        progress = self.progress(to_embed) if self.progress and to_embed else None
        added: list[tuple[str, int, list[Chunk]]] = []  # doc id, first rowid, chunks
        for item in planned:
            if item.chunks is None:
                assert prev_store is not None
                first, chunks = self._copy_previous(writer, prev_store, item.info.doc_id)
            else:
                first, chunks = self._embed_into(writer, item, progress), item.chunks
                report.embedded_chunks += len(chunks)
            added.append((item.info.doc_id, first, chunks))
            writer.add_document(item.info, item.sha256, len(chunks))
            report.chunks += len(chunks)
        if progress:
            progress.close()
        enriched = self._add_questions(writer, added, prev_store, report)
        counts = {doc_id: len(chunks) for doc_id, _, chunks in added}
        for item in planned:
            doc_id = item.info.doc_id
            entries[doc_id] = DocumentEntry(
                item.info.file,
                item.sha256,
                counts[doc_id],
                enriched.get(doc_id, 0),
                fingerprints[doc_id],
            )
        vectors = writer.vectors(self.embedder.dim)
        question_vectors, _ = writer.question_vectors(self.embedder.dim)
        writer.close()
        VectorStore.build(vectors, self.faiss_index).save(partial.vectors)
        VectorStore.build(question_vectors, "Flat").save(partial.question_vectors)
        manifest = Manifest(
            build_id=build_id,
            embedder=self.embedder.name,
            dim=self.embedder.dim,
            chunker=chunker_fingerprint(self.chunker),
            faiss_index=self.faiss_index,
            documents=entries,
            built_at=datetime.now(UTC).isoformat(timespec="seconds"),
            question_vector_langs=self.question_vector_langs,
        )
        # Written last: a build without its manifest is never taken for a finished one.
        partial.manifest.write_text(manifest.to_json(), encoding="utf-8")
        return manifest

    def _fingerprint(self, item: _Planned, prev_store: ChunkStore | None) -> str:
        """A digest of the questions a document's passages will carry (and which of them get
        vectors), so that new or edited questions alone trigger a rebuild."""
        if item.chunks is not None:
            ids = [c.chunk_id for c in item.chunks if c.kind == "body"]
        else:
            assert prev_store is not None
            ids = prev_store.body_chunk_ids(item.info.doc_id)
        digest = hashlib.sha256(",".join(self.question_vector_langs).encode())
        for chunk_id in ids:
            entry = self.questions.get(chunk_id)
            if entry is not None:
                digest.update(entry.to_json().encode())
        return digest.hexdigest()[:16]

    def _add_questions(
        self,
        writer: ChunkWriter,
        added: list[tuple[str, int, list[Chunk]]],
        prev_store: ChunkStore | None,
        report: BuildReport,
    ) -> dict[str, int]:
        """Every body passage's questions; vectors reused from the previous build where the
        same question was embedded before. Returns passages with questions per document."""
        enriched: dict[str, int] = {}
        rows: list[QuestionRow] = []
        pending: list[int] = []  # positions in rows of the questions still to embed
        for doc_id, first, chunks in added:
            cache = prev_store.question_vectors_of(doc_id) if prev_store else {}
            for offset, chunk in enumerate(chunks):
                pairs = self.questions.questions(chunk.chunk_id) if chunk.kind == "body" else []
                if pairs:
                    enriched[doc_id] = enriched.get(doc_id, 0) + 1
                for lang, text in pairs:
                    vector = None
                    if lang in self.question_vector_langs:
                        vector = cache.get((lang, text))
                        if vector is None:
                            pending.append(len(rows))
                    rows.append((first + offset, lang, text, vector))
        progress = self.progress(len(pending)) if self.progress and pending else None
        batch = 256
        for start in range(0, len(pending), batch):
            part = pending[start : start + batch]
            vectors = self.embedder.embed_queries([rows[i][2] for i in part])
            for i, vector in zip(part, vectors, strict=True):
                rowid, lang, text, _ = rows[i]
                rows[i] = (rowid, lang, text, np.asarray(vector, dtype=np.float32).tobytes())
            if progress:
                progress.update(len(part), "questions")
        if progress:
            progress.close()
        # Grouped by language: each language's questions are one range of rowids, which
        # the retriever searches without a join (index/sqlite_store.py, question_search).
        writer.add_questions(sorted(rows, key=lambda row: (row[1], row[0])))
        report.questions += len(rows)
        report.embedded_questions = len(pending)
        return enriched

    def _copy_previous(
        self, writer: ChunkWriter, store: ChunkStore, doc_id: str
    ) -> tuple[int, list[Chunk]]:
        """The previous build's chunks and vectors of an unchanged document: (first rowid,
        chunks)."""
        pairs = list(store.iter_chunks(doc_id))
        chunks = [c for c, _ in pairs]
        vectors = np.frombuffer(b"".join(v for _, v in pairs), dtype=np.float32).reshape(
            len(pairs), self.embedder.dim
        )
        return writer.add_chunks(chunks, vectors), chunks

    def _embed_into(self, writer: ChunkWriter, item: _Planned, progress: Progress | None) -> int:
        """Embeds and adds a document's chunks; returns the first one's rowid."""
        chunks = item.chunks or []
        first = writer.next_rowid
        batch = 256  # large enough for the model to sort by length and pad little
        for start in range(0, len(chunks), batch):
            part = chunks[start : start + batch]
            writer.add_chunks(part, self._vectors(part))
            if progress:
                progress.update(len(part), item.info.doc_id)
        return first

    def _vectors(self, chunks: list[Chunk]) -> np.ndarray:
        """Footnotes (references, mostly) are found by keyword only: they get a zero vector,
        which no vector search returns, and a fifth of the embedding time is saved."""
        vectors = np.zeros((len(chunks), self.embedder.dim), dtype=np.float32)
        body = [i for i, c in enumerate(chunks) if c.kind == "body"]
        if body:
            vectors[body] = self.embedder.embed_passages([chunks[i].text for i in body])
        return vectors


def _entry_questions(manifest: Manifest | None, doc_id: str) -> str | None:
    entry = manifest.documents.get(doc_id) if manifest else None
    return entry.questions if entry else None
