"""Townships, villages and name resolution against the plan text."""

from __future__ import annotations

import pandas as pd
import pytest

from huachi_analysis import plan
from huachi_analysis.geography import (
    TOWNSHIPS,
    Gazetteer,
    is_poor_village,
    resolve_township,
    resolve_village,
)
from huachi_analysis.plan.geography import gazetteer
from huachi_analysis.plan.schedule import parse_exit_schedule
from huachi_analysis.plan.source_text import clause_text

CANON = ["柔远镇", "悦乐镇", "城壕镇", "南梁镇", "元城镇", "五蛟镇", "白马乡", "怀安乡", "林镇乡", "乔川乡", "乔河乡", "紫坊畔乡", "上里塬乡", "王咀子乡", "山庄乡"]


def test_fifteen_townships_with_type_from_suffix():
    t = plan.townships()
    assert sorted(t["township"]) == sorted(CANON)
    assert (t["township_type"] == t["township"].str[-1]).all()
    assert set(TOWNSHIPS) == set(CANON)


@pytest.mark.parametrize("spelling, canon", [
    ("五蛟乡", "五蛟镇"), ("紫坊", "紫坊畔乡"), ("乔川", "乔川乡"), ("元城", "元城镇"),
    ("怀安", "怀安乡"), ("五蛟", "五蛟镇"), ("白马", "白马乡"), ("城壕", "城壕镇"),
    ("王咀子", "王咀子乡"), ("上里塬", "上里塬乡"), ("乔河", "乔河乡"), ("林镇", "林镇乡"),
    ("　乔 川 乡 ", "乔川乡"), ("华池县柔远镇", "柔远镇"), ("紫坊乡", "紫坊畔乡"),
])
def test_resolve_township_spellings(spelling, canon):
    assert resolve_township(spelling) == canon


@pytest.mark.parametrize("bad", ["", None, "华池县", "庆阳", "林乡", "元城川"])
def test_resolve_township_unknown_is_none(bad):
    assert resolve_township(bad) is None


def test_every_alias_the_plan_uses_is_listed():
    aliases = "|".join(plan.townships()["aliases"].fillna(""))
    for a in ("五蛟乡", "紫坊", "乔川", "元城", "怀安", "五蛟", "白马", "城壕", "王咀子", "上里塬", "乔河"):
        assert a in aliases.split("|")


def test_villages_keyed_by_township_and_name():
    v = plan.villages()
    assert len(v) == 58 and int(v["is_poor_village"].sum()) == 56
    assert not v.duplicated(["township", "village"]).any()
    zhangcha = v[v["village"] == "张岔村"].set_index("township")["exit_year"].to_dict()
    assert zhangcha == {"林镇乡": 2015, "乔河乡": 2017}
    assert resolve_village("林镇乡", "张岔") == "张岔村"
    assert resolve_village("白马乡", "王沟门") == "王沟门村"
    assert resolve_village("白马乡", "张岔村") is None
    assert is_poor_village("五蛟乡", "杜右手村") and is_poor_village("乔河", "张岔")
    assert not is_poor_village("山庄乡", "尚湾村") and resolve_village("山庄乡", "尚湾") == "尚湾村"
    assert not is_poor_village("白马乡", "不存在村")


def test_schedule_counts_22_20_14_match_the_text():
    text = plan.text()
    sched = parse_exit_schedule(text, resolve_township)
    counts = sched.groupby("exit_year").size().to_dict()
    assert counts == {2015: 22, 2016: 20, 2017: 14}
    stated = sched.groupby("exit_year")["stated_count"].first().to_dict()
    assert stated == counts
    # independent count: every village of clause 5 ends with 村 or is followed by 、
    body = clause_text(text, "5")
    for year, n in counts.items():
        start = body.index(f"{year}年{n}个村（")
        inner = body[start:body.index("）", start)]
        assert inner.count("、") + inner.count("，") + 1 == n


def test_villages_csv_matches_the_text():
    text = plan.text()
    v = plan.villages()
    poor = v[v["is_poor_village"]].reset_index(drop=True)
    sched = parse_exit_schedule(text, resolve_township)
    cols = ["township", "village", "exit_year", "township_as_written", "village_as_written",
            "quote"]
    got = poor[cols].astype(str).sort_values(["township", "village"]).reset_index(drop=True)
    want = sched[cols].astype(str).sort_values(["township", "village"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)
    for r in v.itertuples():
        assert r.quote in text, r.quote
        assert r.township_as_written in r.quote and r.village_as_written in r.quote
        assert r.village.endswith("村")
        assert r.quote in clause_text(text, "5" if r.is_poor_village else r.clause)
    assert (poor["clause"] == "5").all() and poor["exit_year"].notna().all()
    assert v.loc[~v["is_poor_village"], "exit_year"].isna().all()
    # 2016's list writes 五蛟乡; canonical is 五蛟镇
    wj = poor[poor["township_as_written"] == "五蛟乡"]
    assert len(wj) == 3 and (wj["township"] == "五蛟镇").all() and (wj["exit_year"] == 2016).all()


def test_other_named_villages_present_and_not_duplicated():
    v = plan.villages().set_index(["township", "village"])
    assert v.loc[("山庄乡", "尚湾村"), "clause"] == "9(4)"
    assert v.loc[("怀安乡", "杨坪村"), "clause"] == "9(4)"
    # 7(2) names 刘坪村 and 徐背台村: poor villages, listed once with clause 5
    assert v.loc[("紫坊畔乡", "刘坪村"), "clause"] == "5"
    assert v.loc[("乔川乡", "徐背台村"), "clause"] == "5"


def test_gazetteer_rejects_a_spelling_claimed_twice():
    t = pd.DataFrame({"township": ["甲乡", "乙乡"], "aliases": ["丙", "丙"]})
    with pytest.raises(ValueError, match="丙"):
        Gazetteer.from_frames(t)


def test_gazetteer_inline():
    g = Gazetteer.from_frames(
        pd.DataFrame({"township": ["林镇乡"], "aliases": [None]}),
        pd.DataFrame({"township": ["林镇乡"], "village": ["张岔村"], "is_poor_village": [True]}))
    assert g.resolve_township("林镇") == "林镇乡"   # stem of the canonical name
    assert g.resolve_township("林") is None
    assert g.resolve_village("林镇", "张岔村委会") == "张岔村"
    assert gazetteer().resolve_township("五蛟乡") == "五蛟镇"
