"""CLI command modules, one per domain; each exposes ``register(app)``."""
