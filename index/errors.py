"""Domain errors of the index; the API turns each into one problem-details response."""

from __future__ import annotations


class IndexError_(Exception):
    """Base class (named so it does not shadow the builtin IndexError)."""


class IndexNotFoundError(IndexError_):
    def __init__(self, where: str) -> None:
        super().__init__(f"No index at {where}. Build one with `haven ingest`.")


class IndexMismatchError(IndexError_):
    def __init__(self, differences: list[str]) -> None:
        self.differences = differences
        super().__init__(
            "The index was built with other settings ("
            + "; ".join(differences)
            + "). Re-ingest with `haven ingest` to rebuild it."
        )


class EmbedderUnavailableError(IndexError_):
    """The configured embedding model or backend cannot be loaded here."""


class UnknownDocumentError(IndexError_):
    def __init__(self, doc_ids: list[str]) -> None:
        self.doc_ids = doc_ids
        super().__init__("Unknown document id(s): " + ", ".join(doc_ids))
