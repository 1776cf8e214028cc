"""``DIR/manifest.json`` (one entry per report) and ``DIR/index.html`` (links with status).

A manifest entry: ``id``, ``kind`` (county/township), ``year``, ``township``, ``lang``,
``template``, ``parameters``, ``outputs`` (format → path relative to DIR; ``ipynb`` is the
executed notebook, kept on failure too), ``status`` (ok/failed), ``seconds``, ``inputs_sha256``
(the hash that decides whether a rerun may skip the report), ``input_files`` (table → SHA-256),
``synthetic``, ``error`` and ``finished_at``. Both files are written atomically.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

MANIFEST = "manifest.json"
INDEX = "index.html"


def output_path(out_dir: Path, rel: object) -> Path | None:
    """``out_dir / rel`` if ``rel`` is a relative path that stays inside ``out_dir`` (after
    resolving ``..`` and links), else ``None``: a manifest entry never points outside."""
    if not isinstance(rel, str) or not rel or "\0" in rel or Path(rel).is_absolute():
        return None
    base = Path(out_dir).resolve()
    p = (base / rel).resolve()
    return p if p != base and base in p.parents else None


def _clean(entry: dict, out_dir: Path) -> dict:
    outputs = entry.get("outputs")
    entry["outputs"] = ({f: r for f, r in outputs.items() if output_path(out_dir, r) is not None}
                        if isinstance(outputs, dict) else {})
    if entry.get("failed_notebook") is not None and \
            output_path(out_dir, entry["failed_notebook"]) is None:
        entry.pop("failed_notebook")
    return entry


def load_manifest(out_dir: Path) -> dict[str, dict]:
    """Entries of ``out_dir/manifest.json`` by id (empty if absent or unreadable); outputs that
    would lie outside ``out_dir`` are dropped."""
    p = Path(out_dir) / MANIFEST
    if not p.is_file():
        return {}
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("reports"), list):
        return {}
    return {str(r["id"]): _clean(r, out_dir) for r in data["reports"]
            if isinstance(r, dict) and "id" in r}


def _order(entry: dict) -> tuple:
    return (entry.get("kind") != "county", entry.get("year") or 0, entry.get("township") or "",
            entry.get("lang") or "")


def write_manifest(out_dir: Path, entries: dict[str, dict]) -> Path:
    from huachi_analysis import __version__
    from huachi_analysis.io import write_json

    reports = sorted(entries.values(), key=_order)
    return write_json(Path(out_dir) / MANIFEST, {"package_version": __version__,
                                                  "reports": reports})


def outputs_exist(out_dir: Path, entry: dict) -> bool:
    paths = [output_path(out_dir, p) for p in (entry.get("outputs") or {}).values()]
    return bool(paths) and all(p is not None and p.is_file() for p in paths)


def index_html(entries: dict[str, dict]) -> str:
    """The index page: every report with its status and links (no font; see
    :func:`write_index`)."""
    import jinja2

    from huachi_analysis.reports.render import TEMPLATES

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True)
    reports = sorted(entries.values(), key=_order)
    counts = {"ok": sum(r.get("status") == "ok" for r in reports),
              "failed": sum(r.get("status") != "ok" for r in reports)}
    return env.get_template("index.html.j2").render(
        reports=reports, counts=counts, synthetic=any(r.get("synthetic") for r in reports),
        updated=dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"))


def index_font_css(entries: dict[str, dict]) -> str:
    """The ``@font-face`` (WOFF2 subset as a ``data:`` URI) for the index of ``entries``."""
    from huachi_analysis.fonts import PdfFontSubsetter

    return PdfFontSubsetter().font_face_css(index_html(entries))


def write_index(out_dir: Path, entries: dict[str, dict], font_css: str | None = None) -> Path:
    """Write ``index.html`` with the CJK font embedded: ``font_css`` if given (a batch passes
    one made for all its reports, so that rewriting the index after each report does not
    subset the font again), else one made for this page."""
    from huachi_analysis.io import write_text

    page = index_html(entries)
    if font_css is None:
        from huachi_analysis.reports.render import embed_font

        page = embed_font(page)
    else:
        page = page.replace("</head>", f'<style id="embedded-font">{font_css}</style>\n</head>', 1)
    return write_text(Path(out_dir) / INDEX, page)
