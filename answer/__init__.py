"""Cited answers: compose from retrieved passages, decide answerability, check every citation."""
