"""The aggregates the briefings read (progress/briefing_tables.py), checked against what the
briefings computed from household rows before: pandas quartiles, matplotlib's box-plot whiskers
and outliers, numpy's histogram, the exit audit's rows counted."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import cbook

from huachi_analysis.progress.briefing_tables import briefing_tables
from huachi_analysis.progress.exit_audit import exit_audit
from test_progress_registry import LINES, households


def _registry(seed: int = 7) -> pd.DataFrame:
    """Three townships over two years: skewed incomes with outliers, a few without income,
    a township of one household, one whose incomes are all equal."""
    rng = np.random.default_rng(seed)
    rows = []
    for year in (2015, 2016):
        for town, n in (("白马乡", 400), ("乔河乡", 37), ("元城镇", 1), ("山庄乡", 5)):
            inc = np.round(rng.lognormal(np.log(3000), 0.45, n), 2)
            if town == "山庄乡":
                inc[:] = 2500.0
            for i, v in enumerate(inc):
                rows.append(dict(year=year, household_key=f"{town}{i}", township=town,
                                 village="甲村", village_is_poor=True, members_listed=3,
                                 household_size=3, exit_status="已脱贫" if i % 3 else "未脱贫",
                                 registry_exit_year=year if i % 3 else None,
                                 income_per_capita=None if (i % 50 == 7) else float(v),
                                 main_cause="因病", dangerous_house=False, safe_water=True,
                                 is_synthetic=True))
    df = pd.DataFrame(rows)
    df["registry_exit_year"] = df["registry_exit_year"].astype("Int64")
    return df


def test_income_tables_equal_what_the_charts_computed_from_the_rows():
    hh = _registry()
    lines = pd.DataFrame({"year": [2015], "poverty_line": [2855.0]})  # 2016 has none
    t = briefing_tables(hh, lines)
    summary, dist, out = t["income_summary"], t["income_distribution"], t["income_outliers"]
    groups = [((y, g), d) for (y, g), d in hh.groupby(["year", "township"])]
    groups += [((y, "华池县"), d) for y, d in hh.groupby("year")]
    assert len(summary) == len(groups) == 10
    for (year, geo), d in groups:
        inc = d["income_per_capita"].dropna().astype(float)
        row = summary[(summary["year"] == year) & (summary["geography"] == geo)].iloc[0]
        st = cbook.boxplot_stats(inc.to_numpy())[0]
        q = inc.quantile([0.25, 0.5, 0.75])
        assert row["households"] == len(inc)
        np.testing.assert_allclose(
            [row[c] for c in ("income_min", "income_whisker_low", "income_p25", "income_median",
                              "income_p75", "income_whisker_high", "income_max")],
            [inc.min(), st["whislo"], q[0.25], q[0.5], q[0.75], st["whishi"], inc.max()],
            rtol=1e-12)
        assert row["outlier_households"] == len(st["fliers"])
        o = out[(out["year"] == year) & (out["geography"] == geo)]
        assert sorted(np.repeat(o["income_per_capita"].to_numpy(float),
                                o["households"].to_numpy(int))) == sorted(st["fliers"])
        if year == 2015:
            assert row["households_below_line"] == (inc < 2855.0).sum()
        else:
            assert pd.isna(row["households_below_line"]) and pd.isna(row["poverty_line"])
        counts, edges = np.histogram(inc, bins=min(40, max(10, len(inc) // 15)))
        b = dist[(dist["year"] == year) & (dist["geography"] == geo)].sort_values("bin")
        assert b["households"].astype(int).tolist() == counts.tolist()
        assert [*b["income_lower"].astype(float), float(b["income_upper"].iloc[-1])] == \
            edges.tolist()
    assert set(summary["level"]) == {"county", "township"}


def test_audit_counts_count_the_audit_rows():
    hh = pd.concat([households(), _registry()], ignore_index=True)
    first = (hh["household_key"] == "白马乡0") & (hh["year"] == 2016)
    hh.loc[first, "exit_status"] = "返贫"  # after 未脱贫, never exited: no prior exit
    hh.loc[(hh["household_key"] == "白马乡1") & (hh["year"] == 2015), "registry_exit_year"] = 2017
    counts = briefing_tables(hh, LINES)["exit_audit_counts"]
    rows = exit_audit(hh, LINES)
    want = rows.groupby(["year", "township", "finding"]).size()
    got = counts.set_index(["year", "township", "finding"])["households"]
    assert set(rows["finding"]) >= {"exited_below_line", "above_line_not_exited",
                                    "return_without_prior_exit", "exit_year_in_future",
                                    "exit_year_changed", "exited_dangerous_house"}
    assert got.astype(int).to_dict() == want.astype(int).to_dict()
