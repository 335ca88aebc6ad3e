"""The optional language-model path against a real engine: llama.cpp's OpenAI-compatible server
(llama-cpp-python) running Gemma 3 270M from a PyPI package, on 127.0.0.1.

The model is tiny and writes poor answers; that is the point. These tests prove the protocol
(request, bearer key, reply shape, usage), that the server applied the GGUF's own chat template
to Haven's system and user messages, that Haven's streaming endpoints carry a generated answer,
that a timeout falls back cleanly to the extractive answer, and that whatever the model makes up
(uncited sentences, citations of passages it was never given) never reaches the answer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from answer.factory import make_generator
from answer.generated import NOT_COVERED
from answer.generator import OpenAIChatGenerator
from api.app import create_app
from core.settings import GeneratorSettings, Settings
from tests.support.llama_server import TEMPLATE, LlamaServer, running_llama_server

pytestmark = [pytest.mark.integration, pytest.mark.llm]

QUESTION = "What basic needs should I attend to immediately for a child victim?"
# Short answers keep the 270M model quick on two shared cores; temperature 0 makes them repeat.
MAX_TOKENS = 64
EXTRACTIVE_NOTE = "The language model was unavailable; this answer is extractive."
# The model answered, but no line it wrote survived the citation checks.
UNCHECKED_NOTE = (
    "The language model's answer did not hold up against the handbooks (no line it wrote was "
    "backed by a passage it cited); this answer is extractive."
)
MARK = re.compile(r"\[(\d{1,2})\]")
PASSAGE_HEADER = re.compile(r"^\[(\d+)\] ", re.MULTILINE)
TRAILING_MARKS = re.compile(r"(\s*\[\d+\])+$")


Asked = tuple[dict[str, Any], dict[str, Any], dict[str, Any]]


@dataclass
class Exchanges:
    """Every request Haven's generator sent and the engine's raw reply, in order."""

    items: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)

    def record(self, response: httpx.Response) -> None:
        response.read()
        self.items.append((json.loads(response.request.content), response.json()))

    @property
    def last(self) -> tuple[dict[str, Any], dict[str, Any]]:
        return self.items[-1]


@pytest.fixture(scope="module")
def llama(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    with running_llama_server(tmp_path_factory.mktemp("llama")) as server:
        yield server


def _settings(base: Settings, server: LlamaServer, **generator: Any) -> Settings:
    options: dict[str, Any] = {
        "base_url": server.base_url,
        "model": server.model,
        "api_key": server.api_key,
        "timeout": 300,  # generous: seven people share two cores
        "max_tokens": MAX_TOKENS,
        "temperature": 0.0,
        **generator,
    }
    return base.model_copy(update={"generator": GeneratorSettings(**options)})


def _recording_generator(settings: Settings) -> tuple[OpenAIChatGenerator, Exchanges]:
    """The generator Haven builds from these settings, with a client that keeps each reply."""
    made = make_generator(settings)
    assert isinstance(made, OpenAIChatGenerator)
    config = made.config
    made.close()
    exchanges = Exchanges()
    client = httpx.Client(
        base_url=config.base_url,
        headers={"Authorization": f"Bearer {config.api_key}"},
        timeout=config.timeout,
        event_hooks={"response": [exchanges.record]},
    )
    return OpenAIChatGenerator(config, client), exchanges


@pytest.fixture(scope="module")
def haven(small_settings: Settings, real_embedder: Any, llama: LlamaServer) -> Iterator[Any]:
    settings = _settings(small_settings, llama)
    generator, exchanges = _recording_generator(settings)
    with TestClient(create_app(settings, embedder=real_embedder, generator=generator)) as client:
        yield client, exchanges


@pytest.fixture(scope="module")
def asked(haven: Any) -> Asked:
    """One real ask through Haven: (Haven's answer, the request sent, the engine's reply)."""
    client, exchanges = haven
    response = client.post("/api/ask", json={"question": QUESTION})
    assert response.status_code == 200, response.text
    request, reply = exchanges.last
    return response.json(), request, reply


def _assert_only_retrieved_citations(body: dict[str, Any]) -> None:
    passages = {p["chunk_id"]: p["text"] for p in body["passages"]}
    assert body["citations"], "an answered question carries citations"
    for citation in body["citations"]:
        assert citation["chunk_id"] in passages, "a citation outside the retrieved passages"
        assert citation["quote"] and citation["quote"] in passages[citation["chunk_id"]]


def test_protocol_against_the_real_engine(asked: Asked) -> None:
    _, request, reply = asked
    assert request["model"] == "gemma3-270m"
    assert request["max_tokens"] == MAX_TOKENS and request["temperature"] == 0.0
    assert request["stream"] is False
    assert [m["role"] for m in request["messages"]] == ["system", "user"]
    assert reply["object"] == "chat.completion"
    choice = reply["choices"][0]
    assert choice["message"]["role"] == "assistant"
    assert choice["message"]["content"].strip()
    assert choice["finish_reason"] in {"stop", "length"}
    assert 0 < reply["usage"]["completion_tokens"] <= MAX_TOKENS


def test_doctor_checks_the_engine(small_settings: Settings, llama: LlamaServer) -> None:
    from cli.doctor import run_checks

    def generator_check(**generator: Any) -> Any:
        checks = run_checks(_settings(small_settings, llama, **generator))
        [check] = [c for c in checks if c.name == "generator"]
        return check

    check = generator_check()
    assert check.status == "ok" and "gemma3-270m" in check.detail
    assert generator_check(model="llama3.1:8b").status == "warn"  # not what the server offers
    assert "refuses the key" in generator_check(api_key="not-the-key").detail


def test_server_applies_the_gguf_chat_template(asked: Asked, llama: LlamaServer) -> None:
    """The prompt the engine read is the GGUF's own template over Haven's two messages, token
    for token; Gemma's template has no system role, so Haven's instructions ride in the first
    user turn rather than being dropped or refused."""
    from llama_cpp import Llama
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    _, request, reply = asked
    assert "Using gguf chat template" in llama.log()
    vocab = Llama(str(llama.model_path), vocab_only=True, verbose=False)
    template = vocab.metadata["tokenizer.chat_template"]
    assert template.strip() == TEMPLATE.read_text().strip()
    bos = vocab._model.token_get_text(vocab.token_bos())
    eos = vocab._model.token_get_text(vocab.token_eos())
    prompt = Jinja2ChatFormatter(template, eos_token=eos, bos_token=bos)(
        messages=request["messages"]
    ).prompt
    system, user = (m["content"] for m in request["messages"])
    assert prompt.startswith(bos + "<start_of_turn>user\n" + system)
    assert user.strip() in prompt and prompt.endswith("<start_of_turn>model\n")
    tokens = vocab.tokenize(prompt.encode(), add_bos=False, special=True)
    assert reply["usage"]["prompt_tokens"] == len(tokens)


def _model_lines(text: str, given: int) -> list[tuple[str, bool, int]]:
    """Each line the model wrote: (its text without marks, whether it cites a passage it was
    given, how many passages it cites that it was never given)."""
    lines = []
    for raw in text.splitlines():
        line = raw.strip().lstrip("-*• ").strip()
        if not line:
            continue
        numbers = [int(n) for n in MARK.findall(line)]
        clean = " ".join(MARK.sub("", line).split())
        cites = any(1 <= n <= given for n in numbers)
        lines.append((clean, cites, sum(n > given for n in numbers)))
    return lines


def _answer_points(body: dict[str, Any]) -> list[str]:
    return [
        TRAILING_MARKS.sub("", line[2:])
        for line in body["answer"].splitlines()
        if line.startswith("- ")
    ]


def _passages_given(request: dict[str, Any]) -> int:
    """How many numbered passages the prompt gave the model."""
    return len(PASSAGE_HEADER.findall(request["messages"][1]["content"]))


def test_made_up_content_never_reaches_the_answer(asked: Asked) -> None:
    body, request, reply = asked
    text = reply["choices"][0]["message"]["content"]
    if text.strip().upper().startswith(NOT_COVERED):
        assert body["answered"] is False
        return
    assert body["answered"]
    _assert_only_retrieved_citations(body)
    lines = _model_lines(text, _passages_given(request))
    points = _answer_points(body)
    # This small model tends to repeat Haven's instructions back, "[1] or [2][3]" included:
    # no such line may stand as the lead or a point (copying a passage is another matter).
    instructions = " ".join(request["messages"][0]["content"].split())
    lead = body["answer"].split("\n\n")[0]
    for clean, _, _ in lines:
        if len(clean) > 20 and clean[:60] in instructions:
            assert clean != lead and clean not in points, "an echo of the prompt was kept"
    assert EXTRACTIVE_NOTE not in body["notes"], "the model answered: it was not unavailable"
    if UNCHECKED_NOTE in body["notes"]:
        # No line the model wrote cited a passage it was given (with words of that passage):
        # Haven answered from the passages' own sentences instead.
        assert not set(points) & {clean for clean, _, _ in lines}
        return
    cited = {clean for clean, cites, _ in lines if cites}
    uncited = {clean for clean, cites, _ in lines if not cites}
    assert points and set(points) <= cited, "every point is a line the model cited"
    assert not set(points) & uncited, "a line without a valid citation was kept"
    if any(bad for _, _, bad in lines):
        assert any("not retrieved" in note for note in body["notes"])


def _events(client: TestClient, path: str, payload: dict[str, Any]) -> list[tuple[str, str]]:
    """(event name, data) of a server-sent event stream; the name is "" where none is given."""
    with client.stream("POST", path, json=payload) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        raw = "".join(response.iter_text())
    events = []
    for block in raw.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((fields.get("event", ""), fields["data"]))
    return events


def test_haven_streams_the_generated_answer(haven: Any) -> None:
    client, exchanges = haven
    asked_before = len(exchanges.items)
    events = _events(client, "/api/ask/stream", {"question": QUESTION})
    assert len(exchanges.items) == asked_before + 1, "the engine wrote this answer"
    names = [name for name, _ in events]
    assert names[:2] == ["start", "lead"] and names[-1] == "final"
    final = json.loads(events[-1][1])
    streamed = [json.loads(data)["text"] for name, data in events if name == "point"]
    assert [f"- {point}" for point in streamed] == [
        line for line in final["answer"].splitlines() if line.startswith("- ")
    ]
    if final["answered"]:
        _assert_only_retrieved_citations(final)
    retrieved = {p["chunk_id"] for p in final["passages"]}

    # The OpenAI-compatible endpoint streams the same kind of answer, chunk by chunk.
    payload = {
        "model": "haven",
        "messages": [{"role": "user", "content": QUESTION}],
        "stream": True,
    }
    data = [d for _, d in _events(client, "/v1/chat/completions", payload)]
    assert len(exchanges.items) == asked_before + 2
    assert data[-1] == "[DONE]"
    chunks = [json.loads(d) for d in data[:-1]]
    assert {c["object"] for c in chunks} == {"chat.completion.chunk"}
    content = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks)
    extra = chunks[-1]["haven"]
    assert content.strip() and chunks[-1]["choices"][0]["finish_reason"] == "stop"
    for citation in extra["citations"]:
        assert citation["chunk_id"] in retrieved, "a citation outside the retrieved passages"
        assert f"[{citation['n']}]" in content


def test_timeout_and_refusal_fall_back_to_the_extractive_answer(
    small_settings: Settings, real_embedder: Any, small_client: TestClient, llama: LlamaServer
) -> None:
    extractive = small_client.post("/api/ask", json={"question": QUESTION}).json()
    assert extractive["answered"]
    for generator in ({"timeout": 0.01}, {"api_key": "not-the-key"}):
        # Built from settings alone, as `haven serve` builds it.
        settings = _settings(small_settings, llama, **generator)
        with TestClient(create_app(settings, embedder=real_embedder)) as client:
            response = client.post("/api/ask", json={"question": QUESTION})
        assert response.status_code == 200
        body = response.json()
        assert EXTRACTIVE_NOTE in body["notes"]
        assert body["answer"] == extractive["answer"]
        assert body["citations"] == extractive["citations"]
        _assert_only_retrieved_citations(body)
