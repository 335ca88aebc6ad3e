"""`haven translate` and `haven ask --lang` (fake embedder, tiny Argos package: fast)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from core.settings import get_settings
from tests.conftest import cli_environment
from translation.messages import NO_BACKEND


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    cli_environment(
        tmp_path,
        monkeypatch,
        "rso-child-victims-first-responders.txt",
        HAVEN_TRANSLATION__BACKENDS='["argos"]',
    )
    yield tmp_path
    get_settings.cache_clear()


def test_translate_install_list_and_text(env: Path, argos_models: dict[str, Path]) -> None:
    runner = CliRunner()
    done = runner.invoke(app, ["translate", "install", str(argos_models["es-en"])])
    assert done.exit_code == 0, done.output
    assert "installed es → en" in done.output
    assert (env / "data" / "models" / "argos" / "packages").is_dir()
    listed = runner.invoke(app, ["translate", "list", "--json"])
    info = json.loads(listed.output)
    assert info["backends"] == [{"name": "argos", "pairs": [{"source": "es", "target": "en"}]}]
    text = runner.invoke(app, ["translate", "text", "hola niño", "--to", "en", "--from", "es"])
    assert text.exit_code == 0 and text.output.strip()
    missing = runner.invoke(app, ["translate", "text", "hello", "--to", "th", "--from", "en"])
    assert missing.exit_code == 1
    bad = runner.invoke(app, ["translate", "install", str(env / "nope.argosmodel")])
    assert bad.exit_code == 1 and "no such file" in bad.output


def test_ask_with_lang_and_no_backend(env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", "-q"]).exit_code == 0
    asked = runner.invoke(app, ["ask", "What immediate needs?", "--lang", "km", "--json"])
    assert asked.exit_code == 0, asked.output
    body = json.loads(asked.output)
    assert (body["lang"], body["answer_lang"]) == ("km", "en")
    assert NO_BACKEND["km"] in body["notes"]
