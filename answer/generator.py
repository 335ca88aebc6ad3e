"""Optional language model behind a narrow interface: any OpenAI-compatible chat endpoint."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import httpx


class GeneratorError(Exception):
    """The model endpoint failed, timed out or answered something unusable."""


class Generator(Protocol):
    @property
    def name(self) -> str: ...

    def complete(self, system: str, user: str) -> str: ...


@dataclass(frozen=True)
class OpenAIConfig:
    base_url: str
    model: str
    api_key: str | None = None
    timeout: float = 20.0
    max_tokens: int = 500
    temperature: float = 0.1


class OpenAIChatGenerator:
    """Works with Ollama, llama.cpp server, vLLM and others speaking /v1/chat/completions."""

    def __init__(self, config: OpenAIConfig, client: httpx.Client | None = None) -> None:
        self.config = config
        headers = {"Authorization": f"Bearer {config.api_key}"} if config.api_key else {}
        self._client = client or httpx.Client(
            base_url=config.base_url.rstrip("/"), headers=headers, timeout=config.timeout
        )

    @property
    def name(self) -> str:
        return f"openai-compatible:{self.config.model}"

    def complete(self, system: str, user: str) -> str:
        payload = {
            "model": self.config.model,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": user},
            ],
            "temperature": self.config.temperature,
            "max_tokens": self.config.max_tokens,
            "stream": False,
        }
        try:
            response = self._client.post("/chat/completions", json=payload)
            response.raise_for_status()
            content = response.json()["choices"][0]["message"]["content"]
        except httpx.TimeoutException as exc:
            raise GeneratorError(
                f"the model endpoint timed out after {self.config.timeout}s"
            ) from exc
        except httpx.HTTPStatusError as exc:
            raise GeneratorError(f"the model endpoint answered {exc.response.status_code}") from exc
        except httpx.HTTPError as exc:
            raise GeneratorError(
                f"the model endpoint is unreachable ({type(exc).__name__})"
            ) from exc
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            raise GeneratorError("the model endpoint sent a reply in an unknown shape") from exc
        if not isinstance(content, str) or not content.strip():
            raise GeneratorError("the model endpoint sent an empty answer")
        return content

    def close(self) -> None:
        self._client.close()


class FakeGenerator:
    """Returns a fixed reply: for unit tests of the checks around a generator."""

    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.calls: list[tuple[str, str]] = []

    @property
    def name(self) -> str:
        return "fake"

    def complete(self, system: str, user: str) -> str:
        self.calls.append((system, user))
        return self.reply
