"""What a report's skip key hashes: the slices of the inputs it reads, cached by file hash.

A briefing made from the project's templates reads only its slice of each table
(:mod:`~huachi_analysis.reports.slices`); its key hashes those slices, so a change elsewhere in a
table (a new year, another township) does not re-render it. Other templates (``template_file``)
may read anything: their key hashes the whole files.

Computing a slice's hash reads the table, so the hashes are kept in the report folder
(:data:`CACHE_NAME`) under the SHA-256 of the file they came from (and of ``plan_townships``,
which decides a county's townships, and of the report code): a rerun whose input files did not
change reads no table and does not import pandas.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path

from huachi_analysis.reports.data import (
    SMALL_ROWS,
    find_input,
    read_table,
    table_rows,
)
from huachi_analysis.reports.selection import ReportSpec
from huachi_analysis.reports.slices import (
    Scope,
    county_townships,
    frame_sha256,
    prefilter,
    slice_summary,
    slice_table,
)

CACHE_NAME = ".huachi-slices.json"
#: What a missing table hashes to (the briefing says the table is missing).
MISSING = "missing"


def scope_of(spec: ReportSpec) -> Scope | None:
    """The briefing scope of a report made from a project template, else None."""
    if spec.template_file:
        return None
    return Scope(spec.kind, int(spec.year), spec.township)


def _entry_key(stem: str, file_sha: str, townships_sha: str, code_sha: str) -> str:
    return hashlib.sha256(f"{stem}\0{file_sha}\0{townships_sha}\0{code_sha}".encode()).hexdigest()


def _compute(directory: Path, stem: str, scopes: list[Scope], townships: list[str]
             ) -> dict[str, str]:
    """Slice hash of table ``stem`` for each scope (id → SHA-256)."""
    path = find_input(directory, stem)
    if path is None:
        return {s.id: MISSING for s in scopes}
    rows = table_rows(path)
    out: dict[str, str] = {}
    whole = None
    for scope in scopes:
        if rows is not None and rows > SMALL_ROWS:
            data = read_table(path, stem, filters=prefilter(stem, scope, townships))
        else:
            if whole is None:
                whole = read_table(path, stem)
            data = whole
        if isinstance(data, dict):
            out[scope.id] = frame_sha256(slice_summary(data, scope))
        else:
            out[scope.id] = frame_sha256(slice_table(stem, data, scope, townships))
    return out


def input_hashes(specs: list[ReportSpec], files: dict[str, dict[str, str]], out_dir: Path,
                 code_sha: str) -> dict[str, dict[str, str]]:
    """Report id → {table: SHA-256 of what the report reads}: the slices for briefings made
    from the project's templates, the whole files (``files``: data folder → table → file hash)
    for other templates."""
    from huachi_analysis.reports.data import INPUTS

    cache_path = Path(out_dir) / CACHE_NAME
    try:
        cache = json.loads(cache_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    used: dict[str, dict[str, str]] = {}
    result: dict[str, dict[str, str]] = {}
    by_dir: dict[str, list[tuple[ReportSpec, Scope]]] = {}
    for s in specs:
        scope = scope_of(s)
        if scope is None:
            result[s.id] = dict(files[s.data_dir])
        else:
            by_dir.setdefault(s.data_dir, []).append((s, scope))
    changed = False
    for d, dspecs in by_dir.items():
        shas = files[d]
        scopes = list({scope.id: scope for _, scope in dspecs}.values())
        tw_sha = shas.get("plan_townships", MISSING)
        townships: list[str] | None = None
        per_stem: dict[str, dict[str, str]] = {}
        for stem in INPUTS:
            key = _entry_key(stem, shas.get(stem, MISSING), tw_sha, code_sha)
            have = dict(cache.get(key, {}))
            todo = [s for s in scopes if s.id not in have]
            if todo:
                if townships is None:
                    tw = find_input(Path(d), "plan_townships")
                    townships = county_townships(read_table(tw, "plan_townships")) if tw else []
                have.update(_compute(Path(d), stem, todo, townships))
                changed = True
            used[key] = have
            per_stem[stem] = have
        for s, scope in dspecs:
            result[s.id] = {stem: per_stem[stem][scope.id] for stem in INPUTS}
    if changed:  # entries of older files (and other data folders) are dropped
        from huachi_analysis.io import write_json

        with contextlib.suppress(OSError):  # only a cache: the next batch computes it again
            write_json(cache_path, used)
    return result
