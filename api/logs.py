"""Log lines as plain text or JSON, each carrying the id of the request it was written for.

The request id lives in a context variable that the request middleware sets; the thread pool
FastAPI runs plain `def` routes in copies the context, so lines written inside a route carry
the id too. Question and answer text is never logged: only ids, routes, statuses and timings.
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TextIO

from core.settings import Settings

NO_REQUEST = "-"
REQUEST_ID: ContextVar[str] = ContextVar("haven_request_id", default=NO_REQUEST)
# Fields an access line adds to its record (through `extra=`), written as JSON keys.
ACCESS_FIELDS = ("method", "route", "status", "duration_ms")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class RequestIdFilter(logging.Filter):
    """Stamps each record with the current request's id (or "-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = REQUEST_ID.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, message, request_id (+ access fields)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", REQUEST_ID.get()),
        }
        for name in ACCESS_FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = REQUEST_ID.get()
        return super().format(record)


class HavenHandler(logging.Handler):
    """Writes to `stream`, or to whatever sys.stderr is at the time (test runners swap it)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        super().__init__()
        self.stream = stream
        self.addFilter(RequestIdFilter())

    def emit(self, record: logging.LogRecord) -> None:
        try:
            stream = self.stream or sys.stderr
            stream.write(self.format(record) + "\n")
            stream.flush()
        except Exception:
            self.handleError(record)


def formatter_for(log_format: str) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else TextFormatter()


def configure_logging(settings: Settings, stream: TextIO | None = None) -> HavenHandler | None:
    """Set the level and format from `observability`. Idempotent: the root logger keeps one
    Haven handler, updated in place (and its stream kept unless another is given).

    Like logging.basicConfig, it leaves alone a process that set up logging its own way (a
    test runner, an application embedding Haven's app) unless a stream is given."""
    root = logging.getLogger()
    handler = next((h for h in root.handlers if isinstance(h, HavenHandler)), None)
    if handler is None:
        if root.handlers and stream is None:
            return None
        handler = HavenHandler(stream)
        root.addHandler(handler)
    elif stream is not None:
        handler.stream = stream
    handler.setFormatter(formatter_for(settings.observability.log_format))
    root.setLevel(settings.observability.log_level)
    return handler
