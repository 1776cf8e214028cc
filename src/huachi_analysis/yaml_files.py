"""Reading the package's YAML files (message and label catalogues, plan metadata).

One loader for all of them: PyYAML's safe loader, in its C version (libyaml) when PyYAML was
built with it — several times faster on the label catalogue, which every report
kernel and every command reads once — and the pure-Python one otherwise. Both build only plain
data (dicts, lists, strings, numbers), never objects.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def load(path: str | Path) -> Any:
    """The data of the YAML file at ``path`` (UTF-8)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - safe
