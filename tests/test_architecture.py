"""The layering and the absence of import cycles (docs/architecture.md), checked by import-linter
here as well as in `make lint`, so CI's `make test` catches a domain module importing the web
layer or a new cycle."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _lint_imports() -> str | None:
    beside = Path(sys.executable).parent / "lint-imports"
    return str(beside) if beside.exists() else shutil.which("lint-imports")


def test_import_contracts_are_kept() -> None:
    binary = _lint_imports()
    if binary is None:
        pytest.skip("import-linter is not installed (pip install import-linter)")
    done = subprocess.run(
        [binary, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
