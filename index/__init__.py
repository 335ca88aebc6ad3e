"""Embedding, storing and retrieving chunks: FAISS for vectors, SQLite (FTS5) for text."""
