"""API keys: creation, hashed storage, checks and revocation."""
