"""Settings and small helpers every layer shares; imports nothing else from Haven."""
