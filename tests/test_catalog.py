"""The catalogue of processed tables (paths, formats, partitions, read/write) and the foreign
keys the table registry declares, checked when a build finishes."""

from __future__ import annotations

import pandas as pd
import pytest

from huachi_analysis import catalog, metadata
from huachi_analysis.errors import ForeignKeyError, InputFileError


def _townships(*names: str) -> pd.DataFrame:
    return pd.DataFrame({"township": list(names), "township_type": ["乡"] * len(names),
                         "township_pinyin": [""] * len(names), "township_en": [""] * len(names),
                         "aliases": [None] * len(names)})


def test_every_registered_processed_table_is_in_the_catalogue():
    processed = {n for n, t in metadata.TABLES.items() if n != "plan_number_ledger"}
    assert processed <= set(catalog.CATALOG)
    # summaries are JSON; the person-level registry tables are partitioned by year
    assert catalog.CATALOG["registry_summary"].formats == ("json",)
    assert {n for n, e in catalog.CATALOG.items() if e.partitioned_by} == {
        "registry_persons", "registry_households"}


def test_declared_foreign_keys():
    keys = {(t, c): (rt, rc) for t, c, rt, rc in catalog.foreign_keys()}
    assert keys[("progress_targets", "target_id")] == ("plan_targets", "target_id")
    for table in ("plan_villages", "registry_households", "registry_persons", "rural_population",
                  "village_population", "village_exits", "exit_audit", "exit_audit_counts"):
        assert keys[(table, "township")] == ("plan_townships", "township"), table
    # every table with a township column declares it
    with_township = {n for n, t in metadata.TABLES.items()
                     if "township" in t.fields and n in catalog.CATALOG and n != "plan_townships"}
    assert with_township == {t for t, c in keys if c == "township"}


def test_write_then_read_each_format(tmp_path):
    df = pd.DataFrame({"year": pd.array([2015, 2016], dtype="Int64"),
                       "poverty_line": pd.array([2855.0, 2952.0], dtype="Float64"),
                       "source": ["a", "b"]})
    written = catalog.write("poverty_lines", df, tmp_path)
    assert [p.name for p in written] == ["poverty_lines.parquet", "poverty_lines.csv"]
    pd.testing.assert_frame_equal(catalog.read("poverty_lines", tmp_path), df)
    text = catalog.read("poverty_lines", tmp_path, fmt="csv")
    assert text["poverty_line"].tolist() == ["2855.0", "2952.0"]  # CSV is read as text
    catalog.write("registry_summary", {"years": [2015]}, tmp_path)
    assert catalog.read("registry_summary", tmp_path) == {"years": [2015]}
    assert catalog.read("plan_targets", tmp_path, required=False) is None
    with pytest.raises(InputFileError, match="plan_targets"):
        catalog.read("plan_targets", tmp_path)
    # no temporary files left behind (atomic writes rename them)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "poverty_lines.csv", "poverty_lines.parquet", "registry_summary.json"]


def test_partitioned_write_keeps_the_given_years_and_drops_the_others(tmp_path):
    df = pd.DataFrame({"year": [2015, 2015, 2017], "household_key": ["a", "b", "c"]})
    catalog.write("registry_households", df.assign(year=2014).head(1), tmp_path)
    catalog.write("registry_households", df, tmp_path, partitions=[2015, 2016, 2017])
    e = catalog.entry("registry_households")
    assert sorted(e.partitions(tmp_path)) == ["2015", "2016", "2017"]  # 2014 removed
    assert len(pd.read_parquet(e.partition(tmp_path, 2016))) == 0  # a year without rows
    back = catalog.read("registry_households", tmp_path)
    assert sorted(back["household_key"]) == ["a", "b", "c"]


def test_a_broken_foreign_key_names_table_column_and_values(tmp_path):
    catalog.write("plan_townships", _townships("柔远镇", "南梁镇"), tmp_path)
    pop = pd.DataFrame({"year": [2016, 2016, 2016], "township": ["柔远镇", "不存在乡", "别处镇"],
                        "rural_population": [1.0, 2.0, 3.0], "source": ["s"] * 3})
    catalog.write("rural_population", pop.iloc[:1], tmp_path)
    assert catalog.check_foreign_keys(tmp_path) >= 1  # holds: checked, no error
    catalog.write("rural_population", pop, tmp_path)
    with pytest.raises(ForeignKeyError) as err:
        catalog.check_foreign_keys(tmp_path)
    message = str(err.value)
    for word in ("rural_population", "township", "plan_townships", "'不存在乡'", "'别处镇'"):
        assert word in message
    assert "'柔远镇'" not in message
    assert "数据表" in message  # Chinese first, English after


def test_a_progress_row_of_an_unknown_target_is_refused(tmp_path):
    targets = pd.DataFrame({"target_id": ["T-01-01"]})
    catalog.write("plan_targets", targets, tmp_path)
    progress = pd.DataFrame({"target_id": ["T-01-01", "T-99-99"], "year": [2016, 2016]})
    catalog.write("progress_targets", progress, tmp_path)
    with pytest.raises(ForeignKeyError, match=r"progress_targets.*target_id.*'T-99-99'"):
        catalog.check_foreign_keys(tmp_path)
