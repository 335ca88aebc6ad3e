"""Shared fixtures: the real embedding model and real-corpus indexes are built once per session."""

from __future__ import annotations

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


@pytest.fixture(scope="session")
def real_embedder():
    from index.sentence_embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


def make_settings(data_dir: Path, corpus_dir: Path = CORPUS, **overrides: object):
    from api.settings import Settings

    return Settings(
        data_dir=data_dir,
        corpus_dir=corpus_dir,
        catalog_file=CORPUS / "catalog.toml",
        **overrides,
    )


def build_index(settings, embedder, paths: list[Path]):
    from api.state import chunker_config
    from index.builder import IndexBuilder
    from ingest.catalog import load_catalog

    builder = IndexBuilder(
        settings.index_dir,
        embedder,
        chunker_config(settings),
        load_catalog(settings.catalog_path),
        settings.retrieval.faiss_index,
    )
    return builder.build(paths)


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
    build_index(settings, real_embedder, [small_corpus])
    return settings


@pytest.fixture(scope="session")
def full_settings(tmp_path_factory: pytest.TempPathFactory, real_embedder):
    """The whole shipped corpus indexed with the real model (about a minute and a half)."""
    settings = make_settings(tmp_path_factory.mktemp("full-data"))
    build_index(settings, real_embedder, [CORPUS])
    return settings


@pytest.fixture(scope="session")
def small_client(small_settings, real_embedder) -> Iterator[object]:
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app(small_settings, embedder=real_embedder)) as client:
        yield client
