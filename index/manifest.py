"""What built an index: embedder, chunker settings and each document's file hash."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

FORMAT_VERSION = 4  # 4: hypothetical questions per passage


@dataclass(frozen=True)
class DocumentEntry:
    file: str
    sha256: str
    chunks: int
    enriched: int = 0  # passages that have hypothetical questions
    questions: str = ""  # fingerprint of those questions: a change rebuilds the index


@dataclass(frozen=True)
class Manifest:
    build_id: str
    embedder: str
    dim: int
    chunker: dict[str, int]
    faiss_index: str
    documents: dict[str, DocumentEntry] = field(default_factory=dict)
    built_at: str = ""
    format: int = FORMAT_VERSION
    question_vector_langs: tuple[str, ...] = ()  # languages whose questions have vectors

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Manifest:
        docs = {k: DocumentEntry(**v) for k, v in raw.get("documents", {}).items()}
        return cls(
            build_id=raw["build_id"],
            embedder=raw["embedder"],
            dim=int(raw["dim"]),
            chunker=dict(raw["chunker"]),
            faiss_index=raw.get("faiss_index", "Flat"),
            documents=docs,
            built_at=raw.get("built_at", ""),
            format=int(raw.get("format", 0)),
            question_vector_langs=tuple(raw.get("question_vector_langs", ())),
        )

    @classmethod
    def load(cls, path: Path) -> Manifest:
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))

    def differences(self, embedder: str, chunker: dict[str, int], faiss_index: str) -> list[str]:
        """What differs between this index and the settings a server or builder runs with."""
        diffs = []
        if self.format != FORMAT_VERSION:
            diffs.append(f"index format {self.format}, expected {FORMAT_VERSION}")
        if self.embedder != embedder:
            diffs.append(f"embedder {self.embedder!r}, settings say {embedder!r}")
        if self.chunker != chunker:
            diffs.append(f"chunker {self.chunker}, settings say {chunker}")
        if self.faiss_index != faiss_index:
            diffs.append(f"FAISS index {self.faiss_index!r}, settings say {faiss_index!r}")
        return diffs
