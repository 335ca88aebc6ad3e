"""The starter index: a machine's first build made with a faster embedder, served until the
configured embedder's build replaces it.

e5 answers questions in other languages far better than MiniLM but indexes the corpus about
seven times slower, too slow for a first `make run` on two cores. So the first build uses the
starter backend (MiniLM, about a minute), the server queries it with the starter's model, and
a background build (index/background.py) publishes the configured backend's index, which the
server then swaps in together with its model.
"""

from __future__ import annotations

from core.settings import Settings
from index.embedder import resolve_backend
from index.layout import IndexLayout
from index.manifest import Manifest


def configured_backend(settings: Settings) -> str:
    return resolve_backend(settings.embedding.backend)


def starter_backend(settings: Settings) -> str | None:
    """The faster backend a first index is built with, or None where none applies (switched
    off, or already the configured backend)."""
    starter = settings.embedding.starter_backend
    if starter == "none" or starter == configured_backend(settings):
        return None
    return starter


def current_backend(settings: Settings) -> str | None:
    """The backend the index in use was built with (None: no complete build yet)."""
    build = IndexLayout(settings.index_dir).current()
    if build is None:
        return None
    try:
        embedder = Manifest.load(build.manifest).embedder
    except (OSError, ValueError, KeyError):
        return None  # opening the build will say what is wrong with it
    return embedder.split(":", 1)[0]


def is_starter_build(settings: Settings, manifest: Manifest | None = None) -> bool:
    """The index in use (or the build `manifest` describes, when its manifest is already
    loaded) is a starter build, waiting to be rebuilt with the configured backend."""
    starter = starter_backend(settings)
    built_with = manifest.embedder.split(":", 1)[0] if manifest else current_backend(settings)
    return starter is not None and built_with == starter


def serving_backend(settings: Settings) -> str:
    """The backend to query the index in use with: the starter's while a starter build is in
    use, else the configured one (a build made with any other backend is refused as before)."""
    starter = starter_backend(settings)
    return starter if is_starter_build(settings) and starter else configured_backend(settings)
