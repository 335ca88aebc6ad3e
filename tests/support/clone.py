"""A user's copy of the repository, where the README's commands run as a user types them.

The copy holds what `make index` and `make run` read (the Makefile, pyproject.toml and the
corpus) and the project's own installed venv, linked as `.venv`: `make test` has installed it
already, and installing it again would only repeat that. HAVEN_* variables are dropped from the
commands' environment, so they run with the defaults a fresh clone has.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(sys.prefix)
INSTALLED = VENV / ".installed"  # the Makefile's stamp: `make install` has run in this venv
_MAKE_VARS = ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")


@dataclass(frozen=True)
class Clone:
    root: Path

    @property
    def haven(self) -> Path:
        return self.root / ".venv" / "bin" / "haven"

    @property
    def index_dir(self) -> Path:
        return self.root / "data" / "index"

    def current_build(self) -> str:
        """The build id `data/index/current` points at."""
        return Path(os.readlink(self.index_dir / "current")).name

    def env(self, **extra: str) -> dict[str, str]:
        """This process's environment as a user's shell has it: no HAVEN_* settings, and none of
        the variables an outer `make test` passes to the makes it starts."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("HAVEN_", *_MAKE_VARS))}
        return {**env, **extra}

    def run(
        self, *command: str, timeout: float = 3600, **env: str
    ) -> subprocess.CompletedProcess[str]:
        """A command in the copy's folder, its output captured."""
        return subprocess.run(
            list(command),
            cwd=self.root,
            env=self.env(**env),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def make(self, *targets: str, **env: str) -> subprocess.CompletedProcess[str]:
        return self.run("make", *targets, **env)

    def cli(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return self.run(str(self.haven), *args, **env)

    def copy_to(self, dest: Path) -> Clone:
        """Another copy with this one's data (index, keys, uploads), for a test that changes it."""
        shutil.copytree(self.root, dest, symlinks=True, dirs_exist_ok=True)
        return Clone(dest)


def make_clone(dest: Path) -> Clone:
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(ROOT / "corpus", dest / "corpus")
    (dest / ".venv").symlink_to(VENV, target_is_directory=True)
    # The venv is installed from this pyproject.toml: make must not reinstall it because the
    # copy's file is newer (an edit since `make install` would otherwise trigger that).
    stamp = INSTALLED.stat().st_mtime - 1
    os.utime(dest / "pyproject.toml", (stamp, stamp))
    return Clone(dest)


def makefile_venv() -> bool:
    """Whether the tests run from a venv the Makefile installed (as `make test` does); only
    then can a copy share it without `make` installing into it again."""
    return INSTALLED.exists()
