"""`haven serve --workers 2` as a deployment runs it, over a copy of the set-up path's index.

Each check reaches both worker processes (tests/support/served.py tells which worker answered):
a key revoked from the command line is refused by both; a document uploaded through one is found
from both; `haven ingest` run while the server answers a steady stream of requests moves both to
the new build, with no failed request; SIGTERM stops the supervisor and both workers cleanly.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import psutil
import pytest

from tests.support.clone import Clone
from tests.support.served import Served, free_port, serving

pytestmark = [pytest.mark.integration, pytest.mark.e2e]

WORKERS = 2
# One client address sends the steady stream below: per-address rate limits would refuse it.
# The clone's index is the starter (MiniLM) build. With MiniLM configured it is the index
# itself: no background e5 build competes with these tests, and `haven ingest` stays
# incremental.
SETTINGS = {
    "HAVEN_ACCESS__RATE_LIMIT_PER_IP": "0",
    "HAVEN_ACCESS__RATE_LIMIT_PER_KEY": "0",
    "HAVEN_EMBEDDING__BACKEND": "sentence-transformers",
}
UPLOAD = (
    "# Wombat night desk\n\n"
    "At the wombat night desk, staff greet every survivor by name, offer a blanket and tea, "
    "and call the duty caseworker before anything else. The wombat night desk keeps a quiet "
    "room ready at all hours and never asks for documents at the door.\n"
)
ADDED = (
    "# Numbat shelter rota\n\n"
    "The numbat shelter rota pairs a caseworker with an interpreter on every night shift, so a "
    "survivor who arrives after dark is heard in their own language. The numbat rota is posted "
    "at the front desk and reviewed every Monday.\n"
)
ADDED_FILE = "numbat-shelter-rota.md"
STREAM_SECONDS = 900  # the steady stream stops by itself at the latest after this
STREAM_REQUESTS = 20_000


@dataclass
class Deployment:
    clone: Clone
    served: Served
    pids: set[int]

    def key(self, name: str) -> tuple[str, str]:
        """A new API key from the command line: (id, key)."""
        created = self.clone.cli("keys", "create", name)
        assert created.returncode == 0, created.stderr
        key = created.stdout.strip()
        return key.split("_")[1], key

    def from_each(self, method: str, path: str, **kwargs: Any) -> dict[int, httpx.Response]:
        answers = self.served.from_each_worker(method, path, WORKERS, **kwargs)
        assert set(answers) == self.pids
        return answers


@pytest.fixture(scope="module")
def deployment(user_clone: Clone, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    clone = user_clone.copy_to(tmp_path_factory.mktemp("workers-clone"))
    port = free_port()
    command = [str(clone.haven), "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(WORKERS)]
    with serving(command, clone.root, clone.env(**SETTINGS), port) as served:
        ready = served.wait_ready(workers=WORKERS)
        pids = {p.pid for p in served.workers()}
        assert set(ready) == pids and len(pids) == WORKERS, served.log_tail()
        yield Deployment(clone, served, pids)


def test_a_revoked_key_is_refused_by_every_worker(deployment: Deployment) -> None:
    key_id, key = deployment.key("e2e-soon-revoked")
    auth = {"Authorization": f"Bearer {key}"}
    # Deleting a document that does not exist changes nothing: a key that passes gets 404.
    nothing = "/api/documents/no-such-upload"
    for response in deployment.from_each("DELETE", nothing, headers=auth).values():
        assert response.status_code == 404, response.text
    revoked = deployment.clone.cli("keys", "revoke", key_id)
    assert revoked.returncode == 0, revoked.stderr
    for response in deployment.from_each("DELETE", nothing, headers=auth).values():
        assert response.status_code == 403, response.text
        assert response.json()["type"].endswith("/key-revoked")


def test_an_upload_through_one_worker_is_found_from_every_worker(deployment: Deployment) -> None:
    _, key = deployment.key("e2e-uploader")
    pid, uploaded = deployment.served.send(
        "POST",
        "/api/documents",
        headers={"Authorization": f"Bearer {key}"},
        files={"file": ("Wombat night desk.md", UPLOAD.encode())},
        data={"title": "Wombat night desk"},
    )
    assert uploaded.status_code == 201, uploaded.text
    assert pid in deployment.pids
    doc_id, build_id = uploaded.json()["doc_id"], uploaded.json()["build_id"]
    for response in deployment.from_each("GET", "/ready").values():
        assert response.json()["build_id"] == build_id
    assert doc_id in _found_by_every_worker(deployment, "wombat")
    for response in deployment.from_each("GET", "/api/documents").values():
        listed = {d["doc_id"]: d["source"] for d in response.json()["documents"]}
        assert listed.get(doc_id) == "upload"


def _found_by_every_worker(deployment: Deployment, query: str) -> list[str]:
    """The documents a search finds: the same from every worker, as they search one index. (A
    one-word query: a short new document without hypothetical questions can rank below the
    corpus's passages for a longer one.)"""
    found = []
    for response in deployment.from_each("POST", "/api/search", json={"query": query}).values():
        assert response.status_code == 200, response.text
        found.append([(r["chunk_id"], r["doc_id"]) for r in response.json()["results"]])
    assert all(hits == found[0] for hits in found), found
    return [doc_id for _, doc_id in found[0]]


@dataclass(frozen=True)
class Reply:
    worker: int | None
    status: int | None
    build_id: str | None
    error: str | None = None


class SteadyStream:
    """Threads that send /ready and /api/search on new connections, one after another, until
    stopped (or STREAM_SECONDS / STREAM_REQUESTS at the latest), recording every reply."""

    def __init__(self, served: Served, threads: int = 2) -> None:
        self.served = served
        self.replies: list[Reply] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def __enter__(self) -> SteadyStream:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=180)

    def builds(self, worker: int) -> list[str]:
        with self._lock:
            return [r.build_id for r in self.replies if r.worker == worker and r.build_id]

    def _run(self) -> None:
        deadline = time.monotonic() + STREAM_SECONDS
        query = {"query": "numbat shelter rota interpreter", "k": 3}
        while not self._stop.is_set() and time.monotonic() < deadline:
            with self._lock:
                if len(self.replies) >= STREAM_REQUESTS:
                    return
            self._record("GET", "/ready")
            self._record("POST", "/api/search", json=query)

    def _record(self, method: str, path: str, **kwargs: Any) -> None:
        try:
            worker, response = self.served.send(method, path, **kwargs)
            build = response.json().get("build_id") if path == "/ready" else None
            reply = Reply(worker, response.status_code, build)
        except (httpx.HTTPError, AssertionError, ValueError) as exc:
            reply = Reply(None, None, None, f"{method} {path}: {exc!r}")
        with self._lock:
            self.replies.append(reply)


def test_ingest_while_serving_moves_every_worker_to_the_new_build(deployment: Deployment) -> None:
    clone = deployment.clone
    before = clone.current_build()
    (clone.root / "corpus" / ADDED_FILE).write_text(ADDED, encoding="utf-8")
    with SteadyStream(deployment.served) as stream:
        ingest = clone.cli("ingest", "corpus", "--quiet", **SETTINGS)
        assert ingest.returncode == 0, ingest.stderr
        after = clone.current_build()
        assert after != before
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not all(
            after in stream.builds(pid) for pid in deployment.pids
        ):
            time.sleep(0.2)
    failed = [r for r in stream.replies if r.error or r.status != 200]
    assert not failed, failed[:5]
    for pid in deployment.pids:
        builds = stream.builds(pid)
        assert before in builds and after in builds, f"worker {pid} answered from {set(builds)}"
        # Once a worker has answered from the new build, it never goes back.
        assert before not in builds[builds.index(after) :]
    assert "numbat-shelter-rota" in _found_by_every_worker(deployment, "numbat")
    for response in deployment.from_each("GET", "/api/documents").values():
        sources = {d["doc_id"]: d["source"] for d in response.json()["documents"]}
        assert sources.get("numbat-shelter-rota") == "corpus"
        assert "upload" in sources.values(), "haven ingest keeps the uploads"


def test_sigterm_stops_the_supervisor_and_every_worker(deployment: Deployment) -> None:
    workers = deployment.served.workers()
    assert deployment.served.stop() == 0
    log = deployment.served.log.read_text(errors="replace")
    assert log.count("Application shutdown complete.") == WORKERS
    assert "Traceback" not in log, log[-4000:]
    _, alive = psutil.wait_procs(workers, timeout=30)
    assert not alive
