"""Writing hypothetical questions for passages through the configured language model."""
