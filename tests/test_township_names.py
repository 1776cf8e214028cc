"""--townships accepts Chinese with or without 镇/乡, pinyin with or without zhen/xiang in any
case, English; a near miss gets a "did you mean" in Chinese and English; names render
township briefings only unless county reports are asked for."""

from __future__ import annotations

import pytest

from huachi_analysis.errors import ParameterError
from huachi_analysis.plan import townships
from huachi_analysis.reports.selection import Catalog, plan_batch
from huachi_analysis.reports.township_names import TownshipNames, split_names


@pytest.fixture(scope="module")
def names() -> TownshipNames:
    t = townships()
    return TownshipNames(t.astype(object).where(t.notna(), None).to_dict("records"))


@pytest.mark.parametrize("spelling", [
    "南梁镇", "南梁", " 南梁镇 ", "nanliang", "Nanliang", "NANLIANG", "nanliangzhen",
    "Nanliang Zhen", "nanliang-zhen", "nanliang zhen", "Nanliang Town", "nanliang town",
    "ＮＡＮＬＩＡＮＧ"])
def test_every_spelling_of_nanliang(names, spelling):
    assert names.resolve(spelling) == "南梁镇"


@pytest.mark.parametrize(("spelling", "township"), [
    ("baima", "白马乡"), ("Baima Xiang", "白马乡"), ("baimaxiang", "白马乡"), ("白马", "白马乡"),
    ("Baima Township", "白马乡"), ("huaian", "怀安乡"), ("Huai'an", "怀安乡"),
    ("linzhen", "林镇乡"), ("林镇", "林镇乡"), ("Linzhen Xiang", "林镇乡"), ("五蛟乡", "五蛟镇"),
    ("wujiao", "五蛟镇"), ("紫坊", "紫坊畔乡"), ("zifangpan", "紫坊畔乡")])
def test_every_township_by_pinyin_chinese_and_english(names, spelling, township):
    assert names.resolve(spelling) == township


def test_every_township_resolves_by_its_bare_pinyin(names):
    for row in names.rows:
        bare = row["township_pinyin"].rsplit(" ", 1)[0].lower()
        assert names.resolve(bare) == row["township"]
        assert names.resolve(row["township"][:-1]) == row["township"]  # without 镇/乡


@pytest.mark.parametrize(("typo", "meant"), [
    ("nanlian", "南梁镇"), ("nanliang xiang", "南梁镇"), ("南梁乡", "南梁镇"), ("南粱镇", "南梁镇"),
    ("rouyan", "柔远镇"), ("qiaochuang", "乔川乡")])
def test_near_misses_say_did_you_mean_in_chinese_and_pinyin(names, typo, meant):
    with pytest.raises(ParameterError) as err:
        names.resolve(typo)
    zh, en = str(err.value).split("\n")
    pinyin = next(r["township_pinyin"] for r in names.rows if r["township"] == meant)
    assert "是否指" in zh and f"{meant}（{pinyin}）" in zh and typo.strip() in zh
    assert "did you mean" in en and f"{meant} ({pinyin})" in en


def test_far_misses_list_every_township(names):
    with pytest.raises(ParameterError) as err:
        names.resolve("Beijing")
    zh, en = str(err.value).split("\n")
    assert zh.count("Xiang）") + zh.count("Zhen）") == 15 and "紫坊畔乡（Zifangpan Xiang）" in zh
    assert "unknown township 'Beijing'" in en and "Shanzhuang Xiang" in en


def test_split_names_on_ascii_and_chinese_separators():
    assert split_names("柔远镇，nanliang、Baima Xiang,") == ["柔远镇", "nanliang", "Baima Xiang"]


def _catalog() -> Catalog:
    t = townships()
    return Catalog(years=[2015, 2016],
                   townships=t.astype(object).where(t.notna(), None).to_dict("records"))


def test_named_townships_render_township_briefings_only(tmp_path):
    cat = _catalog()
    specs = plan_batch(cat, townships="nanliang", directory=tmp_path)
    assert [(s.kind, s.township, s.year) for s in specs] == [
        ("township", "南梁镇", 2015), ("township", "南梁镇", 2016)]
    specs = plan_batch(cat, years="2016", townships="南梁镇,rouyuan", county=True,
                       directory=tmp_path)
    assert [(s.kind, s.township) for s in specs] == [
        ("county", None), ("township", "南梁镇"), ("township", "柔远镇")]
    # keywords keep the county reports; county=False drops them
    assert [s.kind for s in plan_batch(cat, townships="none", directory=tmp_path)] == \
        ["county", "county"]
    assert {s.kind for s in plan_batch(cat, townships="latest", county=False,
                                       directory=tmp_path)} == {"township"}
    with pytest.raises(ParameterError, match="--county"):
        plan_batch(cat, townships="none", county=False, directory=tmp_path)
