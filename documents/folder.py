"""The uploads folder on disk: its lock, a private staging area and undoable file moves.

Staging lives in `<uploads>/.staging`, which ingest never reads (hidden), and on the same file
system, so moving a checked file into place is one atomic rename.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

STAGING = ".staging"
LOCK = ".lock"


class UploadFolder:
    def __init__(self, root: Path) -> None:
        self.root = root

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """One change at a time, across threads and worker processes (flock is per open file,
        so two threads of one process exclude each other too)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / LOCK).open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def staging(self) -> Iterator[Path]:
        """A fresh private folder for one request, removed with whatever is left in it."""
        base = self.root / STAGING
        base.mkdir(parents=True, exist_ok=True)
        path = Path(tempfile.mkdtemp(dir=base))
        try:
            yield path
        finally:
            shutil.rmtree(path, ignore_errors=True)

    def path_of(self, name: str) -> Path:
        """The stored file's path; refuses any name that would land outside the folder."""
        if name in ("", ".", "..") or "/" in name or "\\" in name or "\0" in name:
            raise ValueError(f"unsafe stored name {name!r}")
        return self.root / name


class FileSwap:
    """Moves files into and out of the uploads folder and can put every one of them back."""

    def __init__(self, folder: UploadFolder, backup_dir: Path) -> None:
        self.folder = folder
        self.backup_dir = backup_dir
        self._placed: list[Path] = []
        self._removed: list[tuple[Path, Path]] = []

    def remove(self, name: str) -> None:
        target = self.folder.path_of(name)
        if target.exists():
            backup = self._backup_path(target)
            os.replace(target, backup)
            self._removed.append((backup, target))

    def place(self, source: Path, name: str) -> Path:
        """Move `source` in as `name`; an old file of that name is kept (hard-linked) for undo,
        so the name never goes missing in between."""
        target = self.folder.path_of(name)
        if target.exists():
            backup = self._backup_path(target)
            os.link(target, backup)
            self._removed.append((backup, target))
        os.replace(source, target)
        self._placed.append(target)
        return target

    def _backup_path(self, target: Path) -> Path:
        self.backup_dir.mkdir(parents=True, exist_ok=True)
        return self.backup_dir / target.name

    def undo(self) -> None:
        for placed in reversed(self._placed):
            placed.unlink(missing_ok=True)
        for backup, target in reversed(self._removed):
            os.replace(backup, target)
        self._placed.clear()
        self._removed.clear()
