"""Usage figures counted in words: Haven runs no tokenizer, so it does not pretend to."""

from __future__ import annotations

from api.openai_compat.conversation import message_text
from api.openai_compat.schemas import ChatMessage, Usage


def word_count(text: str) -> int:
    return len(text.split())


def usage_for(messages: list[ChatMessage], content: str) -> Usage:
    prompt = sum(word_count(message_text(m)) for m in messages)
    completion = word_count(content)
    return Usage(
        prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion
    )
