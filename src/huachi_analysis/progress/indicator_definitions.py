"""What every registry indicator (``progress_registry.indicator_id``) means, and over whom.

One entry per indicator: unit, kind (a ``flow`` happens within a year and adds up over years; a
``level`` is a stock or rate at year end), whether township values add up to the county value,
a Chinese and an English label, the population it is computed over (``over_zh`` /
``over_en``) and a one-line definition in each language. The data dictionary
(``docs/data_dictionary.{zh,en}.md``) and the briefings' notes are generated from here.

Where two definitions are both reasonable, both are computed, under plain names:

* income over **every registered household of the year** (any status, including households
  that have exited — the plan's 扶贫对象): ``registered_income_per_capita`` (mean) and
  ``registered_income_per_capita_median``; the older ids ``poor_income_per_capita`` (the plan's
  indicator id) and ``poor_income_per_capita_median`` hold the same figures and stay for
  compatibility;
* income over **households still poor at year end** (未脱贫 or 返贫):
  ``still_poor_income_per_capita`` and ``still_poor_income_per_capita_median``;
* returns to poverty **by transition** (已脱贫 in Y−1, poor in Y): ``returns_to_poverty_*``;
  **by status** (脱贫属性 = 返贫 in Y's export, a year-end stock that keeps households marked
  返贫 in earlier years): ``returned_status_*``.

>>> INDICATORS["still_poor_income_per_capita_median"].zh
'未脱贫户人均纯收入中位数'
>>> INDICATORS["returned_status_households"].over_en
'households whose 脱贫属性 is 返贫 in the year’s export'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    unit: str
    kind: str  # "flow" (happens in a year; adds up) or "level" (a stock or rate at year end)
    additive: bool  # township values add up to the county value
    description: str  # the one-line English definition
    zh: str = ""  # Chinese label
    en: str = ""  # English label
    over_zh: str = ""  # over whom it is computed
    over_en: str = ""
    definition_zh: str = ""  # one-line Chinese definition
    #: The indicator holds the same figures as this one (an older id kept for compatibility).
    same_as: str | None = None
    #: Export columns (canonical fields of ``registry.headers``) the indicator needs beyond the
    #: ones every row must have (township, village, household number, person, 脱贫属性).
    needs: tuple[str, ...] = ()


# populations (over whom), used in several entries
_POOR_ZH = "年末贫困户（当年导出中脱贫属性为“未脱贫”或“返贫”）"
_POOR_EN = "households poor at year end (脱贫属性 未脱贫 or 返贫 in the year’s export)"
_REG_ZH = "当年全部建档立卡户（任何脱贫属性，含已脱贫户）"
_REG_EN = "every registered household of the year (any status, including those that exited)"
_INC_NOTE_ZH = "按人口加权（每户人均纯收入按成员行数计），缺收入的户不计入并在备注中说明"
_INC = ("income_per_capita",)

#: Every registry indicator. The ids reserved for plan targets are used as they are.
INDICATORS: dict[str, Indicator] = {
    "registered_poor_persons": Indicator(
        "people", "level", True, "persons in households poor at year end (未脱贫 or 返贫)",
        zh="年末贫困人口", en="Poor persons at year end",
        over_zh=_POOR_ZH, over_en=_POOR_EN,
        definition_zh="年末贫困户的成员人数（已脱贫户不计）"),
    "registered_poor_households": Indicator(
        "households", "level", True, "households poor at year end (未脱贫 or 返贫); exited "
        "households are not counted", zh="年末贫困户数", en="Poor households at year end",
        over_zh=_POOR_ZH, over_en=_POOR_EN,
        definition_zh="年末贫困户的户数（已脱贫户不计）"),
    "poverty_exits_persons": Indicator(
        "people", "flow", True, "persons in households exiting in the year: 已脱贫 in Y and "
        "脱贫年度 = Y, or 脱贫年度 empty and poor in Y−1",
        zh="当年脱贫人口", en="Persons exiting in the year",
        over_zh="当年脱贫的户", over_en="households exiting in the year",
        definition_zh="本年已脱贫且脱贫年度为本年（或脱贫年度为空、上年仍为贫困）的户的成员人数"),
    "poverty_exits_households": Indicator(
        "households", "flow", True, "households exiting in the year (as for persons)",
        zh="当年脱贫户数", en="Households exiting in the year",
        over_zh="当年脱贫的户", over_en="households exiting in the year",
        definition_zh="本年已脱贫且脱贫年度为本年（或脱贫年度为空、上年仍为贫困）的户数"),
    "returns_to_poverty_persons": Indicator(
        "people", "flow", True, "returns by transition: persons in households 已脱贫 in Y−1 "
        "and 未脱贫 or 返贫 in Y (same household); empty in the first registry year",
        zh="返贫人口（按状态变化）", en="Persons returning to poverty (by transition)",
        over_zh="上年已脱贫、本年未脱贫或返贫的户（同一户编号）",
        over_en="households 已脱贫 in Y−1 and poor in Y (same household)",
        definition_zh="上年已脱贫、本年为未脱贫或返贫的户的成员人数；第一年无法计算"),
    "returns_to_poverty_households": Indicator(
        "households", "flow", True, "returns by transition: households 已脱贫 in Y−1 and "
        "未脱贫 or 返贫 in Y; empty in the first registry year",
        zh="返贫户数（按状态变化）", en="Households returning to poverty (by transition)",
        over_zh="上年已脱贫、本年未脱贫或返贫的户（同一户编号）",
        over_en="households 已脱贫 in Y−1 and poor in Y (same household)",
        definition_zh="上年已脱贫、本年为未脱贫或返贫的户数；第一年无法计算"),
    "new_poor_persons": Indicator(
        "people", "flow", True, "persons in households poor in Y whose household number is not "
        "in Y−1's export (newly identified, or a changed household number); empty in the first "
        "registry year",
        zh="新识别贫困人口（上年无此户）", en="Newly registered poor persons (household not in "
        "the previous year)",
        over_zh="本年为未脱贫或返贫、上年导出中没有该户编号的户",
        over_en="households poor in Y whose household number is not in Y−1's export",
        definition_zh="本年为贫困户、上年建档立卡导出中没有该户编号的户的成员人数（新识别或户编号变化）；"
                      "第一年无法计算"),
    "new_poor_households": Indicator(
        "households", "flow", True, "households poor in Y whose household number is not in "
        "Y−1's export; empty in the first registry year",
        zh="新识别贫困户数（上年无此户）", en="Newly registered poor households (not in the "
        "previous year)",
        over_zh="本年为未脱贫或返贫、上年导出中没有该户编号的户",
        over_en="households poor in Y whose household number is not in Y−1's export",
        definition_zh="本年为贫困户、上年建档立卡导出中没有该户编号的户数；第一年无法计算"),
    "returned_status_persons": Indicator(
        "people", "level", True, "returns by status: persons in households whose 脱贫属性 is "
        "返贫 in the year's export (a year-end stock: includes households marked 返贫 in an "
        "earlier year and still so)",
        zh="返贫人口（按脱贫属性“返贫”）", en="Persons with status 返贫 (returned, by status)",
        over_zh="当年导出中脱贫属性为“返贫”的户", over_en="households whose 脱贫属性 is 返贫 in "
        "the year’s export",
        definition_zh="当年导出中脱贫属性为“返贫”的户的成员人数（年末存量，含以前年份返贫、"
                      "至今仍标为返贫的户）"),
    "returned_status_households": Indicator(
        "households", "level", True, "returns by status: households whose 脱贫属性 is 返贫 in "
        "the year's export (a year-end stock)",
        zh="返贫户数（按脱贫属性“返贫”）", en="Households with status 返贫 (returned, by status)",
        over_zh="当年导出中脱贫属性为“返贫”的户", over_en="households whose 脱贫属性 is 返贫 in "
        "the year’s export",
        definition_zh="当年导出中脱贫属性为“返贫”的户数（年末存量）"),
    "poverty_incidence": Indicator(
        "percent", "level", False, "poor persons at year end ÷ rural population × 100",
        zh="贫困发生率", en="Poverty incidence",
        over_zh="农村人口（乡镇：rural_population；村：village_population；全县为各乡镇之和）",
        over_en="the rural population (rural_population per township, village_population per "
        "village; the county is the sum of its townships)",
        definition_zh="年末贫困人口 ÷ 农村人口 × 100"),
    "poor_income_per_capita": Indicator(
        "yuan", "level", False, "person-weighted mean 人均纯收入 over every registered "
        "household of the year, any status (the plan's 扶贫对象); same figures as "
        "registered_income_per_capita",
        zh="建档立卡户人均纯收入均值（含已脱贫户）",
        en="Mean income per capita, all registered households",
        over_zh=_REG_ZH, over_en=_REG_EN,
        definition_zh="全部建档立卡户人均纯收入的均值，" + _INC_NOTE_ZH + "；即规划的“扶贫对象”",
        same_as="registered_income_per_capita",
        needs=_INC),
    "poor_income_per_capita_median": Indicator(
        "yuan", "level", False, "person-weighted median 人均纯收入 over every registered "
        "household of the year, any status — despite its name, not only the still poor; same "
        "figures as registered_income_per_capita_median",
        zh="建档立卡户人均纯收入中位数（含已脱贫户）",
        en="Median income per capita, all registered households",
        over_zh=_REG_ZH, over_en=_REG_EN,
        definition_zh="全部建档立卡户人均纯收入的中位数（名称虽有 poor，但含已脱贫户），"
                      + _INC_NOTE_ZH,
        same_as="registered_income_per_capita_median",
        needs=_INC),
    "registered_income_per_capita": Indicator(
        "yuan", "level", False, "person-weighted mean 人均纯收入 over every registered household "
        "of the year, any status, including those that exited",
        zh="建档立卡户人均纯收入均值（含已脱贫户）",
        en="Mean income per capita, all registered households",
        over_zh=_REG_ZH, over_en=_REG_EN,
        definition_zh="全部建档立卡户人均纯收入的均值，" + _INC_NOTE_ZH,
        needs=_INC),
    "registered_income_per_capita_median": Indicator(
        "yuan", "level", False, "person-weighted median 人均纯收入 over every registered "
        "household of the year, any status, including those that exited",
        zh="建档立卡户人均纯收入中位数（含已脱贫户）",
        en="Median income per capita, all registered households",
        over_zh=_REG_ZH, over_en=_REG_EN,
        definition_zh="全部建档立卡户人均纯收入的中位数，" + _INC_NOTE_ZH,
        needs=_INC),
    "still_poor_income_per_capita": Indicator(
        "yuan", "level", False, "person-weighted mean 人均纯收入 over households still poor at "
        "year end (未脱贫 or 返贫); exited households left out",
        zh="未脱贫户人均纯收入均值", en="Mean income per capita, households still poor",
        over_zh=_POOR_ZH, over_en=_POOR_EN,
        definition_zh="年末贫困户（不含已脱贫户）人均纯收入的均值，" + _INC_NOTE_ZH,
        needs=_INC),
    "still_poor_income_per_capita_median": Indicator(
        "yuan", "level", False, "person-weighted median 人均纯收入 over households still poor "
        "at year end (未脱贫 or 返贫); exited households left out",
        zh="未脱贫户人均纯收入中位数", en="Median income per capita, households still poor",
        over_zh=_POOR_ZH, over_en=_POOR_EN,
        definition_zh="年末贫困户（不含已脱贫户）人均纯收入的中位数，" + _INC_NOTE_ZH,
        needs=_INC),
    "share_below_poverty_line": Indicator(
        "percent", "level", False, "share of registered persons (any status) whose household "
        "income is below the year's poverty line",
        zh="低于贫困线人口占比（含已脱贫户）",
        en="Registered persons below the poverty line",
        over_zh=_REG_ZH + "中有收入记录的人口", over_en="persons of " + _REG_EN + " with an "
        "income recorded",
        definition_zh="人均纯收入低于当年贫困线的人口 ÷ 有收入记录的建档立卡人口 × 100；"
                      "当年无贫困线时为空",
        needs=_INC),
    "poor_households_by_cause": Indicator(
        "households", "level", True, "poor households at year end by 主要致贫原因 "
        "(breakdown; missing cause: （未填写）)",
        zh="贫困户按主要致贫原因（户）", en="Poor households by main cause",
        over_zh=_POOR_ZH, over_en=_POOR_EN,
        definition_zh="年末贫困户按主要致贫原因分类的户数（breakdown 列为原因；未填写记为（未填写））",
        needs=("main_cause",)),
    "poor_households_by_cause_share": Indicator(
        "percent", "level", False, "share of poor households at year end by main cause",
        zh="贫困户主要致贫原因构成（%）", en="Poor households by main cause (share)",
        over_zh=_POOR_ZH, over_en=_POOR_EN,
        definition_zh="各主要致贫原因的年末贫困户数 ÷ 年末贫困户总数 × 100",
        needs=("main_cause",)),
    "dangerous_house_households": Indicator(
        "households", "level", True, "registered households (any status) with 危房户 = 是",
        zh="住危房的建档立卡户", en="Registered households in a dangerous house",
        over_zh=_REG_ZH, over_en=_REG_EN,
        definition_zh="危房户为“是”的建档立卡户数（任何脱贫属性）",
        needs=("dangerous_house",)),
    "unsafe_water_households": Indicator(
        "households", "level", True, "registered households (any status) with 饮水安全 = 否",
        zh="饮水不安全的建档立卡户", en="Registered households without safe water",
        over_zh=_REG_ZH, over_en=_REG_EN,
        definition_zh="饮水安全为“否”的建档立卡户数（任何脱贫属性）",
        needs=("safe_water",)),
    "dangerous_houses_renovated": Indicator(
        "households", "flow", True, "registered households with 危房户 = 是 in Y−1 and not in Y",
        zh="当年危房改造户数", en="Dangerous houses renovated in the year",
        over_zh="上年和本年都在册的建档立卡户", over_en="households registered in Y−1 and in Y",
        definition_zh="上年危房户为“是”、本年不再是危房户的户数；第一年无法计算",
        needs=("dangerous_house",)),
    "safe_water_poor_village_coverage": Indicator(
        "percent", "level", False, "share of registered persons in poor villages whose "
        "household has safe water (registered households only: a proxy for the whole village)",
        zh="贫困村建档立卡人口饮水安全比例", en="Safe water in poor villages (registered persons)",
        over_zh="贫困村中的建档立卡人口（仅建档立卡户，作为全村的近似）",
        over_en="registered persons in poor villages (registered households only, a proxy for "
        "the village)",
        definition_zh="贫困村中饮水安全为“是”的建档立卡人口 ÷ 有饮水记录的建档立卡人口 × 100",
        needs=("safe_water",)),
    "poor_villages_exited": Indicator(
        "villages", "flow", True, "poor villages whose incidence first fell below the exit "
        "threshold in the year",
        zh="当年退出的贫困村", en="Poor villages exiting in the year",
        over_zh="规划第5条的56个贫困村", over_en="the 56 poor villages of clause 5",
        definition_zh="贫困发生率在当年首次低于退出阈值（默认3%）的贫困村数"),
    "registered_poor_villages": Indicator(
        "villages", "level", True, "poor villages not yet exited at year end",
        zh="年末未退出的贫困村", en="Poor villages not yet exited",
        over_zh="规划第5条的56个贫困村", over_en="the 56 poor villages of clause 5",
        definition_zh="截至年末贫困发生率尚未低于退出阈值的贫困村数"),
}


def indicators_needing(field: str) -> list[str]:
    """Ids of the indicators that need export column ``field`` (canonical name).

    >>> indicators_needing("main_cause")
    ['poor_households_by_cause', 'poor_households_by_cause_share']
    """
    return [k for k, v in INDICATORS.items() if field in v.needs]


def definitions(lang: str = "zh"):
    """The registry indicators as a table (id, label, unit, over whom, definition), for a
    notebook: ``definitions("en")``."""
    import pandas as pd

    zh = lang == "zh"
    return pd.DataFrame({
        "indicator_id": list(INDICATORS),
        "label": [v.zh if zh else v.en for v in INDICATORS.values()],
        "unit": [v.unit for v in INDICATORS.values()],
        "over": [v.over_zh if zh else v.over_en for v in INDICATORS.values()],
        "definition": [v.definition_zh if zh else v.description for v in INDICATORS.values()],
    }, dtype=object)
