"""The report catalogue's years come from the ``year`` column alone (Parquet) or a streamed
CSV: the same years either way, and a folder with neither has none."""

import pandas as pd

from huachi_analysis.reports.selection import _years


def test_years_from_parquet_and_from_csv_agree(tmp_path):
    df = pd.DataFrame({"year": [2016, 2014, 2016, None, 2015], "value": [1, 2, 3, 4, 5]})
    pq_dir, csv_dir = tmp_path / "pq", tmp_path / "csv"
    pq_dir.mkdir()
    csv_dir.mkdir()
    df.to_parquet(pq_dir / "progress_registry.parquet")
    df.to_csv(csv_dir / "progress_registry.csv", index=False)
    assert _years(pq_dir, "progress_registry") == [2014, 2015, 2016]
    assert _years(csv_dir, "progress_registry") == [2014, 2015, 2016]
    assert _years(tmp_path, "progress_registry") == []
