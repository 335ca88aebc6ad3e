"""Uploading, replacing and deleting documents through the real app: the real model, FAISS,
SQLite and IndexBuilder, on a two-handbook corpus. Every refusal must leave the index and the
uploads folder exactly as they were."""

from __future__ import annotations

import io
import shutil
import sys
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from fpdf import FPDF

from access.keys import KeyStore
from core.settings import Settings
from index.background import BackgroundBuild
from index.layout import IndexLayout
from tests.conftest import CORPUS, cached_build, make_settings

pytestmark = pytest.mark.integration

CORPUS_FILES = ("iom-ilo-migration-officers-leaflet.md", "rso-child-victims-first-responders.txt")
CORPUS_IDS = {"iom-ilo-migration-leaflet", "rso-first-responders"}
MAX_UPLOAD = 100_000
MAX_PAGES = 5


@dataclass
class Env:
    client: TestClient
    settings: Settings
    keys: KeyStore
    key: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def upload(
        self, name: str, content: bytes, headers: dict[str, str] | None = None, **form: str
    ) -> Any:
        return self.client.post(
            "/api/documents",
            files={"file": (name, content)},
            data=form,
            headers=self.auth if headers is None else headers,
        )

    def delete(self, doc_id: str, headers: dict[str, str] | None = None) -> Any:
        return self.client.delete(
            f"/api/documents/{doc_id}", headers=self.auth if headers is None else headers
        )

    def search(self, query: str, k: int = 5) -> list[dict[str, Any]]:
        r = self.client.post("/api/search", json={"query": query, "k": k})
        assert r.status_code == 200, r.text
        results: list[dict[str, Any]] = r.json()["results"]
        return results

    def documents(self) -> dict[str, dict[str, Any]]:
        r = self.client.get("/api/documents")
        assert r.status_code == 200, r.text
        return {d["doc_id"]: d for d in r.json()["documents"]}

    def snapshot(self) -> tuple[Any, ...]:
        """The current build, the documents served, and the uploads folder's contents."""
        build = IndexLayout(self.settings.index_dir).current()
        uploads = self.settings.uploads_dir
        files = {}
        if uploads.exists():
            files = {
                p.name: p.read_bytes() for p in uploads.iterdir() if not p.name.startswith(".")
            }
        return (
            build.root.name if build else None,
            sorted((d, doc["chunk_count"], doc["title"]) for d, doc in self.documents().items()),
            files,
            # The uploads folder may appear (its lock); what it holds is compared above.
            sorted(p.name for p in self.settings.data_dir.iterdir() if p.name != "uploads"),
        )

    def assert_no_leftovers(self) -> None:
        staging = self.settings.uploads_dir / ".staging"
        assert not staging.exists() or not any(staging.iterdir())
        if self.settings.uploads_dir.exists():
            hidden = {p.name for p in self.settings.uploads_dir.iterdir() if p.name[0] == "."}
            assert hidden <= {".lock", ".staging"}


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, real_embedder: Any) -> Iterator[Env]:
    from api.app import create_app

    corpus = tmp_path_factory.mktemp("docs-corpus")
    for name in CORPUS_FILES:
        shutil.copy(CORPUS / name, corpus / name)
    settings = make_settings(
        tmp_path_factory.mktemp("docs-data"),
        corpus,
        documents={"max_upload_bytes": MAX_UPLOAD, "max_pages": MAX_PAGES},
    )
    cached_build(settings, real_embedder, [corpus])  # built once, then reused across runs
    keys = KeyStore(settings.keys_file)
    _, key = keys.create("test")
    with TestClient(create_app(settings, embedder=real_embedder)) as client:
        yield Env(client, settings, keys, key)
    keys.close()


@pytest.fixture()
def clean(env: Env) -> Iterator[Env]:
    """Each test starts and ends with only the corpus indexed."""
    yield env
    for doc_id, doc in env.documents().items():
        if doc["source"] == "upload":
            assert env.delete(doc_id).status_code == 204
    assert set(env.documents()) == CORPUS_IDS


def pdf_bytes(pages: list[str], encrypt: bool = False, image_only: bool = False) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        if image_only:
            pdf.rect(20, 20, 80, 60, style="F")
        else:
            pdf.multi_cell(0, 8, text)
    if encrypt:
        pdf.set_encryption(owner_password="owner", user_password="secret")
    return bytes(pdf.output())


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("guide.txt", "Words inside an archive.")
    return buffer.getvalue()


QUOKKA = (
    "# Quokka protocol for night shelters\n\n"
    "## Arrival at night\n\n"
    "Under the quokka protocol, a survivor who arrives at the night shelter is offered a "
    "quiet room, water, food and a trusted caseworker before any interview takes place. "
    "Staff explain the quokka protocol in the survivor's own language and never ask for "
    "documents at the door.\n\n"
    "## Referral\n\n"
    "The caseworker refers the survivor to medical care and legal advice the next morning, "
    "and records consent for every referral made under the quokka protocol.\n"
)
WOMBAT = "Wombat version. " + "The wombat checklist says to lock the shelter gate at dusk. " * 6
NUMBAT = "Numbat version. " + "The numbat checklist says to call the caseworker at dawn. " * 6


def test_upload_is_searchable_cited_with_its_title_and_deletable(clean: Env) -> None:
    env = clean
    before = env.snapshot()
    r = env.upload(
        "Quokka Protocol.md",
        QUOKKA.encode(),
        title="Night shelter quokka protocol",
        publisher="Test NGO",
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["result"] == "created"
    assert body["doc_id"] == "quokka-protocol"
    assert body["file"] == "quokka-protocol.md"
    assert body["title"] == "Night shelter quokka protocol"
    assert body["publisher"] == "Test NGO"
    assert body["source"] == "upload"
    assert body["language"] == "en"
    assert body["chunk_count"] >= 1
    assert body["build_id"] != before[0]
    assert body["seconds"] > 0
    assert (env.settings.uploads_dir / "quokka-protocol.md").read_bytes() == QUOKKA.encode()

    hits = env.search("quokka protocol quiet room night shelter")
    assert hits[0]["doc_id"] == "quokka-protocol"
    assert hits[0]["title"] == "Night shelter quokka protocol"
    listed = env.documents()
    assert listed["quokka-protocol"]["source"] == "upload"
    assert all(listed[d]["source"] == "corpus" for d in CORPUS_IDS)
    # Without a language model an upload has no hypothetical questions, and says so.
    upload = listed["quokka-protocol"]
    assert upload["enriched"] is False and upload["enriched_passages"] == 0
    assert upload["content_passages"] >= 1

    asked = env.client.post(
        "/api/ask",
        json={
            "question": "What does the quokka protocol offer a survivor who "
            "arrives at the night shelter?"
        },
    )
    assert asked.status_code == 200, asked.text
    titles = {c["title"] for c in asked.json()["citations"]}
    assert "Night shelter quokka protocol" in titles

    r = env.delete("quokka-protocol")
    assert r.status_code == 204, r.text
    assert r.content == b""
    assert "quokka-protocol" not in env.documents()
    assert all(h["doc_id"] != "quokka-protocol" for h in env.search("quokka protocol", k=10))
    assert not (env.settings.uploads_dir / "quokka-protocol.md").exists()
    assert env.snapshot()[1] == before[1]
    env.assert_no_leftovers()


def test_replace_swaps_old_text_for_new_and_same_bytes_are_unchanged(clean: Env) -> None:
    env = clean
    first = env.upload("checklist.txt", WOMBAT.encode(), title="Shelter checklist")
    assert first.status_code == 201, first.text
    assert env.search("wombat checklist gate dusk")[0]["doc_id"] == "checklist"

    second = env.upload("checklist.txt", NUMBAT.encode())
    assert second.status_code == 200, second.text
    assert second.json()["result"] == "replaced"
    assert second.json()["title"] == "Shelter checklist"  # kept from the first version
    assert second.json()["build_id"] != first.json()["build_id"]
    assert env.search("numbat checklist caseworker dawn")[0]["doc_id"] == "checklist"
    for hit in env.search("wombat gate dusk", k=20):
        assert "wombat" not in hit["text"].lower()

    build = IndexLayout(env.settings.index_dir).current()
    again = env.upload("checklist.txt", NUMBAT.encode())
    assert again.status_code == 200, again.text
    assert again.json()["result"] == "unchanged"
    assert again.json()["build_id"] == second.json()["build_id"]
    assert IndexLayout(env.settings.index_dir).current() == build  # nothing was rebuilt

    retitled = env.upload("checklist.txt", NUMBAT.encode(), title="Dawn checklist")
    assert retitled.status_code == 200
    assert retitled.json()["result"] == "replaced"
    assert env.documents()["checklist"]["title"] == "Dawn checklist"
    assert env.search("numbat checklist caseworker dawn")[0]["title"] == "Dawn checklist"


def test_pdf_and_page_marked_text_keep_their_pages(clean: Env) -> None:
    env = clean
    pdf = pdf_bytes(
        [
            "Kiwi guidance, first page. The first page says nothing about the subject.",
            "Kiwi guidance, second page. The kiwi hotline answers survivors every night of the "
            "week and arranges safe transport to the kiwi shelter.",
        ]
    )
    r = env.upload("kiwi-guide.pdf", pdf, title="Kiwi guidance")
    assert r.status_code == 201, r.text
    assert r.json()["pages"] == "pdf"
    hit = env.search("kiwi hotline safe transport")[0]
    assert hit["doc_id"] == "kiwi-guide"
    assert hit["page_start"] <= 2 <= hit["page_end"]

    marked = (
        "Emu handbook, cover page.\n"
        " Emu handbook page two: the emu hotline is for survivors of labour exploitation and "
        "answers in twelve languages.\n"
        " Emu handbook page three: the emu referral form goes to the regional coordinator.\n"
    )
    r = env.upload("emu.txt", marked.encode(), pages="space-marker")
    assert r.status_code == 201, r.text
    assert r.json()["pages"] == "space-marker"
    assert r.json()["title"] == "Emu"
    hit = env.search("emu referral form regional coordinator")[0]
    assert hit["doc_id"] == "emu"
    assert hit["page_start"] is not None


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\x.md", "x.md"),
        ("/etc/absolute.txt", "absolute.txt"),
        ("C:\\Windows\\System32\\evil.md", "evil.md"),
        ("..", None),
    ],
)
def test_path_traversal_names_are_stored_inside_uploads(
    clean: Env, name: str, stored: str | None
) -> None:
    env = clean
    r = env.upload(name, ("Traversal test document. " * 20).encode())
    assert r.status_code == 201, r.text
    file = r.json()["file"]
    if stored is not None:
        assert file == stored
    path = env.settings.uploads_dir / file
    assert path.is_file()
    assert path.resolve().parent == env.settings.uploads_dir.resolve()
    root = env.settings.data_dir.parent
    assert not (root / "etc").exists() and not (root / "x.md").exists()
    assert not Path("/etc/absolute.txt").exists()
    env.assert_no_leftovers()


def test_corpus_documents_cannot_be_deleted_or_shadowed(env: Env) -> None:
    before = env.snapshot()
    r = env.delete("rso-first-responders")
    assert r.status_code == 409
    assert r.headers["content-type"] == "application/problem+json"
    detail = r.json()["detail"]
    assert "corpus folder" in detail and "haven ingest" in detail

    r = env.upload("rso-child-victims-first-responders.txt", b"A file with a corpus name. " * 9)
    assert r.status_code == 409, r.text
    r = env.upload("rso-first-responders.md", b"# A file with a corpus id\n\nWords. " * 9)
    assert r.status_code == 409, r.text
    assert env.snapshot() == before

    r = env.delete("no-such-document")
    assert r.status_code == 404
    assert r.json()["type"].endswith("/unknown-document")


def test_writes_need_a_valid_unrevoked_key(env: Env) -> None:
    before = env.snapshot()
    content = b"Words for an unauthorised upload. " * 10
    r = env.upload("noauth.txt", content, headers={})
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    assert env.delete("rso-first-responders", headers={}).status_code == 401
    bad = {"Authorization": "Bearer hvn_nope_nope"}
    assert env.upload("noauth.txt", content, headers=bad).status_code == 401

    record, revoked = env.keys.create("revoked")
    env.keys.revoke(record.key_id)
    gone = {"Authorization": f"Bearer {revoked}"}
    r = env.upload("noauth.txt", content, headers=gone)
    assert r.status_code == 403
    assert r.json()["type"].endswith("/key-revoked")
    assert env.delete("rso-first-responders", headers=gone).status_code == 403
    assert env.snapshot() == before
    env.assert_no_leftovers()


REFUSALS = [
    ("just-over.txt", b"x" * (MAX_UPLOAD + 1), 413, "upload limit"),
    ("way-over.txt", b"y" * (3 * MAX_UPLOAD), 413, "limit"),
    ("scan.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, 415, "PNG image"),
    ("guide.zip", zip_bytes(), 415, "ZIP archive"),
    ("guide.txt", zip_bytes(), 415, "ZIP archive"),
    ("broken.pdf", b"%PDF-1.4\n1 0 obj garbage", 422, "damaged"),
    ("locked.pdf", pdf_bytes(["A secret handbook page."], encrypt=True), 422, "encrypted"),
    ("scanned.pdf", pdf_bytes(["x"], image_only=True), 422, "OCR"),
    ("long.pdf", pdf_bytes([f"Page {n} words." for n in range(MAX_PAGES + 1)]), 422, "pages"),
    ("empty.txt", b"", 422, "empty"),
    ("empty.pdf", b"", 422, "empty"),
    ("blank.md", b"  \n\n \t\n", 422, "whitespace"),
    ("latin1.txt", "Caf\xe9 cr\xe8me, na\xefve r\xe9sum\xe9. ".encode("latin-1") * 9, 422, "UTF-8"),
    ("utf16.txt", "A handbook saved as UTF-16. ".encode("utf-16") * 5, 422, "UTF-8"),
]


@pytest.mark.parametrize(("name", "content", "status", "says"), REFUSALS)
def test_refusals_leave_index_and_uploads_unchanged(
    env: Env, name: str, content: bytes, status: int, says: str
) -> None:
    before = env.snapshot()
    r = env.upload(name, content)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert says.lower() in r.json()["detail"].lower()
    assert env.snapshot() == before
    env.assert_no_leftovers()


def test_changes_are_refused_with_retry_after_while_a_background_build_runs(env: Env) -> None:
    """After a first start the configured model's index is built in the background
    (index/background.py); a change would wait minutes behind it, so it is refused at once."""
    before = env.snapshot()
    script = "import sys, time; time.sleep(float(sys.argv[1]))"
    build = BackgroundBuild(env.settings, [sys.executable, "-c", script, "120", "ingest"])
    build.start()
    try:
        r = env.upload("wombat.md", b"# Wombat rota\n\nThe wombat rota pairs two caseworkers.\n")
        assert r.status_code == 503, r.text
        assert r.headers["retry-after"] == "60"
        assert "rebuilt" in r.json()["detail"] and "nothing was stored" in r.json()["detail"]
    finally:
        build.stop()
    assert env.snapshot()[:3] == before[:3]  # the same build, documents and files (and a log)
    env.assert_no_leftovers()


def test_refused_replacement_keeps_the_previous_version(clean: Env) -> None:
    env = clean
    assert env.upload("checklist.txt", WOMBAT.encode()).status_code == 201
    before = env.snapshot()
    r = env.upload("checklist.txt", "Caf\xe9 ".encode("latin-1") * 40)
    assert r.status_code == 422
    assert env.snapshot() == before
    assert env.search("wombat checklist gate dusk")[0]["doc_id"] == "checklist"
    env.assert_no_leftovers()


def test_failed_build_restores_the_previous_file(
    clean: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = clean
    assert env.upload("checklist.txt", WOMBAT.encode()).status_code == 201
    before = env.snapshot()

    def broken_build(self: Any, paths: Any) -> Any:
        raise OSError("disk full")

    monkeypatch.setattr("index.builder.IndexBuilder.build", broken_build)
    r = env.upload("checklist.txt", NUMBAT.encode())
    assert r.status_code == 500
    assert "previous index is still in use" in r.json()["detail"]
    r = env.upload("new-one.md", b"# New\n\nA brand new document about owls. " * 5)
    assert r.status_code == 500
    assert env.delete("checklist").status_code == 500
    monkeypatch.undo()

    assert env.snapshot() == before
    assert (env.settings.uploads_dir / "checklist.txt").read_bytes() == WOMBAT.encode()
    assert env.search("wombat checklist gate dusk")[0]["doc_id"] == "checklist"
    env.assert_no_leftovers()


def test_service_answers_from_the_previous_index_during_a_build(
    clean: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.builder import IndexBuilder

    env = clean
    started, release = threading.Event(), threading.Event()
    real_build = IndexBuilder.build

    def slow_build(self: IndexBuilder, paths: Any) -> Any:
        started.set()
        assert release.wait(60)
        return real_build(self, paths)

    monkeypatch.setattr(IndexBuilder, "build", slow_build)
    results: list[Any] = []
    worker = threading.Thread(
        target=lambda: results.append(env.upload("checklist.txt", WOMBAT.encode()))
    )
    worker.start()
    try:
        assert started.wait(60)
        assert "checklist" not in env.documents()
        assert env.search("child victim first contact")[0]["doc_id"] in CORPUS_IDS
    finally:
        release.set()
        worker.join(120)
    assert results and results[0].status_code == 201, results
    assert "checklist" in env.documents()


def test_concurrent_uploads_are_serialised_and_both_indexed(clean: Env) -> None:
    env = clean
    outcomes: list[Any] = []

    def upload(name: str, text: str) -> None:
        try:
            response = env.upload(name, text.encode())
            outcomes.append((response.status_code, response.text))
        except Exception as exc:  # seen by the assertion below, not lost in the thread
            outcomes.append((None, repr(exc)))

    threads = [
        threading.Thread(target=upload, args=item)
        for item in (("wombat.txt", WOMBAT), ("numbat.txt", NUMBAT))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert sorted(status for status, _ in outcomes) == [201, 201], outcomes
    assert {"wombat", "numbat"} <= set(env.documents())
    numbat = env.search("numbat checklist caseworker dawn")
    assert numbat[0]["doc_id"] == "numbat", [(h["doc_id"], h["score"]) for h in numbat]
    wombat = env.search("wombat checklist gate dusk")
    assert wombat[0]["doc_id"] == "wombat", [(h["doc_id"], h["score"]) for h in wombat]


def test_invalid_forms_are_422(env: Env) -> None:
    before = env.snapshot()
    missing = env.client.post("/api/documents", data={"title": "No file"}, headers=env.auth)
    assert missing.status_code == 422
    assert missing.json()["type"].endswith("/invalid-request")
    long_title = env.upload("fine.txt", b"Fine words. " * 20, title="t" * 301)
    assert long_title.status_code == 422
    bad_pages = env.upload("fine.txt", b"Fine words. " * 20, pages="every-line")
    assert bad_pages.status_code == 422
    assert env.snapshot() == before
    env.assert_no_leftovers()


def test_streamed_upload_over_the_limit_is_413(env: Env) -> None:
    """Without Content-Length (chunked), the body limit still answers 413, not a parse error."""
    before = env.snapshot()
    boundary = "hvnboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n'
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
        + b"word " * MAX_UPLOAD
        + f"\r\n--{boundary}--\r\n".encode()
    )

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 16_384):
            yield body[start : start + 16_384]

    r = env.client.post(
        "/api/documents",
        content=chunks(),
        headers={**env.auth, "content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert r.status_code == 413, r.text
    assert r.json()["type"].endswith("/too-large")
    assert env.snapshot() == before
    env.assert_no_leftovers()
