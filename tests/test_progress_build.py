"""build_progress end to end on a tiny processed folder (inputs written by the test)."""

import io

import pandas as pd
import pytest

from huachi_analysis.errors import InputFileError, ParameterError
from huachi_analysis.progress.build import OUTPUTS, build_progress
from test_progress_registry import RURAL, VILLAGE, households

TARGETS = """target_id,indicator_id,clause,domain,indicator_zh,indicator_en,scope,geography,period_start,period_end,target_kind,comparator,value,unit,value_base,unit_base,direction,per_unit,year_is_inferred,is_approximate,income_concept,quote,ambiguity
T-04-01,poverty_exits_persons,4,population,脱贫人数,exits,poor_population,华池县,2016,2016,flow,=,4,人,4,people,higher,,false,false,,2016年脱贫4人,
"""


@pytest.fixture
def processed(tmp_path):
    hh = households()
    for y, g in hh.groupby("year"):
        d = tmp_path / "registry_households" / f"year={y}"
        d.mkdir(parents=True)
        g.drop(columns="year").to_parquet(d / "part-0.parquet", index=False)
    pd.DataFrame({"year": [2015, 2016], "poverty_line": [2855.0, 2952.0],
                  "source": ["x", "x"]}).to_parquet(tmp_path / "poverty_lines.parquet")
    RURAL.assign(source="s").to_parquet(tmp_path / "rural_population.parquet")
    VILLAGE.assign(source="s").to_parquet(tmp_path / "village_population.parquet")
    pd.read_csv(io.StringIO(TARGETS)).to_parquet(tmp_path / "plan_targets.parquet")
    pd.DataFrame({"township": ["白马乡"], "village": ["白马村"], "is_poor_village": [True],
                  "exit_year": [2016]}).to_parquet(tmp_path / "plan_villages.parquet")
    return tmp_path


def test_build_writes_every_table(processed):
    summary = build_progress(processed, processed)
    for name in OUTPUTS:
        assert (processed / f"{name}.csv").exists() and (processed / f"{name}.parquet").exists()
    t = pd.read_parquet(processed / "progress_targets.parquet")
    county = t[(t["year"] == 2016) & (t["geography"] == "华池县")].iloc[0]
    assert (county["actual"], county["status"]) == (5, "achieved")  # h1 (4) + h4 (1)
    assert list(t.columns)[:10] == ["target_id", "indicator_id", "year", "geography", "actual",
                                    "target", "pct_achieved", "progress_ratio", "gap", "status"]
    assert county["actual_origin"] == "registry" and county["pct_achieved"] == 125.0
    v = pd.read_parquet(processed / "village_exits.parquet")
    # 白马村: 10 % in 2015, 5 % in 2016 → not below 3 %, due 2016 → late
    assert v.set_index("year").loc[2016, "schedule_status"] == "late"
    assert "audit findings" in summary


def test_bad_year_and_missing_input(processed):
    with pytest.raises(ParameterError, match="allowed years: 2015, 2016"):
        build_progress(processed, processed, year=2019)
    (processed / "poverty_lines.parquet").unlink()
    with pytest.raises(InputFileError, match="poverty_lines"):
        build_progress(processed, processed)
