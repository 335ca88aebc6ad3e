"""Shared fixtures: the real embedding model and real-corpus indexes are built once per session."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SMALL_CORPUS_FILES = (
    "rso-child-victims-first-responders.txt",
    "iom-ilo-migration-officers-leaflet.md",
    "nexus-rso-child-trafficking-practitioner-guide.txt",
)


# One ONNX export of the bundled model for the whole suite (and every settings object made in
# it), instead of one per temporary data folder.
os.environ.setdefault("HAVEN_EMBEDDING__ONNX_CACHE_DIR", str(ROOT / ".cache" / "onnx"))


@pytest.fixture(scope="session")
def real_embedder():
    """The bundled MiniLM as the product runs it (ONNX Runtime; the same vectors as torch,
    tests/index/test_onnx_embedder.py)."""
    from index.embedder import EmbedderSpec, make_embedder

    return make_embedder(EmbedderSpec(runtime="onnx", cache_dir=ROOT / ".cache" / "onnx"))


def make_settings(data_dir: Path, corpus_dir: Path = CORPUS, **overrides: object):
    from core.settings import Settings

    return Settings(
        data_dir=data_dir,
        corpus_dir=corpus_dir,
        catalog_file=CORPUS / "catalog.toml",
        **overrides,
    )


def cli_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, handbook: str, **env: str
) -> Path:
    """A one-handbook corpus and data folder in tmp_path for `haven` commands, with the fake
    embedder; extra HAVEN_* variables in `env`. Returns the corpus folder. Callers clear
    get_settings' cache again when done."""
    from core.settings import get_settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / handbook, corpus)
    shutil.copy(CORPUS / "catalog.toml", corpus)
    monkeypatch.setenv("HAVEN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HAVEN_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("HAVEN_EMBEDDING__BACKEND", "fake")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    return corpus


CACHE = ROOT / ".cache" / "test-index"
# The modules that decide what a build contains; retrieval code can change without a rebuild.
BUILD_MODULES = (
    "builder",
    "embedder",
    "enrichment",
    "vectors",
    "sentence_embedder",
    "onnx_embedder",
    "onnx_export",
    "faiss_store",
    "sqlite_store",
    "manifest",
    "layout",
)


def _cache_key(settings, paths: list[Path]) -> str:
    """Same corpus, same ingest/index code and settings: the same index, reused across runs."""
    digest = hashlib.sha256()
    files = sorted(p for path in paths for p in ([path] if path.is_file() else path.rglob("*")))
    files += sorted((ROOT / "ingest").glob("*.py"))
    files += [ROOT / "index" / f"{name}.py" for name in BUILD_MODULES]
    files.append(settings.catalog_path)
    for file in files:
        if file.is_file():
            digest.update(file.name.encode() + file.read_bytes())
    digest.update(settings.chunking.model_dump_json().encode())
    digest.update(settings.embedding.model_dump_json().encode())
    digest.update(settings.enrichment.model_dump_json().encode())
    return digest.hexdigest()[:20]


def cached_build(settings, embedder, paths: list[Path]) -> None:
    key = _cache_key(settings, paths)
    cached = CACHE / key
    if (cached / "current").exists():
        shutil.copytree(cached, settings.index_dir, symlinks=True)
        return
    build_index(settings, embedder, paths)
    _store(settings.index_dir, key)


def _store(index_dir: Path, key: str) -> None:
    cached = CACHE / key
    tmp = CACHE / f".{key}-{os.getpid()}"
    shutil.copytree(index_dir, tmp, symlinks=True)
    os.replace(tmp, cached) if not cached.exists() else shutil.rmtree(tmp)


def _is_cached(settings, paths: list[Path]) -> bool:
    return (CACHE / _cache_key(settings, paths) / "current").exists()


def build_index(settings, embedder, paths: list[Path]):
    """As `haven ingest` builds: with the hypothetical questions of <corpus>/enrichment."""
    from documents.catalog import index_builder

    return index_builder(settings, embedder).build(paths)


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("small-corpus")
    for name in SMALL_CORPUS_FILES:
        shutil.copy(CORPUS / name, folder / name)
    return folder


@pytest.fixture(scope="session")
def small_settings(tmp_path_factory: pytest.TempPathFactory, small_corpus: Path, real_embedder):
    """Three real handbooks indexed with the real model, FAISS and SQLite."""
    settings = make_settings(tmp_path_factory.mktemp("small-data"), small_corpus)
    cached_build(settings, real_embedder, [small_corpus])
    return settings


@pytest.fixture(scope="session")
def full_settings(
    tmp_path_factory: pytest.TempPathFactory, real_embedder, request: pytest.FixtureRequest
):
    """The whole shipped corpus indexed with the real model (one to two minutes, then cached
    in .cache/test-index until the corpus, the ingest/index code or the settings change)."""
    settings = make_settings(tmp_path_factory.mktemp("full-data"))
    if not _is_cached(settings, [CORPUS]) and _clone_build_fits():
        # A cold cache, as in CI's fresh clone: the set-up path's `make index` (which the e2e
        # tests need anyway) builds the index once for both.
        request.getfixturevalue("user_clone")
    cached_build(settings, real_embedder, [CORPUS])
    return settings


def _clone_build_fits() -> bool:
    """A build by `haven ingest` in a user's copy equals full_settings' build when the tests run
    from the Makefile's venv and no HAVEN_* variable changes what full_settings builds."""
    from tests.support.clone import makefile_venv

    return makefile_venv() and not any(name.startswith("HAVEN_") for name in os.environ)


@pytest.fixture(scope="session")
def user_clone(tmp_path_factory: pytest.TempPathFactory):
    """The README's set-up path, once per session: a copy of the repository where `make
    starter-index` (the build `make run` makes on a first start) has built the whole shipped
    corpus with the real MiniLM model, from the command line. The build also fills the
    test-index cache when it is cold."""
    from tests.support.clone import make_clone, makefile_venv

    if not makefile_venv():
        pytest.skip("the set-up path runs from the venv `make install` made (make test)")
    clone = make_clone(tmp_path_factory.mktemp("user-clone"))
    built = clone.make("starter-index")
    output = built.stdout + built.stderr
    assert built.returncode == 0, output[-4000:]
    (clone.root / "make-index.log").write_text(output)  # for the tests to read
    if _clone_build_fits():
        settings = make_settings(clone.root / "data")
        if not _is_cached(settings, [CORPUS]):
            _store(clone.index_dir, _cache_key(settings, [CORPUS]))
    return clone


@pytest.fixture(scope="session")
def small_client(small_settings, real_embedder) -> Iterator[object]:
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app(small_settings, embedder=real_embedder)) as client:
        yield client
