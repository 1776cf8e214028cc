"""The person rows of one year's registry export: the national information system's
person-level columns (``../shared/docs/registry_export.md``), Chinese headers, export order.

Year-dependent person fields (schooling, education, labour capacity, migrant work, insurance)
are derived here from the lasting traits drawn in :mod:`~huachi_analysis.synthetic.population`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from huachi_analysis.synthetic.calibration import BASELINE_YEAR, COUNTY

#: The standard person-level export columns (registry_export.md, in export order) + two extras.
EXPORT_COLUMNS: tuple[str, ...] = (
    "县(市、区、旗)", "乡(镇)", "行政村", "自然村", "户编号", "人编号", "姓名", "证件号码", "人数",
    "与户主关系", "民族", "文化程度", "在校生状况", "健康状况", "劳动技能", "务工状况",
    "务工时间（月）", "参加大病医疗", "脱贫属性", "贫困户属性", "主要致贫原因", "危房户",
    "饮水安全", "饮水困难", "人均纯收入", "联系电话", "脱贫年度", "年度",
)
#: Columns written as text (identifiers with leading zeros, never numbers).
TEXT_COLUMNS = frozenset({"户编号", "人编号", "证件号码", "联系电话"})
_GRADES = ("一", "二", "三")
#: Share of people in the serious-illness insurance by year (0.995 from 2017 on).
_INSURANCE_COVERAGE = {2014: 0.88, 2015: 0.93, 2016: 0.97}


def export_frame(year: int, hh: pd.DataFrame, pe: pd.DataFrame, hy: pd.DataFrame,
                  rng: np.random.Generator) -> pd.DataFrame:
    """The person-level export of one year (Chinese headers, export order)."""
    p = pe[pe["h"].isin(hy["h"])]
    hrow = hy.set_index("h").loc[p["h"].to_numpy()]
    age = year - p["birth_year"].to_numpy()
    u = p["u_school"].to_numpy()
    voc = p["vocational"].to_numpy(bool)
    n = len(p)
    school = np.full(n, "非在校生", dtype=object)
    school[(age >= 3) & (age <= 5) & (u < 0.6)] = "学前教育"
    school[(age >= 6) & (age <= 11)] = "小学"
    for a, grade in ((12, "七年级"), (13, "八年级"), (14, "九年级")):
        school[age == a] = grade
    upper = (age >= 15) & (age <= 17) & (u < 0.85)
    school[upper] = [("中职" if v else "高中") + _GRADES[a - 15] + "年级"
                     for a, v in zip(age[upper], voc[upper], strict=True)]
    college = (age >= 18) & (age <= 21) & (u < 0.3)
    school[college] = "大专及以上"
    in_school = school != "非在校生"
    # education: by age for the young; cohorts born from 1993 on follow their school track
    edu = p["adult_education"].to_numpy().copy()
    young = p["birth_year"].to_numpy() >= 1993
    edu[young] = np.where(u[young] < 0.3, "大专及以上", np.where(u[young] < 0.85, "高中", "初中"))
    edu[(age >= 15) & (age <= 17)] = np.where(upper[(age >= 15) & (age <= 17)], "高中", "初中")
    edu[(age >= 12) & (age <= 14)] = "初中"
    edu[(age >= 6) & (age <= 11)] = "小学"
    edu[age < 6] = "学龄前儿童"
    # labour capacity
    health = p["health"].to_numpy()
    labour = np.where(p["skilled"].to_numpy(bool), "技能劳动力", "普通劳动力").astype(object)
    labour[(health == "长期慢性病") & (p["u_migrant"].to_numpy() < 0.5)] = "弱劳动力或半劳动力"
    labour[(age >= 60) & (age < 75)] = "弱劳动力或半劳动力"
    labour[age >= 75] = "丧失劳动力"
    labour[np.isin(health, ["残疾", "患有大病"])] = "丧失劳动力"
    labour[(age < 16) | in_school] = "无劳动力"
    # migrant work: able workers with a propensity that rises slowly over the years
    worker = np.isin(labour, ["普通劳动力", "技能劳动力"])
    away = worker & (p["u_migrant"].to_numpy() < 0.40 + 0.01 * (year - BASELINE_YEAR))
    migrant = np.where(away, p["destination"].to_numpy(), None)
    months = np.where(away, rng.integers(3, 13, n), 0)
    insured = p["u_insurance"].to_numpy() < _INSURANCE_COVERAGE.get(year, 0.995)
    yes_no = np.array(["否", "是"], dtype=object)
    return pd.DataFrame({
        "县(市、区、旗)": COUNTY,
        "乡(镇)": hrow["township"].to_numpy(),
        "行政村": hrow["village"].to_numpy(),
        "自然村": hh["natural_village"].to_numpy()[p["h"].to_numpy()],
        "户编号": hrow["household_id"].to_numpy(),
        "人编号": p["person_id"].to_numpy(),
        "姓名": p["name"].to_numpy(),
        "证件号码": p["id_number"].to_numpy(),
        "人数": hrow["household_size"].to_numpy(),
        "与户主关系": p["relation"].to_numpy(),
        "民族": p["ethnicity"].to_numpy(),
        "文化程度": edu,
        "在校生状况": school,
        "健康状况": health,
        "劳动技能": labour,
        "务工状况": migrant,
        "务工时间（月）": months,
        "参加大病医疗": yes_no[insured.astype(int)],
        "脱贫属性": hrow["exit_status"].to_numpy(),
        "贫困户属性": hrow["household_type"].to_numpy(),
        "主要致贫原因": hrow["main_cause"].to_numpy(),
        "危房户": yes_no[hrow["dangerous_house"].to_numpy(bool).astype(int)],
        "饮水安全": yes_no[hrow["safe_water"].to_numpy(bool).astype(int)],
        "饮水困难": yes_no[hrow["water_difficulty"].to_numpy(bool).astype(int)],
        "人均纯收入": hrow["income_per_capita"].to_numpy(),
        "联系电话": hh["phone"].to_numpy()[p["h"].to_numpy()],
        "脱贫年度": hrow["registry_exit_year"].array,
        "年度": year,
    }, columns=list(EXPORT_COLUMNS))
