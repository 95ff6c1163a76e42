"""Translation: criteria -> plain English, by an LLM behind an OpenAI-compatible API or the offline renderer."""
