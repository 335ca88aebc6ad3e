"""Fuzz every operation of the OpenAPI schema (schemathesis): no input may cause a server error.

The default run is short and deterministic: in process, against the ASGI app over a private copy
of the small real index (uploads and deletes must not touch the session's shared index), a few
positive and negative examples per operation. `make fuzz` runs every schemathesis phase for
longer against `haven serve` (two workers, 127.0.0.1) over a copy of the full index:

    FUZZ_SERVER=1 FUZZ_EXAMPLES=50 FUZZ_SECONDS=600 \
        pytest tests/test_fuzz.py::test_server_survives_schemathesis

Write operations get a valid API key, so the fuzzer reaches past the key check into handlers.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable

pytestmark = pytest.mark.integration

# Examples per operation and mode: a handful keeps the in-process run near a minute.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
ON_SERVER = os.environ.get("FUZZ_SERVER", "") not in ("", "0")
MAX_SECONDS = int(os.environ.get("FUZZ_SECONDS", "600"))
SEED = int(os.environ.get("FUZZ_SEED", "7"))
# Rate limits off: the fuzzer sends far more than a person would, and a 429 hides the handler.
UNLIMITED = {"HAVEN_ACCESS__RATE_LIMIT_PER_IP": "0", "HAVEN_ACCESS__RATE_LIMIT_PER_KEY": "0"}


def _config() -> Any:
    from schemathesis.config import SchemathesisConfig

    return SchemathesisConfig.from_dict(
        {"seed": SEED, "generation": {"deterministic": True, "database": "none"}}
    )


def _private_copy(source: Any, data_dir: Path) -> Any:
    """The source settings over a copy of its index, with an API key and rate limits off."""
    from access.keys import KeyStore
    from core.settings import AccessSettings

    shutil.copytree(source.index_dir, data_dir / "index", symlinks=True)
    access = AccessSettings(rate_limit_per_ip=0, rate_limit_per_key=0)
    copied = source.model_copy(update={"data_dir": data_dir, "access": access})
    store = KeyStore(copied.keys_file)
    try:
        _, key = store.create("fuzz")
    finally:
        store.close()
    return copied, key


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _server(settings: Any, log: Path) -> Iterator[str]:
    """`haven serve` with two workers on 127.0.0.1 over the given data directory."""
    port = _free_port()
    env = dict(
        os.environ,
        **UNLIMITED,
        HAVEN_DATA_DIR=str(settings.data_dir),
        HAVEN_CORPUS_DIR=str(settings.corpus_dir),
        HAVEN_CATALOG_FILE=str(settings.catalog_path),
        HAVEN_EMBEDDING__BACKEND="sentence-transformers",  # the index's own: no starter swap
        HF_HUB_OFFLINE="1",
        TOKENIZERS_PARALLELISM="false",
    )
    command = [sys.executable, "-m", "cli.main", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", "2"]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + "/ready", timeout=2).status_code == 200:
                    break
            if proc.poll() is not None:
                raise RuntimeError("the server exited:\n" + log.read_text(errors="replace"))
            time.sleep(0.5)
        else:
            raise RuntimeError("the server was not ready in 180 s")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def private_small(tmp_path_factory: pytest.TempPathFactory, small_settings: Any) -> tuple[Any, str]:
    return _private_copy(small_settings, tmp_path_factory.mktemp("fuzz-data"))


def _operations(schema: Any) -> list[Any]:
    return [result.ok() for result in schema.get_all_operations()]


def _fuzz(operation: Any, call: Callable[[Any], None]) -> list[str]:
    """Failures found in this operation with positive and negative inputs (no shrinking: each
    example is a real model call, and the curl line is reproduction enough)."""
    from schemathesis.generation import GenerationMode

    failures: list[str] = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            call(case)

        try:
            run()
        except Unsatisfiable:
            # An operation with no parameters and no body has no invalid input to send.
            if mode is GenerationMode.POSITIVE:
                raise
        except Exception as exc:
            trace = "".join(traceback.format_exception(exc))
            failures.append(f"{operation.label} ({mode.value}):\n{trace}")
    return failures


def test_no_operation_answers_a_server_error(
    private_small: tuple[Any, str], real_embedder: Any
) -> None:
    from api.app import create_app

    settings_, key = private_small
    headers = {"Authorization": f"Bearer {key}"}
    app = create_app(settings_, embedder=real_embedder)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=_config())
    statuses: dict[str, Counter[int]] = {}

    def call(case: Any) -> None:
        # An unhandled exception propagates out of the in-process app with its traceback.
        response = case.call(headers=headers, timeout=120)
        statuses.setdefault(case.operation.label, Counter())[response.status_code] += 1
        assert response.status_code < 500, (
            f"{response.status_code}: {response.text[:500]}\n"
            f"reproduce: {case.as_curl_command(headers=headers)}"
        )

    operations = _operations(schema)
    failures = [failure for op in operations for failure in _fuzz(op, call)]
    for label, counts in sorted(statuses.items()):
        print(f"{label}: {dict(sorted(counts.items()))}")
    assert not failures, "\n\n".join(failures)
    labels = {op.label for op in operations}
    assert {"POST /api/search", "POST /api/ask", "GET /ready"} <= labels
    assert labels <= set(statuses), f"never called: {labels - set(statuses)}"
    # The key lets write operations past the check: not every answer may be a 401.
    assert any(status != 401 for counts in statuses.values() for status in counts)


@pytest.mark.skipif(not ON_SERVER, reason="the long run on a server: make fuzz")
def test_server_survives_schemathesis(
    tmp_path_factory: pytest.TempPathFactory, full_settings: Any
) -> None:
    """Every phase of `st run` (examples, coverage, fuzzing, stateful) against `haven serve`."""
    copied, key = _private_copy(full_settings, tmp_path_factory.mktemp("fuzz-server"))
    log = copied.data_dir / "server.log"
    st = Path(sys.executable).parent / "st"
    with _server(copied, log) as base:
        command = [str(st), "run", f"{base}/openapi.json", "--checks", "not_a_server_error"]
        command += ["--header", f"Authorization: Bearer {key}", "--seed", str(SEED)]
        command += ["--max-examples", str(EXAMPLES), "--max-time", str(MAX_SECONDS)]
        command += ["--request-timeout", "120", "--workers", "2", "--no-color"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=MAX_SECONDS + 600)
    print(done.stdout[-6000:])
    tail = log.read_text(errors="replace")[-6000:]
    assert done.returncode == 0, (
        f"{done.stdout[-8000:]}\n{done.stderr[-2000:]}\nserver log:\n{tail}"
    )
