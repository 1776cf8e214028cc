"""One section of a briefing: a heading, sentences, a table and a chart, as an object.

Every section method of a briefing (``b.headline()``, ``b.causes()`` …) returns a
:class:`Section`. In a notebook it displays itself (``_repr_html_``: heading, text, chart as an
embedded PNG, table), which is also exactly what the rendered HTML and PDF show; an analyst
explores it through

* ``s.frame`` — the section's (first) table as a DataFrame with readable, translated columns
  (numbers stay numbers where a column holds one kind of number; mixed-unit cells such as
  ``≤9.12%`` are text), ``s.frames`` every table;
* ``s.figure`` — its (first) matplotlib figure, ``s.figures`` every figure; change it and
  display ``s`` again to see the change;
* ``s.sections`` — sub-sections (level 3), each a Section itself.

Building one::

    s = Section("致贫原因", key="causes")
    s.add_text("一句说明。")                   # also add_list([...]) for sentences,
    s.add_key_figures([("贫困户", "1,234户")])  # a row of headline numbers
    s.add_figure(fig)
    s.add_table(frame, decimals={"占比（%）": 1})
    s.add_section(Section("子标题", level=3).add_text("…"))

Blocks appear in the order they are added. Every text is HTML-escaped; only
:meth:`Section.add_html` takes trusted markup (built by :mod:`.display`).

>>> s = Section("示例", key="demo").add_text("说明 <b>")
>>> "&lt;b&gt;" in s._repr_html_() and 'data-section="demo"' in s._repr_html_()
True
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from huachi_analysis.reports import display as D

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure


@dataclass
class Table:
    """A table block: the frame and how to show it.

    Attributes:
        frame: the data, columns named as the reader sees them.
        decimals: column → decimals for numeric columns (right-aligned, thousands separators).
        badges: column → (palette, one code per row): cells shown as coloured badges
            (palette ``status`` or ``schedule``; the code picks the colour, the cell's text is
            the label).
        css: class of the ``<table>`` (``data``, ``data targets`` … sets column widths).
        caption: an optional caption above the table.
        shown: False keeps the table for exploring (``.frame``) without printing it (the
            chart already shows the same numbers).
    """

    frame: pd.DataFrame
    decimals: dict[str, int] = field(default_factory=dict)
    badges: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    css: str = "data"
    caption: str | None = None
    shown: bool = True

    def html(self) -> str:
        if not self.shown:
            return ""
        cap = D.caption(self.caption) if self.caption else ""
        table = D.frame_html(self.frame, decimals=self.decimals, badges=self.badges,
                             css_class=self.css)
        # a short table is never split over two pages (nor parted from its caption)
        keep = len(self.frame) <= KEEP_ROWS
        return f'<div class="{"keep-table" if keep else "table"}">{cap}{table}</div>'


#: Tables of at most this many rows stay on one page; a longer one may run over a page break,
#: never leaving fewer than three rows on either side (report.css), so that a page is not left
#: half empty before it.
KEEP_ROWS = 8


@dataclass
class FigureBlock:
    figure: Figure
    alt: str = ""

    def html(self) -> str:
        from huachi_analysis import charts

        data = base64.b64encode(charts.png(self.figure)).decode("ascii")
        width = int(self.figure.get_figwidth() * 96)
        return (f'<div class="figure"><img src="data:image/png;base64,{data}" '
                f'width="{width}" alt="{D.esc(self.alt)}"></div>')


@dataclass
class TextBlock:
    text: str
    css: str = "note"

    def html(self) -> str:
        return f'<p class="{D.esc(self.css)}">{D.esc(self.text)}</p>'


@dataclass
class ListBlock:
    items: list[str]
    css: str = "points"

    def html(self) -> str:
        lis = "".join(f"<li>{D.esc(i)}</li>" for i in self.items)
        return f'<ul class="{D.esc(self.css)}">{lis}</ul>'


@dataclass
class KeyFiguresBlock:
    """A row of headline numbers: (label, value as text, optional note) each."""

    items: list[tuple[str, str, str]]

    def html(self) -> str:
        cells = "".join(
            f'<div class="kf"><div class="kf-value">{D.esc(v)}</div>'
            f'<div class="kf-label">{D.esc(lab)}</div>'
            + (f'<div class="kf-note">{D.esc(n)}</div>' if n else "") + "</div>"
            for lab, v, n in self.items)
        return f'<div class="key-figures">{cells}</div>'


@dataclass
class HtmlBlock:
    fragment: str

    def html(self) -> str:
        return self.fragment


class Section:
    """A heading and its blocks (text, lists, tables, figures, sub-sections).

    Args:
        title: the heading (None: no heading, e.g. the title block).
        key: a stable identifier (``headline``, ``causes``), written as ``data-section``.
        level: heading level (2 for a section, 3 for a sub-section).
    """

    def __init__(self, title: str | None, key: str = "", level: int = 2):
        self.title = title
        self.key = key
        self.level = level
        self.blocks: list = []

    # ---- building ---------------------------------------------------------------------------
    def add_text(self, text: str, css: str = "note") -> Section:
        """A paragraph (``css``: ``note`` small grey, ``lead`` normal text, ``reason`` why a
        table or chart is empty)."""
        self.blocks.append(TextBlock(str(text), css))
        return self

    def add_list(self, items: list[str], css: str = "points") -> Section:
        """A bulleted list of sentences."""
        self.blocks.append(ListBlock([str(i) for i in items], css))
        return self

    def add_key_figures(self, items: Sequence[tuple[str, str] | tuple[str, str, str]]
                        ) -> Section:
        """A row of headline numbers, e.g. ``[("贫困发生率", "5.11%", "规划 ≤5.47%")]``
        (label, value as text, optional note); values are formatted by the caller
        (``Labels.quantity``)."""
        self.blocks.append(KeyFiguresBlock([(str(i[0]), str(i[1]), str(i[2]) if len(i) > 2 else "")
                                            for i in items]))
        return self

    def add_table(self, frame: pd.DataFrame, decimals: dict[str, int] | None = None,
                  badges: dict[str, tuple[str, list[str]]] | None = None, css: str = "data",
                  caption: str | None = None, shown: bool = True) -> Section:
        self.blocks.append(Table(frame, dict(decimals or {}), dict(badges or {}), css, caption,
                                 shown))
        return self

    def add_figure(self, figure: Figure, alt: str = "") -> Section:
        self.blocks.append(FigureBlock(figure, alt))
        return self

    def add_html(self, fragment: str) -> Section:
        """Trusted HTML (from :mod:`.display`: legends, badges, title blocks)."""
        self.blocks.append(HtmlBlock(fragment))
        return self

    def add_section(self, sub: Section) -> Section:
        self.blocks.append(sub)
        return self

    def empty(self, reason: str) -> Section:
        """Say why the section has no table or chart (never an empty section)."""
        return self.add_text(reason, css="reason")

    # ---- exploring ------------------------------------------------------------------------
    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def frames(self) -> list[pd.DataFrame]:
        """Every table of this section (not of its sub-sections)."""
        return [t.frame for t in self.tables]

    @property
    def frame(self) -> pd.DataFrame | None:
        """The first table (of this section, else of its first sub-section with one)."""
        if self.tables:
            return self.tables[0].frame
        for s in self.sections:
            if s.frame is not None:
                return s.frame
        return None

    @property
    def figures(self) -> list[Figure]:
        return [b.figure for b in self.blocks if isinstance(b, FigureBlock)]

    @property
    def figure(self) -> Figure | None:
        """The first figure (of this section, else of a sub-section)."""
        if self.figures:
            return self.figures[0]
        for s in self.sections:
            if s.figure is not None:
                return s.figure
        return None

    @property
    def sections(self) -> list[Section]:
        return [b for b in self.blocks if isinstance(b, Section)]

    @property
    def texts(self) -> list[str]:
        """Every sentence shown (paragraphs and list items), sub-sections included."""
        out: list[str] = []
        for b in self.blocks:
            if isinstance(b, TextBlock):
                out.append(b.text)
            elif isinstance(b, ListBlock):
                out += b.items
            elif isinstance(b, Section):
                out += b.texts
        return out

    # ---- display --------------------------------------------------------------------------
    def html(self) -> str:
        """The section as an HTML fragment (what the notebook, the HTML and the PDF show).

        The heading and the short blocks after it up to the first table or figure are kept
        together (``div.keep``), and a figure stays with them too, so that no heading is left
        alone at the bottom of a page.
        """
        parts = [b.html() for b in self.blocks]
        head = D.heading(self.title, self.level) if self.title else ""
        lead = 0
        while lead < len(self.blocks) and isinstance(self.blocks[lead],
                                                     (TextBlock, ListBlock, KeyFiguresBlock)):
            lead += 1
        if lead < len(self.blocks) and isinstance(self.blocks[lead], FigureBlock):
            lead += 1  # a figure is short enough to keep with its heading
        keep = head + "".join(parts[:lead])
        # a section wholly inside its keep block need not stay with the next section (a
        # table kept only for exploring prints nothing: it does not count)
        rest = [b for b in self.blocks[lead:] if not (isinstance(b, Table) and not b.shown)]
        # nor a chart the next block need not follow: a table with a caption of its own
        free = not rest or (lead and isinstance(self.blocks[lead - 1], FigureBlock)
                            and isinstance(rest[0], Table) and bool(rest[0].caption))
        css = "keep whole" if free else "keep"
        body = (f'<div class="{css}">{keep}</div>' if head and lead else keep) + "".join(parts[lead:])
        key = f' data-section="{D.esc(self.key)}"' if self.key else ""
        return f'<section class="briefing-section level{self.level}"{key}>{body}</section>'

    def _repr_html_(self) -> str:
        return self.html()

    def __repr__(self) -> str:
        parts = []
        for t in self.tables:
            parts.append(f"table {t.frame.shape[0]}×{t.frame.shape[1]}")
        parts += ["figure"] * len(self.figures)
        parts += [f"section {s.title!r}" for s in self.sections]
        return f"Section({self.title!r}, key={self.key!r}: {', '.join(parts) or 'text only'})"
