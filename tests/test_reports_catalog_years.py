"""The years with registry data come from the ``year`` column alone (Parquet, a single file or
a hive-partitioned folder) or a streamed CSV: the same years either way, none from a folder
with neither, and the report catalogue and a briefing's data agree on them."""

import pandas as pd

from huachi_analysis import catalog
from huachi_analysis.reports.data import registry_years


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"year": [2016, 2014, 2016, None, 2015], "value": [1, 2, 3, 4, 5]})


def test_years_from_parquet_and_from_csv_agree(tmp_path):
    df = _frame()
    pq_dir, csv_dir = tmp_path / "pq", tmp_path / "csv"
    pq_dir.mkdir()
    csv_dir.mkdir()
    df.to_parquet(pq_dir / "progress_registry.parquet")
    df.to_csv(csv_dir / "progress_registry.csv", index=False)
    assert catalog.years("progress_registry", pq_dir) == [2014, 2015, 2016]
    assert catalog.years("progress_registry", csv_dir) == [2014, 2015, 2016]
    assert catalog.years("progress_registry", tmp_path) == []


def test_years_of_a_table_without_a_year_column_are_none(tmp_path):
    pd.DataFrame({"value": [1, 2]}).to_parquet(tmp_path / "progress_registry.parquet")
    assert catalog.years("progress_registry", tmp_path) == []


def test_registry_years_fall_back_to_the_next_source(tmp_path):
    """No progress_registry: the years of income_summary."""
    _frame().assign(year=[2019, 2020, 2020, None, 2018]).to_parquet(
        tmp_path / "income_summary.parquet")
    assert registry_years(tmp_path) == [2018, 2019, 2020]
    _frame().to_parquet(tmp_path / "progress_registry.parquet")
    assert registry_years(tmp_path) == [2014, 2015, 2016]


def test_years_of_a_partitioned_table_come_from_its_folders(tmp_path):
    for year in (2017, 2015):
        part = tmp_path / "registry_households" / f"year={year}"
        part.mkdir(parents=True)
        pd.DataFrame({"value": [1, 2]}).to_parquet(part / "part-0.parquet")
    assert catalog.years("registry_households", tmp_path) == [2015, 2017]


def test_distinct_text_values_across_row_groups_and_partitions(tmp_path):
    """Text is read dictionary-encoded: every value used in any row group or partition, each
    once; empty and missing values are not values; a dictionary-encoded column written from a
    slice gives only the value the slice holds."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from huachi_analysis import catalog

    for year, towns in ((2016, ["柔远镇", None, "", "南梁镇"] * 50), (2017, ["悦乐镇"] * 10)):
        part = tmp_path / "registry_households" / f"year={year}"
        part.mkdir(parents=True)
        pq.write_table(pa.table({"township": towns}), part / "part-0.parquet",
                       row_group_size=7)
    assert sorted(catalog.distinct("registry_households", tmp_path, "township")) == [
        "南梁镇", "悦乐镇", "柔远镇"]
    assert catalog.distinct("registry_households", tmp_path, "no_such_column") is None
    assert catalog.distinct("plan_targets", tmp_path, "target_id") is None
    sliced = pa.array(["甲", "乙", "丙"]).dictionary_encode().slice(1, 1)  # uses 乙 only
    pq.write_table(pa.table({"township": sliced}), tmp_path / "plan_villages.parquet")
    assert catalog.distinct("plan_villages", tmp_path, "township") == ["乙"]
