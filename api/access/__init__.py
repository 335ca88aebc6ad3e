"""Access control: API keys (stored hashed) and the dependencies that check them."""
