"""The sentence-transformers models (the bundled MiniLM by default) run by ONNX Runtime.

Same vectors as the torch runtime (cosine ≥ 0.999 per passage, checked by an integration test),
in a fraction of the time and memory: no torch in the serving process, a fast tokenizer, texts
sorted by length so a batch pads little, and a thread count chosen for the worker (see
`threads_per_worker`). The graph is exported once from the local weights into a cache folder
(index/onnx_export.py, in a child process) and reused by every later process.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import EmbedderUnavailableError
from index.onnx_export import EXPORT_VERSION
from index.vectors import Vectors, normalize_rows

_POOLING_FILE = "1_Pooling/config.json"
_PROJECT = Path(__file__).resolve().parent.parent


def onnx_available() -> bool:
    try:
        import onnxruntime  # noqa: F401  (lazy: an optional engine, loaded only to check)
    except ImportError:
        return False
    return True


def threads_per_worker(threads: int, workers: int) -> int:
    """`threads` when set (> 0); otherwise the machine's cores shared out among the worker
    processes, at least one each, so workers never oversubscribe the cores."""
    if threads > 0:
        return threads
    return max(1, (os.cpu_count() or 1) // max(1, workers))


def default_cache_dir() -> Path:
    return Path(tempfile.gettempdir()) / "haven-onnx"


class OnnxEmbedder:
    def __init__(
        self,
        model_dir: Path,
        name: str,
        cache_dir: Path | None = None,
        threads: int = 1,
        batch_size: int = 32,
    ) -> None:
        """`model_dir`: a local sentence-transformers folder with mean pooling and a
        tokenizer.json; anything else raises EmbedderUnavailableError (the caller then uses
        the torch runtime)."""
        self._name = name
        self._batch_size = batch_size
        max_length, self._normalize = _check_layout(model_dir)
        try:
            import onnxruntime as ort  # lazy: only this runtime needs it
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise EmbedderUnavailableError(f"ONNX Runtime is not installed: {exc}") from exc
        path = ensure_export(model_dir, cache_dir or default_cache_dir())
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=max_length)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Idle threads sleep instead of spinning: a server embeds in short bursts between
        # other work, and spinning would steal the cores that work needs.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._dim = int(self._session.get_outputs()[0].shape[-1])
        self.threads = threads

    @property
    def name(self) -> str:
        return self._name

    @property
    def dim(self) -> int:
        return self._dim

    def _encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        # As sentence-transformers does: stripped texts, sorted by length so each batch pads
        # to a similar length, results put back in the callers' order.
        encodings = self._tokenizer.encode_batch([t.strip() for t in texts])
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        out = np.empty((len(texts), self._dim), dtype=np.float32)
        for start in range(0, len(order), self._batch_size):
            part = order[start : start + self._batch_size]
            out[part] = self._run([encodings[i] for i in part])
        return normalize_rows(out) if self._normalize else out

    def _run(self, encodings: list[Any]) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        types = np.zeros_like(ids)
        for row, enc in enumerate(encodings):
            n = len(enc.ids)
            ids[row, :n] = enc.ids
            mask[row, :n] = 1
            types[row, :n] = enc.type_ids
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        result = self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})
        return np.asarray(result[0], dtype=np.float32)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts)

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts)


def _check_layout(model_dir: Path) -> tuple[int, bool]:
    """(max tokens, normalise?) of a model this runtime can run the way sentence-transformers
    does: a Transformer, mean pooling, optionally Normalize."""
    if not (model_dir / "tokenizer.json").is_file():
        raise EmbedderUnavailableError(f"{model_dir} has no tokenizer.json")
    try:
        modules = json.loads((model_dir / "modules.json").read_text(encoding="utf-8"))
        pooling = json.loads((model_dir / _POOLING_FILE).read_text(encoding="utf-8"))
        config = json.loads((model_dir / "sentence_bert_config.json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise EmbedderUnavailableError(
            f"{model_dir} is not a sentence-transformers folder"
        ) from exc
    kinds = [m.get("type", "").rsplit(".", 1)[-1] for m in modules]
    means = pooling.get("pooling_mode_mean_tokens") and not any(
        v
        for k, v in pooling.items()
        if k.startswith("pooling_mode_") and k != "pooling_mode_mean_tokens"
    )
    if kinds[:2] != ["Transformer", "Pooling"] or set(kinds[2:]) - {"Normalize"} or not means:
        raise EmbedderUnavailableError(f"{model_dir}: only mean-pooled models run on ONNX")
    return int(config.get("max_seq_length") or 512), "Normalize" in kinds


def _fingerprint(model_dir: Path) -> str:
    """Changes with the weights, the model's configuration or the export code."""
    digest = hashlib.sha256(EXPORT_VERSION.encode())
    for name in ("config.json", "model.safetensors", "pytorch_model.bin"):
        path = model_dir / name
        if path.is_file():
            with path.open("rb") as handle:
                while block := handle.read(1 << 20):
                    digest.update(block)
    return digest.hexdigest()[:16]


def ensure_export(model_dir: Path, cache_dir: Path) -> Path:
    """The exported graph for these weights, exporting it first if the cache has none. Several
    processes starting at once (uvicorn workers) export it once: the others wait on a lock."""
    path = cache_dir / f"{model_dir.name}-{_fingerprint(model_dir)}.onnx"
    if path.is_file():
        return path
    cache_dir.mkdir(parents=True, exist_ok=True)
    with _locked(path.with_suffix(".lock")):
        if not path.is_file():
            command = [sys.executable, "-m", "index.onnx_export", str(model_dir), str(path)]
            # From the project folder: `-m` puts the working folder first on the module path.
            done = subprocess.run(
                command, cwd=_PROJECT, capture_output=True, text=True, check=False
            )
            if done.returncode != 0 or not path.is_file():
                raise EmbedderUnavailableError(
                    f"Cannot export {model_dir.name} to ONNX: {done.stderr.strip()[-500:]}"
                )
    return path


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
