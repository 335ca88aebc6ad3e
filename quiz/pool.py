"""Every analysed statement of the indexed handbooks, built once per index: the source of
items and of their wrong options."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from index.sqlite_store import ChunkStore
from ingest.records import Chunk
from quiz.analysis import Analysis, Directive, analyse
from quiz.lexicon import CorpusTerms
from quiz.statements import Statement, split_statements
from quiz.text import jaccard, stems

SAME_GUIDANCE = 0.6  # stem overlap above which two statements say the same thing
# Sections that report one country's law or a single project rather than give guidance: their
# statements make trivia, not training questions.
_NOT_GUIDANCE = re.compile(r"promising practice|case stud|\bexamples?\b|country practice", re.I)


_SENTENCE_END = re.compile(r"[.!?][”\"’')\]]?\d{0,3}$")
_ITEM_END = re.compile(r"[;,:][”\"’')\]]?\d{0,3}$")


def complete(statement: Statement, last_in_chunk: bool) -> bool:
    """A whole sentence rather than a table cell, a label, or the start of a sentence the
    chunk cuts off: it ends like a sentence (a list item may end with ; or , or, unless it is
    the chunk's last, with nothing)."""
    text = statement.text.rstrip()
    if _SENTENCE_END.search(text):
        return True
    if not statement.is_item:
        return False
    return bool(_ITEM_END.search(text)) or not last_in_chunk


@dataclass(frozen=True)
class Entry:
    statement: Statement
    analysis: Analysis
    row: int  # the chunk's row in the pool's vectors

    @property
    def directive(self) -> Directive | None:
        return self.analysis.directive


@dataclass(frozen=True)
class Candidate:
    """A possible wrong option: its text and the statement it was made from."""

    text: str
    entry: Entry
    flipped: bool  # a negation of what the handbook says (wrong by the handbook's own words)


class StatementPool:
    def __init__(
        self, chunks: Sequence[Chunk], vectors: np.ndarray | None, titles: Mapping[str, str]
    ) -> None:
        self.titles = dict(titles)
        self.lexicon = CorpusTerms.build((c.doc_id, c.text) for c in chunks)
        self.chunks = {c.chunk_id: c for c in chunks}
        rows = {c.chunk_id: i for i, c in enumerate(chunks)}
        self.vectors = _normalised(vectors, len(chunks))
        self.entries: list[Entry] = []
        self.by_chunk: dict[str, list[Entry]] = {}
        for chunk in chunks:
            if _NOT_GUIDANCE.search(chunk.section_path):
                continue
            title = self.titles.get(chunk.doc_id, chunk.doc_id)
            for statement in split_statements(chunk, title):
                entry = Entry(
                    statement, analyse(statement.text, self.lexicon), rows[chunk.chunk_id]
                )
                self.entries.append(entry)
                self.by_chunk.setdefault(chunk.chunk_id, []).append(entry)

    @classmethod
    def from_store(cls, store: ChunkStore, titles: Mapping[str, str]) -> StatementPool:
        chunks: list[Chunk] = []
        blobs: list[bytes] = []
        for doc_id in sorted(titles):
            for chunk, blob in store.iter_chunks(doc_id):
                if chunk.kind == "body":
                    chunks.append(chunk)
                    blobs.append(blob)
        vectors = np.stack([np.frombuffer(b, dtype=np.float32) for b in blobs]) if blobs else None
        return cls(chunks, vectors, titles)

    def chunks_of(self, doc_ids: Iterable[str]) -> list[Chunk]:
        wanted = set(doc_ids)
        return [c for c in self.chunks.values() if c.doc_id in wanted]

    def similarities(self, source: Entry, others: Sequence[Entry]) -> np.ndarray:
        """Cosine of the passages' embeddings (zeros when the pool has no vectors)."""
        if self.vectors is None or not others:
            return np.zeros(len(others), dtype=np.float32)
        rows = np.fromiter((e.row for e in others), dtype=np.int64, count=len(others))
        return self.vectors[rows] @ self.vectors[source.row]

    # ---- what the handbooks recommend and advise against, stated as options ----

    def _stems_of(self, polarity: str) -> list[frozenset[str]]:
        return [
            stems(e.directive.text)
            for e in self.entries
            if e.directive is not None and e.directive.polarity == polarity
        ]

    @cached_property
    def _do_stems(self) -> list[frozenset[str]]:
        return self._stems_of("do")

    @cached_property
    def _dont_stems(self) -> list[frozenset[str]]:
        return self._stems_of("dont")

    def echoes(self, text: str, polarity: str) -> bool:
        """Whether some statement of that polarity says (nearly) the same as the text."""
        s = stems(text)
        if not s:
            return False
        pool = self._do_stems if polarity == "do" else self._dont_stems
        return any(len(s & o) / len(s | o) >= SAME_GUIDANCE for o in pool if o)

    @cached_property
    def wrong_actions(self) -> list[Candidate]:
        """Statements that contradict the handbooks: what they advise against, stated as
        advice, and what they recommend, negated. Wrong options by the handbooks' own words."""
        out = []
        for e in self.entries:
            d = e.directive
            if d is None or d.pronoun_subject:
                continue
            text = d.positive if d.polarity == "dont" else d.negative
            other = "do" if d.polarity == "dont" else "dont"
            if text and fit_option(text) and not self.echoes(text, other):
                out.append(Candidate(text, e, flipped=True))
        return out

    @cached_property
    def right_actions(self) -> list[Candidate]:
        """Guidance as the handbooks give it, where no handbook says the opposite: wrong options
        for "what should you not do" items. Imperatives are recommendations only ("Do not ..."
        would read as a double negative); declaratives are both kinds."""
        out = []
        for e in self.entries:
            d = e.directive
            if d is None or d.pronoun_subject:
                continue
            if d.form == "imperative" and d.polarity == "dont":
                continue
            other = "dont" if d.polarity == "do" else "do"
            if fit_option(d.text) and not self.echoes(d.text, other):
                out.append(Candidate(d.text, e, flipped=False))
        return out

    @cached_property
    def definitions(self) -> list[Entry]:
        return [e for e in self.entries if e.analysis.definition is not None]

    def overlap(self, a: str, b: str) -> float:
        return jaccard(a, b)


_UNFIT = re.compile(r"\[\.\.\.\]|…|https?://|www\.|\(See:|\bibid\b|\bp\. ?\d", re.I)


def fit_option(text: str) -> bool:
    """A statement that reads well on its own as an option: no elisions, links or references,
    brackets and quotes balanced."""
    if _UNFIT.search(text):
        return False
    pairs = (("(", ")"), ("[", "]"), ("“", "”"))
    return all(text.count(a) == text.count(b) for a, b in pairs) and text.count('"') % 2 == 0


def _normalised(vectors: np.ndarray | None, rows: int) -> np.ndarray | None:
    if vectors is None or len(vectors) != rows or rows == 0:
        return None
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vectors / norms).astype(np.float32)
