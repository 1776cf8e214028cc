"""Every path the project uses, defined once.

The project root is the checkout that holds ``pyproject.toml``; ``HUACHI_ROOT`` overrides it
(tests point it at a temporary copy). Nothing else in the package builds paths from strings.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The root of the project checkout (``HUACHI_ROOT`` if set)."""
    env = os.environ.get("HUACHI_ROOT")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[2]


ROOT = project_root()
DATA = ROOT / "data"
RAW = DATA / "raw"
PLAN_RAW = RAW / "plan"
PLAN_TEXT = PLAN_RAW / "huachi_2015_opinion.txt"
REGISTRY_RAW = RAW / "registry"
SYNTHETIC_REGISTRY_RAW = REGISTRY_RAW / "synthetic"
ACTUALS_RAW = RAW / "actuals"
INPUTS_RAW = RAW / "inputs"
PROCESSED = DATA / "processed"
NOTEBOOKS = ROOT / "notebooks"
REPORTS = ROOT / "reports"
DOCS = ROOT / "docs"


def key_file() -> Path:
    """Where the pseudonymisation key lives: outside ``data/processed`` and outside the repo.

    ``HUACHI_KEY_FILE`` overrides the default ``~/.config/huachi-analysis/pseudonym.key``.
    """
    env = os.environ.get("HUACHI_KEY_FILE")
    if env:
        return Path(env)
    return Path.home() / ".config" / "huachi-analysis" / "pseudonym.key"
