"""Evaluation: corpus access, gold data, and the eval suites behind ``translator eval``."""
