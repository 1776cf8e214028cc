"""HTML fragments a briefing section is made of: headings, the synthetic banner, tables with
status colours, notes, the legend and the title block (:class:`.section.Section` assembles
them). Every value from the data is HTML-escaped.

>>> "&lt;b&gt;" in table_html(pd.DataFrame({"a": ["<b>"]}))
True
"""

from __future__ import annotations

import html
import math
import re

import numpy as np
import pandas as pd

from huachi_analysis.charts import SCHEDULE_COLOURS, STATUS_COLOURS

#: Text colour on a status background (dark statuses get white text).
_DARK = {"achieved", "missed", "off_track"}


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def fmt(value: object, digits: int = 0) -> str:
    """A number with thousands separators (``digits`` decimals); '—' for missing."""
    if value is None or value is pd.NA:
        return "—"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            return "—"
        return f"{value:,.{digits}f}"
    try:
        if pd.isna(value):
            return "—"
    except (TypeError, ValueError):
        pass
    return str(value)


def plain(value: object) -> str:
    """A value as text: whole numbers without separators (years), '—' for missing."""
    v = _num(value) if isinstance(value, (int, float)) else value
    if isinstance(v, float) and not math.isnan(v) and v == int(v):
        return str(int(v))
    return fmt(v)


def status_badge(status: object, text: str) -> str:
    colour = STATUS_COLOURS.get(str(status), STATUS_COLOURS["no_data"])
    fg = "#ffffff" if str(status) in _DARK else "#1a1a1a"
    return (f'<span class="status" style="background:{colour};color:{fg}" '
            f'data-status="{esc(status)}">{esc(text)}</span>')


def schedule_badge(status: object, text: str) -> str:
    colour = SCHEDULE_COLOURS.get(str(status), SCHEDULE_COLOURS["no_data"])
    fg = "#ffffff" if str(status) in {"early", "late", "overdue"} else "#1a1a1a"
    return (f'<span class="status" style="background:{colour};color:{fg}" '
            f'data-schedule="{esc(status)}">{esc(text)}</span>')


def frame_html(df: pd.DataFrame, decimals: dict[str, int] | None = None,
               badges: dict[str, tuple[str, list[str]]] | None = None,
               css_class: str = "data") -> str:
    """An HTML table of every column of ``df`` (headers: the column names).

    ``decimals`` gives decimals per numeric column (right-aligned); ``badges`` maps a column
    to ``(palette, codes)``: each cell becomes a badge coloured by its row's code (palette
    ``status`` or ``schedule``) showing the cell's text.
    """
    decimals = decimals or {}
    badges = badges or {}
    makers = {"status": status_badge, "schedule": schedule_badge}
    cols = list(df.columns)
    num_cols = {c for c in cols if c in decimals}
    head = "".join(('<th class="num">' if c in num_cols else "<th>") + f"{esc(c)}</th>"
                   for c in cols)
    body = []
    for i, row in enumerate(df.itertuples(index=False, name=None)):
        cells = []
        for c, v in zip(cols, row, strict=True):
            if c in badges:
                palette, codes = badges[c]
                cells.append(f"<td>{makers[palette](codes[i], plain(v))}</td>")
            elif c in num_cols:
                cells.append(f'<td class="num">{esc(fmt(_num(v), decimals[c]))}</td>')
            else:
                cells.append(f"<td>{esc(plain(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="{esc(css_class)}"><thead><tr>{head}</tr></thead><tbody>'
            + "".join(body) + "</tbody></table>")


def caption(text: str) -> str:
    return f'<p class="caption">{esc(text)}</p>'


def table_html(df: pd.DataFrame, headers: dict[str, str] | None = None,
               html_columns: tuple[str, ...] = (), numeric: dict[str, int] | None = None,
               css_class: str = "data") -> str:
    """An HTML table of ``df``: ``headers`` renames (and selects, in order) columns;
    ``numeric`` gives decimals per column; ``html_columns`` hold trusted HTML (badges)."""
    headers = headers or {c: str(c) for c in df.columns}
    numeric = numeric or {}
    cols = [c for c in headers if c in df.columns]
    head = "".join(f"<th>{esc(headers[c])}</th>" for c in cols)
    body = []
    for _, row in df.iterrows():
        cells = []
        for c in cols:
            v = row[c]
            if c in html_columns:
                cells.append(f"<td>{v}</td>")
            elif c in numeric:
                cells.append(f'<td class="num">{esc(fmt(_num(v), numeric[c]))}</td>')
            else:
                cells.append(f"<td>{esc(plain(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="{css_class}"><thead><tr>{head}</tr></thead><tbody>'
            + "".join(body) + "</tbody></table>")


def _num(v: object) -> object:
    """``v`` as a float (None where missing); a value that is not a number as it is."""
    if v is None or pd.isna(v):
        return None
    if isinstance(v, int | float | str | np.integer | np.floating):
        try:
            return float(v)
        except ValueError:
            return v
    return v


def heading(text: str, level: int = 2) -> str:
    return f"<h{level}>{esc(text)}</h{level}>"


def note(text: str) -> str:
    return f'<p class="note">{esc(text)}</p>'


def banner(text: str) -> str:
    """The prominent SYNTHETIC banner (also repeated on every PDF page by the print CSS)."""
    return f'<div class="synthetic-banner" data-synthetic="true">{esc(text)}</div>'


def title_block(title: str, subtitle: str, synthetic_text: str | None) -> str:
    parts = [banner(synthetic_text)] if synthetic_text else []
    parts += [f'<h1 class="report-title">{esc(title)}</h1>',
              f'<p class="subtitle">{unbroken(esc(subtitle))}</p>']
    return "".join(parts)


#: A document number as the county writes it: never broken across lines.
_DOC_NUMBER = re.compile(r"[（(]?[\u4e00-\u9fff]{1,4}〔\d{4}〕\d+号[）)]?")


def unbroken(escaped: str) -> str:
    """``escaped`` HTML with every document number (``（县委发〔2015〕44号）``) kept on one
    line.

    >>> unbroken("意见》（县委发〔2015〕44号）")
    '意见》<span class="nowrap">（县委发〔2015〕44号）</span>'
    """
    return _DOC_NUMBER.sub(lambda m: f'<span class="nowrap">{m.group(0)}</span>', escaped)


def definition_list(items: list[tuple[str, str]]) -> str:
    rows = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in items)
    return f'<table class="kv">{rows}</table>'


def legend(labels: dict[str, str], title: str = "", palette: str = "status") -> str:
    """Legend: the statuses given (those the briefing shows), colour and label; ``palette``
    ``schedule`` for village schedule statuses."""
    lead = f'<span class="legend-title">{esc(title)}</span> ' if title else ""
    badge = schedule_badge if palette == "schedule" else status_badge
    return ('<p class="legend">' + lead + " ".join(badge(s, t) for s, t in labels.items())
            + "</p>")
