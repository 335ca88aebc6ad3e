"""Hybrid retrieval: BM25 and vector rankings fused by weighted reciprocal rank fusion."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from index.embedder import Embedder, Vectors
from index.errors import IndexMismatchError, IndexNotFoundError, UnknownDocumentError
from index.faiss_store import VectorStore
from index.keywords import fts_query, question_match, terms
from index.layout import IndexLayout
from index.lexicon import load_lexicon
from index.manifest import Manifest
from index.reranker import Reranker
from index.sqlite_store import ChunkStore, StoredDocument
from index.vocabulary import render_english
from ingest.records import Chunk


@dataclass(frozen=True)
class RetrievalConfig:
    candidates: int = 60
    rrf_k: int = 60
    keyword_weight: float = 1.0
    vector_weight: float = 1.5
    mention_weight: float = 1.0  # extra rankings within a handbook the question names
    expansion_weight: float = 0.5  # a keyword ranking with the lexicon's handbook terms added
    short_query_boost: float = 2.0  # keyword weight factor for one- or two-word queries
    rerank_depth: int = 20  # fused candidates a reranker (when configured) reorders
    # Questions in other languages (lang != "en"):
    foreign_keyword_weight: float = 0.5  # BM25 on the question's own words (few match English)
    foreign_expansion_weight: float = 1.0  # BM25 on the lexicon's English terms for its words
    translation_weight: float = 1.0  # keyword and vector rankings of each translated question
    gloss_weight: float = 0.5  # keyword and vector rankings of the lexicon's rough rendering
    vocabulary_weight: float = 1.0  # keyword ranking of the word-by-word English rendering
    vocabulary_vector_weight: float = 1.0  # and its vector ranking
    # Hypothetical questions (index/enrichment.py): passages ranked by their best question.
    question_keyword_weight: float = 1.0  # BM25 over the questions in the asker's language
    question_english_weight: float = 0.5  # BM25 over English questions, for translations
    question_vector_weight: float = 1.0  # vectors of the questions (asker's language and en)
    question_depth: int = 200  # question vectors fetched before grouping by passage


@dataclass(frozen=True)
class Retrieval:
    hits: list[SearchHit]
    top_cosine: float | None  # the best vector match, whether or not it made the fused top k


@dataclass(frozen=True)
class SearchHit:
    chunk: Chunk
    title: str
    score: float
    keyword_rank: int | None = None
    vector_rank: int | None = None
    cosine: float | None = None
    # The cosine of the question with the passage's best-matching hypothetical question.
    question_cosine: float | None = None


_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&]{1,9}\b")


def fuse(rankings: Sequence[tuple[float, Sequence[int]]], rrf_k: int) -> list[tuple[int, float]]:
    """Weighted reciprocal rank fusion of several rankings of rowids; best first."""
    scores: dict[int, float] = {}
    for weight, ranking in rankings:
        for rank, rowid in enumerate(ranking):
            scores[rowid] = scores.get(rowid, 0.0) + weight / (rrf_k + rank + 1)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


class HybridRetriever:
    def __init__(
        self,
        store: ChunkStore,
        vectors: VectorStore,
        embedder: Embedder,
        manifest: Manifest,
        config: RetrievalConfig,
        root: Path,
        reranker: Reranker | None = None,
        question_vectors: VectorStore | None = None,
    ) -> None:
        self.store = store
        self.vectors = vectors
        self.question_vectors = question_vectors
        # Question vector i belongs to passage _question_chunk[i], written in _question_lang[i].
        chunk_rows, langs = store.question_chunks() if question_vectors else ([], [])
        self._question_chunk = np.asarray(chunk_rows, dtype=np.int64)
        self._question_lang = np.asarray(langs, dtype=object)
        self._question_langs = set(langs)
        self.embedder = embedder
        self.manifest = manifest
        self.config = config
        self.root = root
        self.reranker = reranker
        self._documents = {d.info.doc_id: d for d in store.documents()}
        self._mentions = _mention_patterns(self._documents)

    @property
    def documents(self) -> dict[str, StoredDocument]:
        return self._documents

    @cached_property
    def enrichment(self) -> dict[str, tuple[int, int]]:
        """Per document: (passages with hypothetical questions, content passages)."""
        return self.store.enrichment_counts()

    def passage_questions(self, chunk_ids: Sequence[str], lang: str = "en") -> dict[str, list[str]]:
        """The hypothetical questions (in `lang`) each of these passages answers."""
        return self.store.questions_of(chunk_ids, lang)

    def _check_docs(self, doc_ids: Sequence[str] | None) -> list[str] | None:
        if not doc_ids:
            return None
        unknown = [d for d in doc_ids if d not in self._documents]
        if unknown:
            raise UnknownDocumentError(unknown)
        return list(dict.fromkeys(doc_ids))

    def search(
        self,
        query: str,
        k: int,
        doc_ids: Sequence[str] | None = None,
        mode: str = "hybrid",
        lang: str = "en",
        translations: Sequence[str] = (),
    ) -> list[SearchHit]:
        return self.retrieve(query, k, doc_ids, mode, lang, translations).hits

    def retrieve(
        self,
        query: str,
        k: int,
        doc_ids: Sequence[str] | None = None,
        mode: str = "hybrid",
        lang: str = "en",
        translations: Sequence[str] = (),
    ) -> Retrieval:
        """`lang` is the question's language; `translations` are English renderings of it,
        each searched too (keyword and vector) and fused with the rest."""
        docs = self._check_docs(doc_ids)
        limit = max(self.config.candidates, k)
        foreign = lang != "en"
        translations = [t for t in translations if t.strip()] if foreign else []
        # (keyword weight, vector weight) of each English rendering's rankings
        weights = [(self.config.translation_weight,) * 2] * len(translations)
        if foreign and mode == "hybrid":
            for rendering, pair in self._renderings(query, lang, bool(translations)):
                translations.append(rendering)
                weights.append(pair)
        mentioned, topic = self.mentions(query) if not docs else ([], query)
        if not mentioned and not docs and translations:
            mentioned = self.mentions(translations[0])[0]
        keyword: list[tuple[int, float]] = []
        vector: list[tuple[int, float]] = []
        rankings: list[tuple[float, list[int]]] = []
        match = fts_query(topic)
        use_vectors = mode in ("hybrid", "vector")
        qvs = self.embedder.embed_queries([query, *translations]) if use_vectors else None
        qv = qvs[0] if qvs is not None else None
        allowed = self.store.rowids_for_documents(docs) if docs and use_vectors else None
        if mode in ("hybrid", "keyword"):
            keyword = self.store.keyword_search(match, limit, docs) if match else []
            weight = self._keyword_weight(topic)
            weight *= self.config.foreign_keyword_weight if foreign else 1.0
            rankings.append((weight, [r for r, _ in keyword]))
        if qv is not None:
            vector = self.vectors.search(qv, limit, allowed)
            rankings.append((self.config.vector_weight, [r for r, _ in vector]))
        top_cosine = vector[0][1] if vector else None
        if mode == "hybrid":
            rankings.extend(self._expansion(topic, lang, limit, docs))
        for i, (translated, (kw_weight, vec_weight)) in enumerate(
            zip(translations, weights, strict=True)
        ):
            if mode in ("hybrid", "keyword") and (tmatch := fts_query(translated)):
                kw = self.store.keyword_search(tmatch, limit, docs)
                rankings.append((kw_weight * self.config.keyword_weight, [r for r, _ in kw]))
            if qvs is not None and vec_weight > 0:
                tv = self.vectors.search(qvs[i + 1], limit, allowed)
                rankings.append((vec_weight * self.config.vector_weight, [r for r, _ in tv]))
                if tv and (top_cosine is None or tv[0][1] > top_cosine):
                    top_cosine = tv[0][1]
        question_cosines: dict[int, float] = {}
        if mode == "hybrid":
            rankings.extend(
                self._questions(topic, lang, translations, qvs, limit, docs, question_cosines)
            )
        if mentioned and mode == "hybrid" and self.config.mention_weight > 0:
            within = fts_query(" ".join([topic, *translations]) if foreign else topic)
            rankings.extend(self._within(mentioned, within, qv, limit))
        fused = fuse(rankings, self.config.rrf_k)
        fused = self._rerank(query, fused, k) if self.reranker else fused[:k]
        return Retrieval(self._hits(fused, keyword, vector, question_cosines), top_cosine)

    def _questions(
        self,
        topic: str,
        lang: str,
        translations: Sequence[str],
        qvs: Vectors | None,
        limit: int,
        docs: list[str] | None,
        cosines: dict[int, float],
    ) -> list[tuple[float, list[int]]]:
        """Rankings of passages by their hypothetical questions: keyword search over the
        questions written in the asker's language (and over the English ones with the
        question's English renderings), and the question's vector against the question
        vectors in its language and English. A passage ranks by its best question, whose
        cosine goes into `cosines` (by passage rowid) for the answer composer."""
        c = self.config
        rankings: list[tuple[float, list[int]]] = []
        match, trigram = question_match(topic, lang)
        if c.question_keyword_weight > 0 and match:
            found = self.store.question_search(match, [lang], limit, docs, trigram)
            rankings.append((c.question_keyword_weight, [r for r, _ in found]))
        english = fts_query(" ".join(translations))
        if lang != "en" and c.question_english_weight > 0 and english:
            found = self.store.question_search(english, ["en"], limit, docs)
            rankings.append((c.question_english_weight, [r for r, _ in found]))
        if qvs is not None and c.question_vector_weight > 0 and self.question_vectors:
            allowed = self._question_positions({lang, "en"}, docs)
            found = self.question_vectors.search(qvs[0], c.question_depth, allowed)
            best: dict[int, None] = {}
            for position, score in found:
                rowid = int(self._question_chunk[position])
                best.setdefault(rowid, None)
                cosines.setdefault(rowid, float(score))
            rankings.append((c.question_vector_weight, list(best)[:limit]))
        return rankings

    def _question_positions(self, langs: set[str], docs: list[str] | None) -> list[int] | None:
        """Question vectors in the given languages (and documents); None when that is all."""
        if not docs and self._question_langs <= langs:
            return None  # the usual case (English vectors only): no mask to build per query
        mask = np.isin(self._question_lang, list(langs))
        if docs:
            mask &= np.isin(self._question_chunk, self.store.rowids_for_documents(docs))
        if mask.all():
            return None
        return [int(i) for i in np.flatnonzero(mask)]

    def _renderings(
        self, query: str, lang: str, translated: bool
    ) -> list[tuple[str, tuple[float, float]]]:
        """Rough English renderings of a non-English question that need no translation
        backend, with their (keyword, vector) weights: the lexicon's gloss (its phrases
        replaced, the other words left as they are) and the word-by-word rendering. The
        word-by-word rendering stands in for a machine translation; beside one it only
        added noise (measured with Apertium es and fr, docs/multilingual.md)."""
        c = self.config
        out: list[tuple[str, tuple[float, float]]] = []
        if c.gloss_weight > 0 and (gloss := load_lexicon().gloss(query, lang)) != query:
            out.append((gloss, (c.gloss_weight, c.gloss_weight)))
        vocabulary = (c.vocabulary_weight, c.vocabulary_vector_weight)
        if not translated and sum(vocabulary) > 0 and (rendering := render_english(query, lang)):
            out.append((rendering, vocabulary))
        return out

    def _expansion(
        self, topic: str, lang: str, limit: int, docs: list[str] | None
    ) -> list[tuple[float, list[int]]]:
        """A keyword ranking with the lexicon's handbook terms for the question's words. For
        another language the terms stand alone (with any acronyms), since the question's own
        words seldom occur in the English handbooks."""
        foreign = lang != "en"
        weight = self.config.foreign_expansion_weight if foreign else self.config.expansion_weight
        if weight <= 0:
            return []
        extra = load_lexicon().expand(topic, lang)
        if not extra:
            return []
        words = [*_ACRONYM.findall(topic), *extra] if foreign else [topic, *extra]
        expanded = self.store.keyword_search(fts_query(" ".join(words)), limit, docs)
        return [(weight, [r for r, _ in expanded])]

    def _rerank(
        self, query: str, fused: list[tuple[int, float]], k: int
    ) -> list[tuple[int, float]]:
        assert self.reranker is not None
        head = fused[: max(k, self.config.rerank_depth)]
        chunks = self.store.chunks_by_rowid([r for r, _ in head])
        scores = self.reranker.scores(query, [chunks[r].text for r, _ in head])
        order = sorted(range(len(head)), key=lambda i: -scores[i])
        return [(head[i][0], scores[i]) for i in order[:k]]

    def _keyword_weight(self, topic: str) -> float:
        # A query of one or two words ("BIC", "reflection period") is a keyword lookup: a
        # vector of so little text is a poor guide, so the exact-term ranking leads.
        short = len(terms(topic)) <= 2
        return self.config.keyword_weight * (self.config.short_query_boost if short else 1.0)

    def mentions(self, query: str) -> tuple[list[str], str]:
        """Handbooks the question names, and the question with those names taken out."""
        found = []
        topic = query
        for doc_id, pattern in self._mentions:
            if pattern.search(topic):
                found.append(doc_id)
                topic = pattern.sub(" ", topic)
        return found, topic

    def _within(
        self, doc_ids: list[str], match: str, qv: Vectors | None, limit: int
    ) -> list[tuple[float, list[int]]]:
        weight = self.config.mention_weight
        rankings = []
        if match:
            kw = self.store.keyword_search(match, limit, doc_ids)
            rankings.append((weight * self.config.keyword_weight, [r for r, _ in kw]))
        if qv is not None:
            allowed = self.store.rowids_for_documents(doc_ids)
            vec = self.vectors.search(qv, limit, allowed)
            rankings.append((weight * self.config.vector_weight, [r for r, _ in vec]))
        return rankings

    def _hits(
        self,
        fused: list[tuple[int, float]],
        keyword: list[tuple[int, float]],
        vector: list[tuple[int, float]],
        question_cosines: dict[int, float] | None = None,
    ) -> list[SearchHit]:
        chunks = self.store.chunks_by_rowid([r for r, _ in fused])
        kw_rank = {r: i + 1 for i, (r, _) in enumerate(keyword)}
        vec_rank = {r: i + 1 for i, (r, _) in enumerate(vector)}
        cosines = dict(vector)
        hits = []
        for rowid, score in fused:
            chunk = chunks[rowid]
            doc = self._documents.get(chunk.doc_id)
            hits.append(
                SearchHit(
                    chunk=chunk,
                    title=doc.info.title if doc else chunk.doc_id,
                    score=round(score, 6),
                    keyword_rank=kw_rank.get(rowid),
                    vector_rank=vec_rank.get(rowid),
                    cosine=cosines.get(rowid),
                    question_cosine=(question_cosines or {}).get(rowid),
                )
            )
        return hits

    def close(self) -> None:
        self.store.close()


def _mention_patterns(documents: dict[str, StoredDocument]) -> list[tuple[str, re.Pattern[str]]]:
    patterns = []
    for doc_id, doc in documents.items():
        names = sorted(doc.info.aliases, key=len, reverse=True)
        if names:
            alternatives = "|".join(re.escape(n) for n in names)
            patterns.append((doc_id, re.compile(rf"\b(?:the\s+)?(?:{alternatives})\b", re.I)))
    return patterns


def open_retriever(
    index_dir: Path,
    embedder: Embedder,
    chunker: dict[str, int],
    faiss_index: str,
    config: RetrievalConfig,
    reranker: Reranker | None = None,
) -> HybridRetriever:
    """Load the current build, refusing one built with other settings."""
    build = IndexLayout(index_dir).current()
    if build is None:
        raise IndexNotFoundError(str(index_dir))
    manifest = Manifest.load(build.manifest)
    diffs = manifest.differences(embedder.name, chunker, faiss_index)
    if manifest.dim != embedder.dim:
        diffs.append(f"vector size {manifest.dim}, embedder gives {embedder.dim}")
    if diffs:
        raise IndexMismatchError(diffs)
    questions = build.question_vectors
    return HybridRetriever(
        ChunkStore(build.database),
        VectorStore.load(build.vectors),
        embedder,
        manifest,
        config,
        build.root,
        reranker,
        VectorStore.load(questions) if questions.exists() else None,
    )
