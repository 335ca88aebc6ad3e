"""The micro-batcher and the query embedder: batching happens, each caller gets its own rows,
errors reach every caller of the failed batch, and repeated questions are not embedded again.
A deterministic fake model (index.fake_embedder) stands in: what is tested is the routing."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

import numpy as np
import pytest

from index.fake_embedder import FakeEmbedder
from index.query_batcher import QueryBatcher
from index.query_embedder import QueryEmbedder
from index.vectors import Vectors

FAKE = FakeEmbedder()


class GatedModel:
    """Records each call's texts; the first call waits for `gate`, so others queue meanwhile."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.calls: list[list[str]] = []
        self.started = threading.Event()
        self.gate = threading.Event()
        self.fail_on = fail_on

    def __call__(self, texts: Sequence[str]) -> Vectors:
        self.calls.append(list(texts))
        if len(self.calls) == 1:
            self.started.set()
            assert self.gate.wait(10)
        if self.fail_on in texts:
            raise ValueError("model failed")
        return FAKE.embed_queries(texts)


def wait_for(condition: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.001)


def run_concurrently(batcher: QueryBatcher, requests: list[list[str]]) -> dict[int, object]:
    """Each request from its own thread; returns index -> vectors or the exception raised."""
    results: dict[int, object] = {}

    def call(i: int) -> None:
        try:
            results[i] = batcher.embed(requests[i])
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=call, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    return _joined(threads, results)


def _joined(threads: list[threading.Thread], results: dict[int, object]) -> dict[int, object]:
    for thread in threads:
        thread.join(10)
    return results


def test_requests_queued_during_a_model_call_share_the_next_one() -> None:
    model = GatedModel()
    batcher = QueryBatcher(model, max_batch=32, max_wait=0)
    first: dict[int, object] = {}
    holder = threading.Thread(target=lambda: first.update({0: batcher.embed(["first"])}))
    holder.start()
    assert model.started.wait(10)
    texts = [[f"question {i}"] for i in range(7)]
    results: dict[int, object] = {}
    threads = [
        threading.Thread(target=lambda i=i: results.update({i: batcher.embed(texts[i])}))
        for i in range(7)
    ]
    for thread in threads:
        thread.start()
    wait_for(lambda: batcher.queued == 7)
    model.gate.set()
    holder.join(10)
    _joined(threads, results)
    batcher.close()

    assert model.calls[0] == ["first"]
    assert sorted(model.calls[1]) == sorted(t[0] for t in texts)  # one call for all seven
    assert len(model.calls) == 2 and batcher.batches == 2
    for i, text in enumerate(texts):
        np.testing.assert_array_equal(results[i], FAKE.embed_queries(text))  # its own row
    np.testing.assert_array_equal(first[0], FAKE.embed_queries(["first"]))


def test_a_request_with_several_texts_gets_its_rows_in_order() -> None:
    model = GatedModel()
    model.gate.set()
    batcher = QueryBatcher(model, max_wait=0)
    texts = ["child victim", "interview", "border guard"]
    vectors = batcher.embed(texts)
    batcher.close()
    np.testing.assert_array_equal(vectors, FAKE.embed_queries(texts))


def test_the_bounded_wait_gathers_a_request_that_arrives_during_it() -> None:
    calls: list[list[str]] = []

    def model(texts: Sequence[str]) -> Vectors:
        calls.append(list(texts))
        return FAKE.embed_queries(texts)

    # A long wait, ended early once the batch is full: two requests, one model call.
    batcher = QueryBatcher(model, max_batch=2, max_wait=30)
    results = run_concurrently(batcher, [["one"], ["two"]])
    batcher.close()
    assert calls and sorted(calls[0]) == ["one", "two"] and len(calls) == 1
    np.testing.assert_array_equal(results[0], FAKE.embed_queries(["one"]))
    np.testing.assert_array_equal(results[1], FAKE.embed_queries(["two"]))


def test_batches_never_exceed_the_cap() -> None:
    model = GatedModel()
    batcher = QueryBatcher(model, max_batch=2, max_wait=0)
    holder = threading.Thread(target=lambda: batcher.embed(["first"]))
    holder.start()
    assert model.started.wait(10)
    results: dict[int, object] = {}
    threads = [
        threading.Thread(target=lambda i=i: results.update({i: batcher.embed([f"q{i}"])}))
        for i in range(5)
    ]
    for thread in threads:
        thread.start()
    wait_for(lambda: batcher.queued == 5)
    model.gate.set()
    holder.join(10)
    _joined(threads, results)
    batcher.close()
    assert [len(c) for c in model.calls[1:]] == [2, 2, 1]
    for i in range(5):
        np.testing.assert_array_equal(results[i], FAKE.embed_queries([f"q{i}"]))


def test_an_error_reaches_every_caller_of_the_batch_and_the_batcher_goes_on() -> None:
    model = GatedModel(fail_on="boom")
    batcher = QueryBatcher(model, max_wait=0)
    holder = threading.Thread(target=lambda: batcher.embed(["first"]))
    holder.start()
    assert model.started.wait(10)
    requests = [["boom"], ["innocent bystander"]]
    results: dict[int, object] = {}
    threads = [
        threading.Thread(target=lambda i=i: _capture(results, i, batcher, requests[i]))
        for i in range(2)
    ]
    for thread in threads:
        thread.start()
    wait_for(lambda: batcher.queued == 2)
    model.gate.set()
    holder.join(10)
    _joined(threads, results)

    assert all(isinstance(results[i], ValueError) for i in range(2))
    np.testing.assert_array_equal(batcher.embed(["later"]), FAKE.embed_queries(["later"]))
    batcher.close()
    with pytest.raises(RuntimeError):
        batcher.embed(["after close"])


def _capture(results: dict[int, object], i: int, batcher: QueryBatcher, texts: list[str]) -> None:
    try:
        results[i] = batcher.embed(texts)
    except Exception as exc:
        results[i] = exc


class CountingEmbedder(FakeEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.queries: list[list[str]] = []

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        self.queries.append(list(texts))
        return super().embed_queries(texts)


@pytest.mark.parametrize("max_batch", [1, 32])
def test_repeated_questions_are_embedded_once(max_batch: int) -> None:
    inner = CountingEmbedder()
    embedder = QueryEmbedder(inner, cache_size=2, max_batch=max_batch, max_wait=0)
    first = embedder.embed_queries(["what is an NRM", "what is an NRM", "child"])
    again = embedder.embed_queries(["child", "what is an NRM"])
    embedder.close()
    assert inner.queries == [["what is an NRM", "child"]]  # duplicates and repeats: once
    np.testing.assert_array_equal(first, FAKE.embed_queries(["what is an NRM"] * 2 + ["child"]))
    np.testing.assert_array_equal(again, FAKE.embed_queries(["child", "what is an NRM"]))
    assert embedder.name == inner.name and embedder.dim == inner.dim


def test_the_cache_forgets_the_least_recently_used_and_can_be_off() -> None:
    inner = CountingEmbedder()
    embedder = QueryEmbedder(inner, cache_size=2, max_batch=1)
    for text in ["a", "b", "a", "c", "b"]:  # "b" was least recently used when "c" came
        embedder.embed_queries([text])
    assert inner.queries == [["a"], ["b"], ["c"], ["b"]]
    off = QueryEmbedder(CountingEmbedder(), cache_size=0, max_batch=1)
    off.embed_queries(["a"])
    off.embed_queries(["a"])
    assert len(off.inner.queries) == 2  # type: ignore[attr-defined]


def test_passages_go_straight_to_the_model() -> None:
    inner = CountingEmbedder()
    embedder = QueryEmbedder(inner)
    vectors = embedder.embed_passages(["a passage"])
    np.testing.assert_array_equal(vectors, FAKE.embed_passages(["a passage"]))
    assert inner.queries == [] and embedder.batcher is not None and embedder.batcher.batches == 0
    embedder.close()
