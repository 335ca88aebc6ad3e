"""Evaluation harness: retrieval metrics (and answer metrics) over question sets in eval/data."""
