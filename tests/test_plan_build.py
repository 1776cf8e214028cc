"""build_plan writes every processed plan table and the data dictionary."""

from __future__ import annotations

import pandas as pd

from huachi_analysis import paths
from huachi_analysis.plan.build import TABLES, build_plan


def test_build_plan_writes_every_file(tmp_path):
    summary = build_plan(paths.RAW, tmp_path)
    for name in TABLES:
        csv = pd.read_csv(tmp_path / f"{name}.csv", encoding="utf-8-sig")
        pq = pd.read_parquet(tmp_path / f"{name}.parquet")
        assert len(csv) == len(pq) > 0, name
    v = pd.read_parquet(tmp_path / "plan_villages.parquet")
    assert {"township", "village", "exit_year"} <= set(v.columns)
    a = pd.read_parquet(tmp_path / "plan_audit.parquet")
    assert list(a.columns) == ["finding_id", "kind", "description", "description_zh", "quote_a",
                               "quote_b"]
    dd = (tmp_path / "data_dictionary.md").read_text(encoding="utf-8")
    assert "## `plan_targets`" in dd and "## `plan_audit`" in dd
    n = len(pd.read_parquet(tmp_path / "plan_targets.parquet"))
    zh, en = summary.split("\n")  # Chinese, then English (indented)
    assert zh.startswith(f"目标 {n} 个，乡镇 15 个，村 58 个")
    assert en.startswith(f"  {n} targets, 15 townships, 58 villages")
    assert "unaccounted" not in en and "警告" not in zh
