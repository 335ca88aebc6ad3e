"""Queries that arrive together are embedded together: a micro-batcher with a bounded wait.

A server embeds one short question per request. Eight concurrent requests each running the
model alone pay its fixed cost eight times and fight over the cores; one batch of eight costs
little more than one. `QueryBatcher.embed` is called from the request threads (FastAPI runs
plain routes in a thread pool, so the event loop never waits on it): each call queues its texts
and waits; one worker thread takes everything queued — waiting at most `max_wait` seconds for
more once a first request is in — embeds it in one model call, and hands each caller its own
rows, or the model's exception.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass

import numpy as np

from index.vectors import Vectors

EmbedFn = Callable[[Sequence[str]], Vectors]


@dataclass
class _Request:
    texts: Sequence[str]
    future: Future[Vectors]


class QueryBatcher:
    def __init__(self, embed: EmbedFn, max_batch: int = 32, max_wait: float = 0.0) -> None:
        """`embed` turns a list of texts into one row each; `max_batch` caps the texts of one
        model call (a single larger request still goes alone); `max_wait` is how long the worker
        waits for company once a request is queued (0: embed whatever is queued at once)."""
        self._embed = embed
        self._max_batch = max_batch
        self._max_wait = max_wait
        self._queue: deque[_Request] = deque()
        self._ready = threading.Condition()
        self._worker: threading.Thread | None = None
        self._closed = False
        self.batches = 0  # model calls made (for tests and the bench)

    def embed(self, texts: Sequence[str]) -> Vectors:
        """The texts' vectors, embedded in a batch with whatever other calls are waiting."""
        request = _Request(list(texts), Future())
        with self._ready:
            if self._closed:
                raise RuntimeError("the query batcher is closed")
            self._queue.append(request)
            self._start_worker()
            self._ready.notify()
        return request.future.result()

    @property
    def queued(self) -> int:
        """Calls waiting for the next batch (not counting the one being embedded)."""
        with self._ready:
            return len(self._queue)

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify_all()
        if self._worker is not None:
            self._worker.join(timeout=5)

    def _start_worker(self) -> None:
        if self._worker is None:
            # Started on first use, so building an embedder for ingest starts no thread.
            self._worker = threading.Thread(target=self._run, name="query-batcher", daemon=True)
            self._worker.start()

    def _run(self) -> None:
        while True:
            batch = self._next_batch()
            if batch is None:
                return
            self._serve(batch)

    def _next_batch(self) -> list[_Request] | None:
        with self._ready:
            while not self._queue and not self._closed:
                self._ready.wait()
            if not self._queue:
                return None  # closed and drained
            deadline = time.monotonic() + self._max_wait
            while self._queued_texts() < self._max_batch and not self._closed:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._ready.wait(left)
            batch: list[_Request] = []
            size = 0
            while self._queue and (
                not batch or size + len(self._queue[0].texts) <= self._max_batch
            ):
                request = self._queue.popleft()
                batch.append(request)
                size += len(request.texts)
            return batch

    def _queued_texts(self) -> int:
        return sum(len(r.texts) for r in self._queue)

    def _serve(self, batch: list[_Request]) -> None:
        texts = [t for r in batch for t in r.texts]
        try:
            vectors = self._embed(texts) if texts else np.zeros((0, 0), dtype=np.float32)
        except BaseException as exc:  # every waiting caller gets the model's error
            for request in batch:
                request.future.set_exception(exc)
            return
        finally:
            self.batches += 1
        start = 0
        for request in batch:
            end = start + len(request.texts)
            request.future.set_result(vectors[start:end])
            start = end
