"""The one error ingestion raises: a file that cannot become chunks, and why."""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """A file that cannot be ingested; `str()` is one line a user can act on."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")


def read_bytes(path: Path) -> bytes:
    """A file's bytes, or an IngestError that says why they cannot be had."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(path, f"cannot be read: {exc.strerror or exc}") from exc
    if not data:
        raise IngestError(path, "empty file (0 bytes)")
    return data
