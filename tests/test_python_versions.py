"""The supported Python versions, and scripts/find_python.sh, which picks one for the venv.

The script runs for real, against this test's own interpreter under other names on a PATH
made for each test; the supported range is one fact, checked to agree across pyproject, the
script and `haven doctor`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from cli.doctor import PYTHON_NEWEST, PYTHON_OLDEST

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "find_python.sh"
SH = shutil.which("sh") or "/bin/sh"


def _find(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": str(path), "HOME": os.environ.get("HOME", "/")}
    return subprocess.run(
        [SH, str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=60
    )


def _command(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(f"#!{SH}\n{body}\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A PATH folder with `cat` only (the script prints its help through it)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    cat = shutil.which("cat")
    assert cat
    (folder / "cat").symlink_to(cat)
    return folder


def _this_python(folder: Path, name: str, pythonpath: Path | None = None) -> Path:
    env = f"PYTHONPATH={pythonpath} " if pythonpath else ""
    return _command(folder, name, f'{env}exec "{sys.executable}" "$@"')


def test_the_supported_range_is_one_fact() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == (
        f">={PYTHON_OLDEST[0]}.{PYTHON_OLDEST[1]},<{PYTHON_NEWEST[0]}.{PYTHON_NEWEST[1] + 1}"
    )
    script = SCRIPT.read_text()
    assert f"MIN={PYTHON_OLDEST[1]}\n" in script
    assert f"MAX={PYTHON_NEWEST[1]}\n" in script
    assert PYTHON_OLDEST <= sys.version_info[:2] <= PYTHON_NEWEST, "tests run on a supported one"


def test_search_prefers_python311_then_the_next(path: Path) -> None:
    _this_python(path, "python3.13")
    _this_python(path, "python3.12")
    result = _find(path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(path / "python3.12")
    _this_python(path, "python3.11")
    assert _find(path).stdout.strip() == str(path / "python3.11")


def test_search_skips_what_does_not_run(path: Path) -> None:
    # A pyenv shim for a version that is not selected fails like this one.
    _command(path, "python3.11", "echo 'pyenv: python3.11: command not found' >&2; exit 127")
    _this_python(path, "python3")
    result = _find(path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(path / "python3")


def test_none_on_the_path_says_what_to_install(path: Path) -> None:
    _command(path, "python3", "exit 1")
    result = _find(path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Haven needs Python 3.11, 3.12 or 3.13" in result.stderr
    assert "apt-get install python3 python3-venv" in result.stderr
    assert "make run PYTHON=" in result.stderr


def test_an_explicit_python_wins(path: Path) -> None:
    _this_python(path, "python3.11")
    other = _this_python(path.parent, "my-python")
    result = _find(path, str(other))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(other)


def test_an_explicit_python_that_does_not_run_is_refused(path: Path) -> None:
    _this_python(path, "python3.11")
    result = _find(path, str(path / "python3.9"))
    assert result.returncode == 1
    assert result.stdout == ""
    assert "does not run" in result.stderr


def test_a_python_without_venv_says_which_package_adds_it(path: Path, tmp_path: Path) -> None:
    # Debian and Ubuntu ship ensurepip in a separate python3.X-venv package.
    stubs = tmp_path / "stubs" / "ensurepip"
    stubs.mkdir(parents=True)
    (stubs / "__init__.py").write_text("raise ImportError('ensurepip is not installed')\n")
    _this_python(path, "python3", pythonpath=stubs.parent)
    result = _find(path)
    assert result.returncode == 1
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert f"apt-get install python{version}-venv" in result.stderr


def test_make_stops_with_the_message_when_no_python_is_found(path: Path, tmp_path: Path) -> None:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    for tool in ("sh", "cat"):
        found = shutil.which(tool)
        assert found
        if not (path / tool).exists():
            (path / tool).symlink_to(found)
    venv = tmp_path / "venv"
    result = subprocess.run(
        [make, "-C", str(ROOT), f"VENV={venv}", f"{venv}/bin/python"],
        env={"PATH": str(path), "HOME": os.environ.get("HOME", "/")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Haven needs Python 3.11, 3.12 or 3.13" in result.stderr
    assert not venv.exists()


def test_makefile_installs_torch_through_the_script() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^TORCH_VERSION := 2\.13\.0$", makefile, re.M)
    install = makefile.split("$(VENV)/.installed:")[1].split("\n\n")[0]
    lines = [line.strip() for line in install.splitlines()[1:]]
    # Torch first, so nothing later resolves an unpinned (CUDA) torch.
    assert lines[0] == "scripts/install_torch.sh $(BIN) $(TORCH_VERSION)"
