"""Canonical fields of the person-level registry export and every header spelling that maps to
them (Chinese, with full- or half-width brackets and spaces, and English): one table,
:data:`HEADER_VARIANTS`, holding the variants of the national export format seen in the wild
(``家庭年人均纯收入（元）``, ``人均纯收入（元）``, ``身份证号码``, ``乡镇`` …; one test each in
``tests/test_header_aliases.py``). An analyst adds a spelling without code in
``data/raw/header_aliases.csv`` (:mod:`.header_aliases`); the build reads it through
:func:`use_aliases`.

Headers are compared after :func:`normalise_header`, so ``乡（镇）``, ``乡(镇)`` and ``乡 (镇)``
are one header.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

#: canonical field -> header spellings (the first is the standard export header).
HEADER_VARIANTS: dict[str, tuple[str, ...]] = {
    "county": ("县(市、区、旗)", "县(市、区)", "县(市区)", "县", "县区", "county"),
    "township": ("乡(镇)", "乡镇", "乡镇名称", "乡(镇)名称", "所在乡镇", "乡(镇、街道)", "乡镇(街道)",
                 "township", "town"),
    "village": ("行政村", "村", "村名", "行政村名称", "所在村", "所在行政村", "村(社区)",
                "行政村(社区)", "village", "administrative village"),
    "natural_village": ("自然村", "自然村(组)", "村民小组", "组", "natural village"),
    "household_id": ("户编号", "户码", "户号", "户编码", "家庭编号", "贫困户编号", "household id",
                     "household_id", "hh id", "hh_id", "household no"),
    "person_id": ("人编号", "人员编号", "人码", "人员编码", "成员编号", "person id", "person_id",
                  "member id"),
    "name": ("姓名", "name"),
    "id_number": ("证件号码", "身份证号码", "身份证号", "证件号", "身份证件号码", "公民身份号码",
                  "证件号码(身份证号)", "id number", "id_number", "id no"),
    "household_size": ("人数", "家庭人口数", "家庭人口", "户人数", "家庭人数", "household size",
                       "household_size"),
    "relation": ("与户主关系", "relation", "relation to head"),
    "ethnicity": ("民族", "ethnicity"),
    "education": ("文化程度", "education"),
    "schooling": ("在校生状况", "schooling"),
    "health": ("健康状况", "health"),
    "labour": ("劳动技能", "labour", "labor"),
    "migrant_work": ("务工状况", "migrant work"),
    "months_away": ("务工时间(月)", "务工时间", "务工月数", "months away", "months_away"),
    "critical_illness_insurance": ("参加大病医疗", "是否参加大病医疗", "是否参加大病医疗保险",
                                   "critical illness insurance"),
    "exit_status": ("脱贫属性", "贫困户状态", "脱贫状态", "exit status", "exit_status"),
    "household_type": ("贫困户属性", "household type", "household_type"),
    "main_cause": ("主要致贫原因", "致贫原因", "主要致贫原因(单选)", "main cause", "main_cause"),
    "other_causes": ("其他致贫原因", "other causes"),
    "dangerous_house": ("危房户", "是否危房户", "是否危房", "危房户(是/否)", "dangerous house",
                        "dangerous_house"),
    "safe_water": ("饮水安全", "是否饮水安全", "饮水是否安全", "是否安全饮水", "safe water",
                   "safe_water"),
    "water_difficulty": ("饮水困难", "是否饮水困难", "water difficulty", "water_difficulty"),
    "income_per_capita": ("人均纯收入", "人均纯收入(元)", "家庭人均纯收入", "家庭人均纯收入(元)",
                          "家庭年人均纯收入", "家庭年人均纯收入(元)", "年人均纯收入",
                          "年人均纯收入(元)", "人均纯收入(元/年)", "per capita income",
                          "income per capita", "income_per_capita"),
    "phone": ("联系电话", "电话", "电话号码", "手机号码", "手机号", "联系方式", "phone",
              "telephone"),
    "registry_exit_year": ("脱贫年度", "脱贫年份", "脱贫时间", "exit year", "exit_year"),
    "first_identified": ("首次识别时间", "识别时间", "first identified"),
    "year": ("年度", "年份", "数据年度", "year"),
}

#: Columns holding personal data: never written anywhere, masked in findings.
PERSONAL_FIELDS = ("name", "id_number", "phone")

#: Columns an export must have to be ingested at all.
REQUIRED_FIELDS = ("township", "village", "household_id", "exit_status")

#: Member-level columns; an export with none of them is household-level, not person-level.
MEMBER_FIELDS = ("name", "id_number", "person_id", "relation")

#: Household-level facts (repeat on every member row; must agree within a household).
HOUSEHOLD_FIELDS = ("township", "village", "household_size", "household_type", "main_cause",
                    "exit_status", "registry_exit_year", "income_per_capita",
                    "dangerous_house", "safe_water", "water_difficulty")

_FULLWIDTH = str.maketrans({"（": "(", "）": ")", "，": ",", "：": ":", "、": "、"})
_SPACES = re.compile(r"[\s\u3000\xa0]+")


def normalise_header(text: object) -> str:
    """Header text in comparable form: NFKC, half-width brackets, no spaces, lower case."""
    s = unicodedata.normalize("NFKC", str(text)).translate(_FULLWIDTH)
    s = _SPACES.sub(" ", s).strip().lower()
    s = s.replace("_", " ")
    # Chinese headers: spaces inside carry no meaning (乡 (镇), 户 编 号)
    if re.search(r"[\u4e00-\u9fff]", s):
        s = s.replace(" ", "")
    return s


_LOOKUP: dict[str, str] = {}
for _field, _variants in HEADER_VARIANTS.items():
    for _v in _variants:
        _LOOKUP[normalise_header(_v)] = _field
#: The analyst's aliases in force (normalised header → field), see :func:`use_aliases`.
_EXTRA: dict[str, str] = {}


def canonical_field(header: object) -> str | None:
    """The canonical field a header names, or ``None`` if it is not a known header."""
    if header is None:
        return None
    key = normalise_header(header)
    return _LOOKUP.get(key) or _EXTRA.get(key)


@contextmanager
def use_aliases(aliases: dict[str, str]) -> Iterator[None]:
    """Read headers with the analyst's ``aliases`` (from
    :func:`huachi_analysis.registry.header_aliases.load_aliases`) as well as the built-in ones,
    for the duration of the ``with`` block."""
    global _EXTRA
    before = _EXTRA
    _EXTRA = {**before, **aliases}
    try:
        yield
    finally:
        _EXTRA = before


def standard_header(field: str) -> str:
    """The standard (Chinese) export header of a canonical field."""
    return HEADER_VARIANTS[field][0]
