"""API keys through the real app (real model, FAISS, SQLite, three handbooks) and the CLI."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from access.keys import InvalidKeyNameError, KeyStore, UnknownKeyError, parse_key_id
from api.app import create_app
from api.errors import PROBLEM_BASE
from cli.main import app as cli
from core.settings import Settings, get_settings
from tests.conftest import make_settings

pytestmark = pytest.mark.integration

WRITES = [
    ("POST", "/api/quiz", {"n": 2, "seed": 1}),
    ("PUT", "/api/quiz/nope", {"title": "x"}),
    ("DELETE", "/api/quiz/nope", None),
    ("PUT", "/api/quiz/nope/items/q1", {"question": "x?"}),
    ("DELETE", "/api/quiz/nope/items/q1", None),
]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, small_settings: Settings) -> Path:
    """A private data folder holding a copy of the small index, so keys stay per module."""
    folder = tmp_path_factory.mktemp("access-data")
    shutil.copytree(small_settings.index_dir, folder / "index", symlinks=True)
    return folder


def _client(data_dir: Path, small_settings: Settings, real_embedder, **access: object):
    settings = make_settings(data_dir, small_settings.corpus_dir, access=access)
    return TestClient(create_app(settings, embedder=real_embedder))


@pytest.fixture(scope="module")
def open_client(data_dir, small_settings, real_embedder) -> Iterator[TestClient]:
    with _client(data_dir, small_settings, real_embedder) as client:
        yield client


@pytest.fixture(scope="module")
def closed_client(data_dir, small_settings, real_embedder) -> Iterator[TestClient]:
    with _client(data_dir, small_settings, real_embedder, require_key_for_reads=True) as client:
        yield client


@pytest.fixture(scope="module")
def keys(data_dir: Path) -> Iterator[KeyStore]:
    store = KeyStore(make_settings(data_dir).keys_file)
    yield store
    store.close()


@pytest.fixture(scope="module")
def valid_key(keys: KeyStore) -> str:
    return keys.create("trainer")[1]


@pytest.fixture(scope="module")
def revoked_key(keys: KeyStore) -> str:
    record, key = keys.create("former trainer")
    keys.revoke(record.key_id)
    return key


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def assert_problem(response, status: int, slug: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == PROBLEM_BASE + slug


# ---------- reads ----------


def test_reads_are_open_by_default(open_client: TestClient, revoked_key: str) -> None:
    assert open_client.get("/api/documents").status_code == 200
    r = open_client.post("/api/search", json={"query": "interviewing a child", "k": 2})
    assert r.status_code == 200 and len(r.json()["results"]) == 2
    # Open reads ignore a key that does not check out (OpenAI clients always send one).
    for key in ("sk-no-key", "hvn_00000000_wrong", revoked_key):
        assert open_client.get("/api/documents", headers=bearer(key)).status_code == 200
    assert open_client.get("/api/quiz").status_code == 200


def test_reads_can_require_a_key(
    closed_client: TestClient, valid_key: str, revoked_key: str
) -> None:
    r = closed_client.get("/api/documents")
    assert_problem(r, 401, "unauthorized")
    assert r.headers["WWW-Authenticate"] == "Bearer"
    assert closed_client.get("/api/documents", headers=bearer(valid_key)).status_code == 200
    found = closed_client.post(
        "/api/search", json={"query": "referral", "k": 1}, headers=bearer(valid_key)
    )
    assert found.status_code == 200 and found.json()["results"]
    assert_problem(closed_client.get("/api/quiz", headers=bearer("sk-no-key")), 401, "unauthorized")
    assert_problem(
        closed_client.get("/api/documents", headers=bearer(revoked_key)), 403, "key-revoked"
    )
    # Probes and the page itself stay open.
    assert closed_client.get("/health").status_code == 200
    assert closed_client.get("/ready").status_code == 200
    assert closed_client.get("/").status_code == 200
    assert closed_client.get("/static/quiz.js").status_code == 200


# ---------- writes ----------


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_every_quiz_write_needs_a_key(
    open_client: TestClient, method: str, path: str, body: dict | None
) -> None:
    r = open_client.request(method, path, json=body)
    assert_problem(r, 401, "unauthorized")
    assert r.headers["WWW-Authenticate"] == "Bearer"
    assert "Authorization: Bearer" in r.json()["detail"]


@pytest.mark.parametrize(
    "header",
    ["Basic dXNlcjpwYXNz", "Bearer", "Bearer   ", "hvn_00000000_x", "Bearer not-a-haven-key"],
)
def test_malformed_authorization_is_401(open_client: TestClient, header: str) -> None:
    r = open_client.delete("/api/quiz/nope", headers={"Authorization": header})
    assert_problem(r, 401, "unauthorized")
    assert r.headers["WWW-Authenticate"] == "Bearer"


def test_wrong_secret_is_401_even_for_a_revoked_id(
    open_client: TestClient, valid_key: str, revoked_key: str
) -> None:
    for key in (valid_key, revoked_key):
        forged = key[: key.rindex("_") + 1] + "guessed"
        assert_problem(
            open_client.delete("/api/quiz/nope", headers=bearer(forged)), 401, "unauthorized"
        )


def test_revoked_key_is_403(open_client: TestClient, revoked_key: str) -> None:
    r = open_client.delete("/api/quiz/nope", headers=bearer(revoked_key))
    assert_problem(r, 403, "key-revoked")
    assert "WWW-Authenticate" not in r.headers


def test_valid_key_writes(open_client: TestClient, valid_key: str) -> None:
    # Past the guard, the route itself answers: 404 for a quiz that does not exist...
    assert_problem(
        open_client.delete("/api/quiz/nope", headers=bearer(valid_key)), 404, "unknown-quiz"
    )
    # ...and a real draft, edit and deletion go through.
    drafted = open_client.post(
        "/api/quiz", json={"n": 2, "seed": 1, "topic": "referral"}, headers=bearer(valid_key)
    )
    assert drafted.status_code == 201, drafted.text
    quiz_id = drafted.json()["quiz_id"]
    renamed = open_client.put(
        f"/api/quiz/{quiz_id}", json={"title": "Renamed"}, headers=bearer(valid_key)
    )
    assert renamed.status_code == 200 and renamed.json()["title"] == "Renamed"
    assert open_client.delete(f"/api/quiz/{quiz_id}").status_code == 401
    assert open_client.get(f"/api/quiz/{quiz_id}").status_code == 200
    assert open_client.delete(f"/api/quiz/{quiz_id}", headers=bearer(valid_key)).status_code == 204


def test_revocation_takes_effect_at_once(open_client: TestClient, keys: KeyStore) -> None:
    record, key = keys.create("short-lived")
    assert_problem(open_client.delete("/api/quiz/nope", headers=bearer(key)), 404, "unknown-quiz")
    keys.revoke(record.key_id)  # another connection, as `haven keys revoke` would be
    assert_problem(open_client.delete("/api/quiz/nope", headers=bearer(key)), 403, "key-revoked")


# ---------- the key store ----------


def test_keys_file_never_holds_the_key(data_dir: Path, keys: KeyStore) -> None:
    import hashlib

    record, key = keys.create("stored hashed")
    secret = key.split("_", 2)[2]
    files = sorted(data_dir.glob("keys.sqlite3*"))
    assert files, "no keys file"
    stored = b"".join(f.read_bytes() for f in files)
    assert hashlib.sha256(key.encode()).hexdigest().encode() in stored  # the test sees the data
    assert record.name.encode() in stored
    assert secret.encode() not in stored
    assert key.encode() not in stored


def test_every_generated_key_parses_and_checks(tmp_path: Path) -> None:
    # The secret is URL-safe base64 and so often contains "_" itself.
    store = KeyStore(tmp_path / "keys.sqlite3")
    try:
        for i in range(200):
            record, key = store.create(f"k{i}")
            assert parse_key_id(key) == record.key_id
            found, matches = store.check(key)
            assert found == record and matches
    finally:
        store.close()


def test_key_store_refuses_bad_names_and_unknown_ids(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.sqlite3")
    try:
        with pytest.raises(InvalidKeyNameError, match="1 to 100"):
            store.create("   ")
        with pytest.raises(UnknownKeyError):
            store.revoke("deadbeef")
        record, _ = store.create("  spaced   name ")
        assert record.name == "spaced name"
        first = store.revoke(record.key_id)
        assert store.revoke(record.key_id).revoked_at == first.revoked_at
    finally:
        store.close()


# ---------- the CLI ----------


@pytest.fixture()
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("HAVEN_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


def test_cli_create_list_revoke(cli_env: Path) -> None:
    runner = CliRunner()
    created = runner.invoke(cli, ["keys", "create", "trainer-anna"])
    assert created.exit_code == 0, created.output
    key = created.stdout.strip()
    assert parse_key_id(key) is not None and "\n" not in key
    assert "will not be shown again" in created.stderr

    as_json = runner.invoke(cli, ["keys", "create", "ci-bot", "--json"])
    assert as_json.exit_code == 0, as_json.output
    made = json.loads(as_json.stdout)
    assert set(made) == {"key_id", "name", "created_at", "revoked_at", "key"}
    assert made["name"] == "ci-bot" and made["key"].startswith(f"hvn_{made['key_id']}_")

    listed = runner.invoke(cli, ["keys", "list"])
    assert listed.exit_code == 0, listed.output
    assert "trainer-anna" in listed.stdout and made["key_id"] in listed.stdout
    assert key.split("_", 2)[2] not in listed.output
    assert made["key"].split("_", 2)[2] not in listed.output

    revoked = runner.invoke(cli, ["keys", "revoke", made["key_id"]])
    assert revoked.exit_code == 0, revoked.output
    assert f"revoked key {made['key_id']} (ci-bot)" in revoked.stdout
    rows = json.loads(runner.invoke(cli, ["keys", "list", "--json"]).stdout)
    by_id = {row["key_id"]: row for row in rows}
    assert [row["name"] for row in rows] == ["trainer-anna", "ci-bot"]
    assert by_id[made["key_id"]]["revoked_at"] is not None
    assert by_id[parse_key_id(key)]["revoked_at"] is None
    assert all("key" not in row for row in rows)

    store = KeyStore(cli_env / "keys.sqlite3")
    try:
        record, matches = store.check(key)
        assert record is not None and record.active and matches
        record, matches = store.check(made["key"])
        assert record is not None and not record.active and matches
    finally:
        store.close()


def test_cli_errors(cli_env: Path) -> None:
    runner = CliRunner()
    unknown = runner.invoke(cli, ["keys", "revoke", "deadbeef"])
    assert unknown.exit_code == 1
    assert "no API key with id 'deadbeef'" in unknown.stderr
    empty = runner.invoke(cli, ["keys", "create", " "])
    assert empty.exit_code == 1 and "1 to 100 characters" in empty.stderr
    assert "no API keys yet" in runner.invoke(cli, ["keys", "list"]).stdout
