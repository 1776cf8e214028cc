"""Charts of the briefings: one palette, Chinese-capable font, sized for an A4 page.

Every function takes prepared data (a pandas object) and the labels to print, and returns a
:class:`matplotlib.figure.Figure` built without ``pyplot`` (no global figure state, no backend
needed). :func:`show` displays a figure in a notebook as an embedded PNG.

>>> fig = bars(pd.Series({"柔远镇": 3, "南梁镇": 5}), title="示例")
>>> png(fig)[:4] == b"\\x89PNG"
True
"""

from __future__ import annotations

import io
import warnings

import pandas as pd
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from huachi_analysis.fonts import register_matplotlib

#: The one palette of the project (colour-blind-safe Okabe–Ito order).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
PLAN_COLOUR = "#7f7f7f"
ACTUAL_COLOUR = PALETTE[0]
#: One colour per status, used by tables and charts alike.
STATUS_COLOURS = {
    "achieved": "#1a9850",
    "on_track": "#91cf60",
    "at_risk": "#fdae61",
    "off_track": "#f46d43",
    "missed": "#a50026",
    "incomplete": "#fee08b",
    "no_data": "#bdbdbd",
    "not_due": "#9ecae1",
    "baseline": "#cab2d6",
}
STATUS_ORDER = tuple(STATUS_COLOURS)
#: Village exit against the plan's schedule.
SCHEDULE_COLOURS = {
    "early": "#1a9850",
    "on_schedule": "#91cf60",
    "late": "#f46d43",
    "overdue": "#a50026",
    "not_yet": "#fdae61",
    "no_data": "#bdbdbd",
}
#: Width of the text block of an A4 page with 15 mm margins, in inches.
A4_WIDTH_IN = 7.0
DPI = 130


def _style(fig: Figure) -> None:
    for ax in fig.axes:
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(labelsize=8)
        ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
        ax.set_axisbelow(True)


def new_figure(height_in: float = 3.0, ncols: int = 1, nrows: int = 1, width_in: float = A4_WIDTH_IN):
    """A figure of A4 text width with ``nrows × ncols`` axes (returned as a flat list)."""
    register_matplotlib()
    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel().tolist()
    return fig, axes


def png(fig: Figure) -> bytes:
    """PNG bytes of a figure at :data:`DPI`."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def show(fig: Figure) -> None:
    """Display a figure in a notebook as an embedded PNG (never a link, never a CDN)."""
    from IPython.display import Image, display

    display(Image(data=png(fig), format="png", width=int(fig.get_figwidth() * 96)))


def trajectories(panels: list[dict], year: int, plan_label: str, actual_label: str,
                 derived_label: str, ncols: int = 2) -> Figure:
    """Small multiples of plan against actual.

    Args:
        panels: one dict per panel with ``title`` and ``data`` (a frame with ``year``,
            ``planned``, ``planned_is_derived``, ``actual``).
        year: the report year, marked by a vertical line.
    """
    n = max(len(panels), 1)
    nrows = (n + ncols - 1) // ncols
    fig, axes = new_figure(height_in=2.3 * nrows + 0.3, ncols=ncols, nrows=nrows)
    for ax, panel in zip(axes, panels, strict=False):
        d = panel["data"].sort_values("year")
        planned = d.dropna(subset=["planned"])
        if len(planned):
            ax.plot(planned["year"], planned["planned"], color=PLAN_COLOUR, linestyle="--",
                    marker="o", markersize=3, linewidth=1.2, label=plan_label)
            derived = planned[planned["planned_is_derived"].fillna(False).astype(bool)]
            if len(derived):
                ax.scatter(derived["year"], derived["planned"], facecolors="white",
                           edgecolors=PLAN_COLOUR, s=14, zorder=3, label=derived_label)
        actual = d.dropna(subset=["actual"])
        if len(actual):
            ax.plot(actual["year"], actual["actual"], color=ACTUAL_COLOUR, marker="o",
                    markersize=3.5, linewidth=1.8, label=actual_label)
        ax.axvline(year, color="#d0d0d0", linewidth=0.8)
        ax.set_title(panel["title"], fontsize=9)
        ax.set_xticks(range(2014, 2021))
        ax.set_xlim(2013.6, 2020.4)
        from_zero(ax, pd.concat([d["planned"], d["actual"]]))
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    legend_for_all_panels(fig, axes[:len(panels)], [plan_label, derived_label, actual_label])
    _style(fig)
    return fig


def from_zero(ax, values: pd.Series) -> None:
    """Start the value axis at zero when every value is zero or more: a truncated axis makes
    a small miss look large."""
    v = pd.to_numeric(pd.Series(values), errors="coerce").dropna()
    if len(v) and float(v.min()) >= 0:
        top = float(v.max())
        ax.set_ylim(bottom=0, top=max(ax.get_ylim()[1], top * 1.05) if top > 0 else 1)


def legend_for_all_panels(fig: Figure, axes: list, order: list[str] | None = None) -> None:
    """One legend above the panels holding every entry drawn in *any* panel (a panel without
    an interpolated point no longer hides that entry), in ``order``."""
    handles: dict[str, Artist] = {}
    for ax in axes:
        for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
            handles.setdefault(lab, h)
    if not handles:
        return
    names = [n for n in (order or []) if n in handles] + [n for n in handles if n not in (order or [])]
    fig.legend([handles[n] for n in names], names, loc="outside upper center",
               ncols=len(names), fontsize=7.5, frameon=False)


def _dark(colour: str) -> bool:
    """A background dark enough to need white text (relative luminance below 0.35)."""
    c = colour.lstrip("#")
    if len(c) != 6:
        return False
    r, g, b = (int(c[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.35


def stacked_bars(counts: pd.DataFrame, colours: dict[str, str], labels: dict[str, str],
                 title: str = "", xlabel: str = "", show_values: bool = False) -> Figure:
    """Horizontal stacked bars: one bar per row of ``counts``, one segment per column;
    ``show_values`` writes each segment's count in it (the chart then needs no table)."""
    fig, (ax,) = new_figure(height_in=max(1.8, 0.28 * len(counts) + 1.1))
    left = pd.Series(0.0, index=counts.index)
    for col in counts.columns:
        vals = counts[col].astype(float)
        bars_ = ax.barh(counts.index.astype(str), vals, left=left,
                        color=colours.get(col, PALETTE[0]), label=labels.get(col, col),
                        height=0.65)
        if show_values:
            ax.bar_label(bars_, labels=[f"{v:,.0f}" if v else "" for v in vals],
                         label_type="center", fontsize=6.5,
                         color="#ffffff" if _dark(colours.get(col, PALETTE[0])) else "#1a1a1a")
        left = left + vals
    ax.invert_yaxis()
    ax.set_title(title, fontsize=9)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts
    # below the axes, outside them: constrained layout makes room, whatever the height
    fig.legend(*ax.get_legend_handles_labels(), fontsize=7, frameon=False,
               ncols=min(len(counts.columns), 5), loc="outside lower center")
    _style(fig)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    return fig


def bars(values: pd.Series, title: str = "", xlabel: str = "", colour: str = PALETTE[0],
         highlight: str | None = None, integer: bool = False,
         value_labels: dict | None = None) -> Figure:
    """Horizontal bars, largest first; ``highlight`` names one bar drawn in the accent colour;
    ``integer``: the values are counts (whole-number ticks only); ``value_labels`` (index →
    text) is written at the end of each bar."""
    values = values.sort_values(ascending=True)
    fig, (ax,) = new_figure(height_in=max(1.5, 0.26 * len(values) + 0.8))
    colours = [PALETTE[1] if str(k) == highlight else colour for k in values.index]
    drawn = ax.barh(values.index.astype(str), values.to_numpy(dtype=float), color=colours,
                    height=0.65)
    if value_labels:
        ax.bar_label(drawn, labels=[str(value_labels.get(k, "")) for k in values.index],
                     padding=2, fontsize=6.5, color="#333333")
        ax.margins(x=0.12)
    ax.set_title(title, fontsize=9)
    ax.set_xlabel(xlabel, fontsize=8)
    if integer:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _style(fig)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    return fig


def lines(frame: pd.DataFrame, title: str = "", ylabel: str = "", year: int | None = None) -> Figure:
    """One line per column of ``frame`` (index: year)."""
    fig, (ax,) = new_figure(height_in=2.6)
    for i, col in enumerate(frame.columns):
        s = frame[col].dropna()
        ax.plot(s.index, s.to_numpy(dtype=float), marker="o", markersize=3.5, linewidth=1.6,
                color=PALETTE[i % len(PALETTE)], label=str(col))
    if year is not None:
        ax.axvline(year, color="#d0d0d0", linewidth=0.8)
    ax.set_title(title, fontsize=9)
    ax.set_ylabel(ylabel, fontsize=8)
    if len(frame.index):
        ax.set_xticks(sorted({int(y) for y in frame.index}))
    from_zero(ax, frame.stack() if len(frame.columns) else pd.Series(dtype=float))
    ax.legend(fontsize=7, frameon=False)
    _style(fig)
    return fig


def histogram(values: pd.Series, title: str = "", xlabel: str = "", line: float | None = None,
              line_label: str = "", bins: int = 30) -> Figure:
    """Histogram of ``values`` with an optional vertical reference line (the poverty line)."""
    fig, (ax,) = new_figure(height_in=2.6)
    vals = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
    if len(vals):
        ax.hist(vals, bins=bins, color=PALETTE[4], edgecolor="white", linewidth=0.4)
    if line is not None:
        ax.axvline(line, color=STATUS_COLOURS["missed"], linewidth=1.2, label=line_label)
        ax.legend(fontsize=7, frameon=False)
    ax.set_title(title, fontsize=9)
    ax.set_xlabel(xlabel, fontsize=8)
    _style(fig)
    return fig


def _poverty_line(ax, line: float | None, line_label: str, vertical: bool = True) -> None:
    if line is None:
        return
    (ax.axvline if vertical else ax.axhline)(line, color=STATUS_COLOURS["missed"], linewidth=1.2,
                                             label=line_label)
    ax.legend(fontsize=7, frameon=False, loc="upper right")


def income_histogram(values: pd.Series, title: str = "", xlabel: str = "", ylabel: str = "",
                     line: float | None = None, line_label: str = "") -> Figure:
    """Distribution of per-capita incomes (seaborn ``histplot``) with the poverty line."""
    import seaborn as sns

    fig, (ax,) = new_figure(height_in=2.6)
    vals = pd.to_numeric(values, errors="coerce").dropna().astype(float)
    if len(vals):
        sns.histplot(x=vals.to_numpy(), bins=min(40, max(10, len(vals) // 15)), ax=ax,
                     color=PALETTE[4], edgecolor="white", linewidth=0.4)
    _poverty_line(ax, line, line_label)
    ax.set_title(title, fontsize=9)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_ylabel(ylabel, fontsize=8)
    _style(fig)
    return fig


def _finish_boxes(fig: Figure, ax, title: str, xlabel: str, line: float | None,
                  line_label: str) -> Figure:
    """The poverty line, title, labels and grid of a horizontal box chart of incomes."""
    _poverty_line(ax, line, line_label)
    ax.set_title(title, fontsize=9)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_ylabel("")
    _style(fig)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    return fig


def income_by_group(frame: pd.DataFrame, group: str, value: str, title: str = "",
                    xlabel: str = "", line: float | None = None, line_label: str = "",
                    order: list[str] | None = None) -> Figure:
    """Per-capita incomes by group (township), one horizontal box each (seaborn
    ``boxplot``), ordered by median unless ``order`` is given, with the poverty line."""
    import seaborn as sns

    d = frame[[group, value]].dropna()
    d = d.assign(**{value: d[value].astype(float), group: d[group].astype(str)})
    if order is None:
        order = d.groupby(group)[value].median().sort_values().index.tolist()
    fig, (ax,) = new_figure(height_in=max(2.0, 0.24 * len(order) + 0.9))
    if len(d):
        with warnings.catch_warnings():
            # seaborn 0.13.2 passes matplotlib 3.11 the deprecated ``vert`` argument
            warnings.filterwarnings("ignore", message=r"vert: bool was deprecated",
                                    category=DeprecationWarning)
            sns.boxplot(data=d, x=value, y=group, order=order, ax=ax, color=PALETTE[4],
                        fliersize=1.2, linewidth=0.7, width=0.6,
                        flierprops={"marker": ".", "alpha": 0.4})
    return _finish_boxes(fig, ax, title, xlabel, line, line_label)


# ---- the same two income charts drawn from aggregates (income_distribution, income_summary) ----
def income_histogram_binned(bins: pd.DataFrame, title: str = "", xlabel: str = "",
                            ylabel: str = "", line: float | None = None,
                            line_label: str = "") -> Figure:
    """:func:`income_histogram` from pre-counted bins (``income_lower``, ``income_upper``,
    ``households``: a geography-year of ``income_distribution``): the same bars, drawn without
    the household rows."""
    import seaborn as sns

    fig, (ax,) = new_figure(height_in=2.6)
    if len(bins) and float(bins["households"].sum()) > 0:
        lower = bins["income_lower"].astype(float).to_numpy()
        edges = [*lower, float(bins["income_upper"].astype(float).iloc[-1])]
        sns.histplot(x=lower, weights=bins["households"].astype(float).to_numpy(), bins=edges,
                     ax=ax, color=PALETTE[4], edgecolor="white", linewidth=0.4)
    _poverty_line(ax, line, line_label)
    ax.set_title(title, fontsize=9)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_ylabel(ylabel, fontsize=8)
    _style(fig)
    return fig


def income_boxes(stats: pd.DataFrame, group: str, fliers: dict[str, list[float]] | None = None,
                 title: str = "", xlabel: str = "", line: float | None = None,
                 line_label: str = "", order: list[str] | None = None) -> Figure:
    """:func:`income_by_group` from per-group statistics (columns ``income_p25``,
    ``income_median``, ``income_p75``, ``income_whisker_low``/``high``: ``income_summary``) and
    the incomes beyond the whiskers (``fliers``: group → values, from ``income_outliers``):
    one horizontal box per row of ``stats``, as seaborn draws it, ordered by median unless
    ``order`` is given."""
    import colorsys

    import seaborn as sns
    from matplotlib.colors import to_rgb

    st = stats.dropna(subset=["income_median"]).assign(**{group: lambda d: d[group].astype(str)})
    if order is None:
        order = st.sort_values("income_median", kind="stable")[group].tolist()
    st = st.set_index(group)
    fig, (ax,) = new_figure(height_in=max(2.0, 0.24 * len(order) + 0.9))
    face = sns.desaturate(PALETTE[4], 0.75)
    grey = colorsys.rgb_to_hls(*to_rgb(face))[1] * 0.6
    edge = (grey, grey, grey)
    boxes = []
    for name in order:
        r = st.loc[name]
        lo, hi = float(r["income_whisker_low"]), float(r["income_whisker_high"])
        boxes.append({"label": name, "q1": float(r["income_p25"]), "med": float(r["income_median"]),
                      "q3": float(r["income_p75"]), "whislo": lo, "whishi": hi,
                      "fliers": list((fliers or {}).get(name, []))})
    if boxes:
        ax.bxp(boxes, positions=list(range(len(boxes))), widths=0.6, capwidths=0.3,
               orientation="horizontal", patch_artist=True, manage_ticks=False,
               boxprops={"facecolor": face, "edgecolor": edge, "linewidth": 0.7},
               medianprops={"color": edge, "linewidth": 0.7, "solid_capstyle": "butt"},
               whiskerprops={"color": edge, "linewidth": 0.7, "solid_capstyle": "butt"},
               capprops={"color": edge, "linewidth": 0.7},
               flierprops={"marker": ".", "markersize": 1.2, "alpha": 0.4,
                           "markeredgecolor": edge, "markerfacecolor": edge})
        ax.set_yticks(range(len(boxes)), [b["label"] for b in boxes])
        ax.set_ylim(len(boxes) - 0.5, -0.5)  # first at the top, as seaborn draws categories
    return _finish_boxes(fig, ax, title, xlabel, line, line_label)
