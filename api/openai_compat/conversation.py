"""Reading an OpenAI `messages` list as a Haven question with its history."""

from __future__ import annotations

from dataclasses import dataclass

from answer.followup import Turn
from api.errors import ApiError
from api.openai_compat.schemas import ChatMessage

MAX_TURNS = 50  # as POST /api/ask; follow-ups only ever build on the latest turns
MAX_TURN_CHARS = 20_000


@dataclass(frozen=True)
class Conversation:
    question: str
    field: str  # where the question is in the request, for error messages
    history: list[Turn]


def message_text(message: ChatMessage) -> str:
    """The message's text: a string content, or its text parts joined (images etc. skipped)."""
    content = message.content
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    return "\n".join(p.text for p in content if p.type == "text" and p.text)


def read_conversation(messages: list[ChatMessage]) -> Conversation:
    """The last user message is the question; user and assistant turns before it are history.

    System and developer messages are instructions for a language model that Haven does not
    follow, and tool messages answer calls Haven never makes: none of them is retrieval input.
    """
    last = next((i for i in range(len(messages) - 1, -1, -1) if messages[i].role == "user"), None)
    if last is None:
        raise ApiError(
            422,
            "invalid-request",
            "Invalid request",
            "messages: no message with role 'user'; the last user message is the question.",
        )
    history = [
        Turn(m.role, message_text(m)[:MAX_TURN_CHARS])
        for m in messages[:last]
        if m.role in ("user", "assistant") and message_text(m).strip()
    ]
    return Conversation(
        question=message_text(messages[last]),
        field=f"messages[{last}].content",
        history=history[-MAX_TURNS:],
    )
