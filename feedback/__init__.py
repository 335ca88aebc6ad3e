"""Feedback on answers, stored locally in SQLite."""
