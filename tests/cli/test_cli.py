"""The `haven` command line, end to end on a small corpus (fake embedder: fast)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import EXIT_SKIPPED, app
from core.settings import get_settings
from tests.conftest import cli_environment


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield cli_environment(tmp_path, monkeypatch, "rso-child-victims-first-responders.txt")
    get_settings.cache_clear()


def test_ingest_search_ask(env: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", "-q"])
    assert first.exit_code == 0, first.output
    assert "added 1" in first.output
    again = runner.invoke(app, ["ingest", "-q"])
    assert "up to date" in again.output
    found = runner.invoke(app, ["search", "water food shelter clothing", "--json", "-k", "2"])
    assert found.exit_code == 0, found.output
    body = json.loads(found.output)
    assert len(body["results"]) == 2
    assert body["results"][0]["doc_id"] == "rso-first-responders"
    text = runner.invoke(app, ["search", "interview", "-k", "1"])
    assert "[1] Guide for first responders" in text.output
    asked = runner.invoke(app, ["ask", "What immediate needs should I attend to?", "--json"])
    assert asked.exit_code == 0, asked.output
    assert set(json.loads(asked.output)) >= {"answer", "answered", "citations", "notes"}


def test_skipped_file_sets_exit_code(env: Path) -> None:
    (env / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    result = CliRunner().invoke(app, ["ingest", "-q"])
    assert result.exit_code == EXIT_SKIPPED
    assert "broken.pdf" in result.output


def test_search_without_index_says_so(env: Path) -> None:
    result = CliRunner().invoke(app, ["search", "child"])
    assert result.exit_code != 0
    assert "haven ingest" in result.output
