"""Where builds live on disk, and the atomic swap that makes a finished build current.

data/index/builds/<build_id>/{chunks.sqlite, vectors.faiss, questions.faiss, manifest.json}
data/index/current -> builds/<build_id>   (a symlink replaced atomically with os.replace)
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

KEEP_BUILDS = 3


@dataclass(frozen=True)
class BuildPaths:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "chunks.sqlite"

    @property
    def vectors(self) -> Path:
        return self.root / "vectors.faiss"

    @property
    def question_vectors(self) -> Path:
        return self.root / "questions.faiss"

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.json"

    def complete(self) -> bool:
        return self.manifest.exists() and self.database.exists() and self.vectors.exists()


class IndexLayout:
    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self.builds_dir = index_dir / "builds"
        self.pointer = index_dir / "current"

    def current(self) -> BuildPaths | None:
        if not self.pointer.exists():
            return None
        build = BuildPaths(self.pointer.resolve())
        return build if build.complete() else None

    def new_build(self, build_id: str) -> BuildPaths:
        root = self.builds_dir / f".partial-{build_id}"
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        return BuildPaths(root)

    def publish(self, partial: BuildPaths, build_id: str) -> BuildPaths:
        """Rename the finished build into place, then swap the pointer in one atomic step."""
        final = self.builds_dir / build_id
        if final.exists():
            shutil.rmtree(final)
        partial.root.rename(final)
        tmp_pointer = self.index_dir / f".current-{build_id}"
        if tmp_pointer.is_symlink() or tmp_pointer.exists():
            tmp_pointer.unlink()
        tmp_pointer.symlink_to(Path("builds") / build_id)
        os.replace(tmp_pointer, self.pointer)
        self._prune(keep=final)
        return BuildPaths(final)

    def _prune(self, keep: Path) -> None:
        # Older builds stay a while: a running server may still be reading one.
        builds = sorted(
            (p for p in self.builds_dir.iterdir() if p.is_dir() and not p.name.startswith(".")),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        for old in builds[KEEP_BUILDS:]:
            if old != keep:
                shutil.rmtree(old, ignore_errors=True)
        for partial in self.builds_dir.glob(".partial-*"):
            shutil.rmtree(partial, ignore_errors=True)
