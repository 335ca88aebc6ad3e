"""Request and response bodies of the OpenAI-compatible endpoints.

Field names follow the OpenAI chat-completions API so its SDKs parse them; `haven` is Haven's
own extra member. Request fields Haven cannot honour are accepted and ignored (see
docs/openai.md), except `n`, because several answers per request cannot be given.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from api.schemas import CitationOut
from translation.languages import LANG_PATTERN

Role = Literal["system", "developer", "user", "assistant", "tool", "function"]


class ContentPart(BaseModel):
    """One part of a message's content; only `text` parts are read."""

    model_config = ConfigDict(extra="ignore")

    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    role: Role
    content: str | list[ContentPart] | None = Field(
        None, description="A string, or a list of parts of which the `text` ones are read."
    )
    name: str | None = None


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="ignore")

    include_usage: bool | None = None


class ChatCompletionRequest(BaseModel):
    # Clients send many tuning fields (tools, logit_bias, response_format, ...) that mean
    # nothing to an extractive, cited answer: they are accepted and ignored.
    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {
                    "model": "haven",
                    "messages": [
                        {"role": "user", "content": "What do I do first for a child found alone?"}
                    ],
                }
            ]
        },
    )

    model: str = Field(
        min_length=1, description="`haven` (see GET /v1/models).", examples=["haven"]
    )
    messages: list[ChatMessage] = Field(
        min_length=1,
        max_length=1000,
        description="The conversation. The last `user` message is the question; earlier user "
        "and assistant turns are history for follow-ups; system messages are not used.",
    )
    stream: bool | None = Field(False, description="Send chat.completion.chunk events (SSE).")
    stream_options: StreamOptions | None = None
    n: int | None = Field(1, description="Only 1: Haven gives one answer per request.")
    temperature: float | None = Field(None, description="Ignored: answers are deterministic.")
    top_p: float | None = Field(None, description="Ignored.")
    max_tokens: int | None = Field(None, description="Ignored: answers are short by design.")
    max_completion_tokens: int | None = Field(None, description="Ignored.")
    user: str | None = Field(None, description="Ignored and never stored.")
    # Haven's own options, as in POST /api/ask.
    lang: str | None = Field(
        None,
        max_length=20,
        pattern=LANG_PATTERN,
        description="Haven: language to answer in (ISO 639-1). Empty or absent: detected.",
    )
    doc_ids: list[str] | None = Field(
        None, max_length=100, description="Haven: only search these documents."
    )
    k: int | None = Field(None, description="Haven: passages to retrieve (default 6, max 50).")

    @field_validator("n")
    @classmethod
    def _one_choice(cls, n: int | None) -> int | None:
        if n is not None and n != 1:
            raise ValueError("Haven gives one answer per request; n must be 1")
        return n


class Language(BaseModel):
    lang: str = Field(description="The language asked for: `lang` if given, else detected.")
    detected_lang: str = Field(description="The language detected in the question.")
    answer_lang: str = Field(description="The language the answer is in.")


class HavenExtra(BaseModel):
    """The structured record behind `content`, as POST /api/ask gives it."""

    answered: bool = Field(description="False when the handbooks do not cover the question.")
    citations: list[CitationOut] = Field(description="Each [n] in the content, with its quote.")
    notes: list[str] = Field(description="Reminders and caveats, also shown in the content.")
    language: Language


class Usage(BaseModel):
    """Whitespace-separated words, not model tokens: Haven runs no tokenizer."""

    prompt_tokens: int = Field(description="Words in all messages' text.")
    completion_tokens: int = Field(description="Words in the reply's content.")
    total_tokens: int


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str
    refusal: None = None


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"
    logprobs: None = None


class ChatCompletion(BaseModel):
    id: str = Field(description="chatcmpl-… unique per request.")
    object: Literal["chat.completion"] = "chat.completion"
    created: int = Field(description="Unix time the answer was made.")
    model: str
    system_fingerprint: str | None = Field(None, description="The index build that answered.")
    choices: list[Choice]
    usage: Usage
    haven: HavenExtra


class Delta(BaseModel):
    role: Literal["assistant"] | None = None
    content: str | None = None


class ChunkChoice(BaseModel):
    index: int = 0
    delta: Delta
    finish_reason: Literal["stop"] | None = None
    logprobs: None = None


class ChatCompletionChunk(BaseModel):
    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str
    system_fingerprint: str | None = None
    choices: list[ChunkChoice]
    usage: Usage | None = None
    haven: HavenExtra | None = None


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int = Field(description="Unix time the loaded index was built; 0 when unknown.")
    owned_by: str = "haven"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]
