"""`huachi` commands of the synthetic-data domain."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Registers nothing yet."""
