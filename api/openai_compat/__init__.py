"""The OpenAI chat-completions protocol mapped onto Haven's cited answers (`/v1/...`)."""
