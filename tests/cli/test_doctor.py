"""`haven doctor`: a line per check with ok/warn/fail and what to do; exit code 1 on a failure."""

from __future__ import annotations

import json
import re
import shutil
import threading
import tomllib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.doctor import Check, expected_embedder_name, render_text, run_checks
from cli.main import app
from core.settings import Settings, get_settings
from index.e5_embedder import E5Embedder, e5_available
from tests.conftest import CORPUS


@pytest.fixture()
def env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.delenv("HAVEN_GENERATOR__BASE_URL", raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def _doctor(*args: str) -> tuple[int, str]:
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["doctor", *args])
    return result.exit_code, result.output


def _line(output: str, name: str) -> str:
    """The line of one check: status, the name padded to the longest, then the detail."""
    found = [line for line in output.splitlines() if re.split(r" {2,}", line)[1:2] == [name]]
    assert len(found) == 1, f"no single {name!r} line in:\n{output}"
    return found[0]


def _write_catalog(path: Path, files: list[str]) -> None:
    """The shipped catalog's entries for these files only."""
    entries = tomllib.loads((CORPUS / "catalog.toml").read_text(encoding="utf-8"))["documents"]
    blocks = [
        "[[documents]]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in e.items())
        for e in entries
        if e["file"] in files
    ]
    path.write_text("\n".join(blocks), encoding="utf-8")


@pytest.fixture()
def healthy(
    tmp_path: Path, env: pytest.MonkeyPatch, small_settings: Settings, small_corpus: Path
) -> Path:
    """A copy of the real small index, its corpus, and a catalog listing exactly those files."""
    corpus = tmp_path / "corpus"
    shutil.copytree(small_corpus, corpus)
    _write_catalog(corpus / "catalog.toml", [p.name for p in corpus.iterdir()])
    shutil.copytree(small_settings.index_dir, tmp_path / "data" / "index", symlinks=True)
    env.setenv("HAVEN_DATA_DIR", str(tmp_path / "data"))
    env.setenv("HAVEN_CORPUS_DIR", str(corpus))
    env.setenv("HAVEN_CATALOG_FILE", str(corpus / "catalog.toml"))
    # The index was built with MiniLM; configured so, it is current (with e5 configured it is
    # a starter build, tests/index/test_starter_index.py).
    env.setenv("HAVEN_EMBEDDING__BACKEND", "sentence-transformers")
    return tmp_path


# -- fast: no index, no model ------------------------------------------------------------------


def test_missing_index_fails_and_says_to_ingest(tmp_path: Path, env: pytest.MonkeyPatch) -> None:
    env.setenv("HAVEN_DATA_DIR", str(tmp_path / "data"))
    env.setenv("HAVEN_CORPUS_DIR", str(CORPUS))
    code, output = _doctor()
    assert code == 1
    line = _line(output, "index")
    assert line.startswith("fail")
    assert "haven ingest" in line
    assert _line(output, "python").startswith("ok")
    assert _line(output, "packages").startswith("ok")
    assert not (tmp_path / "data").exists(), "doctor must not change the disk"


def test_missing_apertium_warns_but_does_not_fail(tmp_path: Path, env: pytest.MonkeyPatch) -> None:
    env.setenv("HAVEN_DATA_DIR", str(tmp_path))
    env.setenv("HAVEN_TRANSLATION__APERTIUM_BINARY", str(tmp_path / "no-apertium"))
    line = _line(_doctor()[1], "apertium")
    assert line.startswith("warn")
    assert "apt-get install apertium" in line


def test_closed_reads_without_a_key_fail(tmp_path: Path, env: pytest.MonkeyPatch) -> None:
    env.setenv("HAVEN_DATA_DIR", str(tmp_path))
    env.setenv("HAVEN_ACCESS__REQUIRE_KEY_FOR_READS", "true")
    line = _line(_doctor()[1], "api keys")
    assert line.startswith("fail") and "haven keys create" in line


def test_generator_reachability(tmp_path: Path) -> None:
    def generator(base_url: str, model: str = "llama3.1:8b") -> Check:
        settings = Settings(data_dir=tmp_path, generator={"base_url": base_url, "model": model})
        return next(c for c in run_checks(settings) if c.name == "generator")

    with ModelsServer(["llama3.1:8b"]) as url:
        assert generator(url).status == "ok"
        missing = generator(url, "mistral:7b")
        assert missing.status == "warn" and "mistral:7b" in missing.fix
    closed = generator(url)  # the server has stopped
    assert closed.status == "warn" and "unreachable" in closed.detail


def test_one_line_per_check_with_what_to_do() -> None:
    text = render_text(
        [Check("index", "fail", "No index", "run `haven ingest`"), Check("python", "ok", "3.11")]
    )
    lines = text.splitlines()
    assert lines[0] == "fail  index   No index → run `haven ingest`"
    assert lines[1] == "ok    python  3.11"
    assert lines[2].startswith("fail: 1 failed, 0 warnings")


# -- a real index --------------------------------------------------------------------------------


@pytest.mark.integration
def test_healthy_setup_exits_0(healthy: Path) -> None:
    code, output = _doctor()
    assert code == 0, output
    for name in ("index", "corpus", "catalog", "index freshness", "embedding model", "data dir"):
        assert _line(output, name).startswith("ok"), output
    assert "3 documents" in _line(output, "index")
    assert not any(line.startswith("fail") for line in output.splitlines())


@pytest.mark.integration
def test_json_report(healthy: Path) -> None:
    code, output = _doctor("--json")
    report = json.loads(output)
    assert code == report["exit_code"] == 0
    assert report["status"] in ("ok", "warn")
    checks = {c["name"]: c for c in report["checks"]}
    assert checks["index"]["status"] == "ok"
    assert set(checks["index"]) == {"name", "status", "detail", "fix"}
    assert {"python", "packages", "torch", "apertium", "argos", "api keys"} <= set(checks)


@pytest.mark.integration
def test_index_built_with_other_settings_fails(healthy: Path, env: pytest.MonkeyPatch) -> None:
    env.setenv("HAVEN_CHUNKING__TARGET_WORDS", "60")
    code, output = _doctor()
    assert code == 1
    line = _line(output, "index")
    assert line.startswith("fail") and "chunker" in line and "haven ingest" in line


@pytest.mark.integration
def test_uncatalogued_and_unindexed_file_warns(healthy: Path) -> None:
    shutil.copy(CORPUS / "asean-do-no-harm-guide.txt", healthy / "corpus" / "extra-guide.txt")
    code, output = _doctor()
    assert code == 0, output
    catalog = _line(output, "catalog")
    assert catalog.startswith("warn") and "extra-guide.txt" in catalog
    freshness = _line(output, "index freshness")
    assert freshness.startswith("warn") and "extra-guide.txt" in freshness
    assert "haven ingest" in freshness


@pytest.mark.integration
def test_deep_loads_the_model_and_opens_the_index(healthy: Path) -> None:
    code, output = _doctor("--deep")
    assert code == 0, output
    model = _line(output, "embedding model")
    assert model.startswith("ok") and "embedded a sentence (384 dims" in model
    assert _line(output, "index").startswith("ok")


@pytest.mark.integration
def test_expected_embedder_name_is_the_real_one(real_embedder: object, tmp_path: Path) -> None:
    minilm = real_embedder.name  # type: ignore[attr-defined]
    settings = Settings(data_dir=tmp_path, embedding={"backend": "sentence-transformers"})
    assert expected_embedder_name(settings) == minilm
    e5 = Settings(data_dir=tmp_path, embedding={"backend": "e5", "model": "/models/e5.bin"})
    assert expected_embedder_name(e5, "sentence-transformers") == minilm  # the starter's
    if e5_available():
        assert expected_embedder_name(Settings(data_dir=tmp_path)) == E5Embedder().name


# -- a stand-in OpenAI-compatible endpoint on 127.0.0.1 ----------------------------------------


class _Models(BaseHTTPRequestHandler):
    models: tuple[str, ...] = ()

    def do_GET(self) -> None:
        body = json.dumps({"data": [{"id": m} for m in self.models]}).encode()
        self.send_response(200 if self.path.endswith("/models") else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class ModelsServer:
    def __init__(self, models: list[str]) -> None:
        handler = type("Handler", (_Models,), {"models": tuple(models)})
        self.server = HTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        return f"http://127.0.0.1:{self.server.server_port}/v1"

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
