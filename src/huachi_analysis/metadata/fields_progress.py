"""Fields and tables of the progress engine (owned by the progress engine; see issue 4)."""

from __future__ import annotations
