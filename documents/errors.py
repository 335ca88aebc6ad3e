"""Why a document cannot be added or removed; each message is one a user can act on."""

from __future__ import annotations


class DocumentError(Exception):
    """Base for document refusals; `str()` is safe to show (it never holds document text)."""


class UnsupportedTypeError(DocumentError):
    """The content is not a PDF, plain text or Markdown."""


class TooLargeError(DocumentError):
    """The upload is over documents.max_upload_bytes."""


class UnreadableDocumentError(DocumentError):
    """The document cannot become chunks: damaged, encrypted, image-only, empty, not UTF-8."""


class TooManyPagesError(DocumentError):
    """The document has more pages than documents.max_pages."""


class CorpusDocumentError(DocumentError):
    """The document comes from the corpus folder, which the API does not change."""


class UnknownUploadError(DocumentError):
    """No document has this id."""


class BuildFailedError(DocumentError):
    """The index could not be rebuilt; the previous build stays current."""


class NotReadyError(DocumentError):
    """The service has no embedding model loaded to index with."""
