"""Shared test setup: no test touches the user's real pseudonym key or the network."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(autouse=True)
def _isolated_key(tmp_path_factory, monkeypatch):
    """Every test gets a pseudonym key in a temporary folder unless it sets its own."""
    key_dir = tmp_path_factory.mktemp("key")
    monkeypatch.setenv("HUACHI_KEY_FILE", str(key_dir / "pseudonym.key"))
