"""The label catalogue covers every code the data can hold, in both languages, and numbers
keep the plan's precision. A code without a label fails here, never silently in a report."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from huachi_analysis import paths
from huachi_analysis.reports import labels as LB
from huachi_analysis.reports.labels import LANGS, LabelError, Labels, catalogue, label

SRC = Path(LB.__file__).resolve().parents[1]
TARGETS = paths.ROOT / "data" / "raw" / "plan" / "targets.csv"


def _allowed(field: str) -> set[str]:
    from huachi_analysis import metadata  # noqa: F401  (registers every field)
    from huachi_analysis.metadata import FIELDS

    f = FIELDS.get(field)
    return {str(v) for v in (getattr(f, "allowed", None) or ())}


def _plan_targets() -> pd.DataFrame:
    return pd.read_csv(TARGETS, dtype=str, keep_default_na=False, na_values=[""])


def _audit_kinds() -> set[str]:
    from huachi_analysis import plan

    source = (SRC / "plan" / "consistency.py").read_text(encoding="utf-8")
    literal = set(re.findall(r'_finding\(\s*"(\w+)"', source))
    literal |= set(re.findall(r'kind, what = "(\w+)"', source))
    return literal | set(plan.audit()["kind"].astype(str)) | _allowed("kind")


@functools.cache
def vocabularies() -> dict[str, set[str]]:
    """Prefix → every code a briefing may print with it, from where the codes are defined."""
    from huachi_analysis.metadata.fields_plan import TARGET_KINDS
    from huachi_analysis.metadata.fields_progress import (
        AUDIT_FINDINGS,
        SCHEDULE_STATUSES,
        STATUSES,
    )
    from huachi_analysis.metadata.fields_registry import CAUSES
    from huachi_analysis.progress.registry_indicators import INDICATORS
    from huachi_analysis.registry.validate import RULES
    from huachi_analysis.reports import tables as T

    t = _plan_targets()
    return {
        # every unit_base of the plan, every unit of the registry indicators, done/not done
        "unit": set(t["unit_base"].dropna()) | {i.unit for i in INDICATORS.values()} | {"yes_no"},
        # contract C2's statuses are listed too: they arrive with another branch
        "status": set(STATUSES) | _allowed("status") | set(T.STATUS_ORDER)
        | {"incomplete", "baseline"},
        "schedule": set(SCHEDULE_STATUSES) | _allowed("schedule_status") | set(T.SCHEDULE_ORDER),
        "severity": {r.severity for r in RULES.values()},
        "rule": set(RULES),
        "finding": set(AUDIT_FINDINGS) | _allowed("finding"),
        "audit": _audit_kinds(),
        "domain": set(t["domain"].dropna()),
        "cause": set(CAUSES),
        "comparator": set(t["comparator"].dropna()) | _allowed("comparator"),
        "kind": set(TARGET_KINDS) | _allowed("target_kind"),
        "m": {T.POOR_PERSONS, T.POOR_HOUSEHOLDS, T.EXITS_PERSONS, T.EXITS_HOUSEHOLDS,
              T.RETURNS_PERSONS, T.INCIDENCE, T.INCOME_MEAN, T.BELOW_LINE, "reduction_pct"},
    }


def test_the_listed_unit_codes_are_there():
    units = vocabularies()["unit"]
    for code in ("natural_villages", "townships", "count", "person_times", "percentage_points",
                 "yuan_per_month", "kVA", "years", "mu"):
        assert code in units


@pytest.mark.parametrize("prefix", sorted(vocabularies()))
def test_every_code_has_a_label_in_both_languages(prefix):
    codes = vocabularies()[prefix]
    assert codes, prefix
    missing = sorted(c for c in codes if f"{prefix}_{c}" not in catalogue())
    assert not missing, f"labels.yml lacks {[f'{prefix}_{c}' for c in missing]}"
    for c in codes:
        entry = catalogue()[f"{prefix}_{c}"]
        assert set(entry) == set(LANGS)
        zh = entry["zh"]
        if prefix not in ("comparator", "unit") or zh:  # '=' and yes/no print no sign/unit
            assert not re.fullmatch(r"[A-Za-z_ ]+", zh) or zh in ("kVA",) or prefix == "unit", \
                f"{prefix}_{c}: the Chinese label {zh!r} is not Chinese"
        if prefix not in ("comparator", "unit"):
            assert entry["en"] and not re.search(r"[\u4e00-\u9fff]", entry["en"]), (c, entry)


def test_zh_unit_labels_are_chinese_or_symbols():
    for code in vocabularies()["unit"]:
        zh = label(f"unit_{code}", "zh")
        assert not re.search(r"[a-z]{2,}", zh) or code == "kVA", (code, zh)


def test_a_missing_label_raises_instead_of_printing_the_code():
    L = Labels("zh")
    with pytest.raises(LabelError, match="unit_furlongs"):
        L.unit("furlongs")
    with pytest.raises(LabelError, match="rule_no_such_rule"):
        L.code("rule", "no_such_rule")
    with pytest.raises(LabelError, match="no_such_key"):
        L("no_such_key")
    assert L.code("rule", None) == "—" and L.unit(None) == "" and L.status(None) == "无数据"


def test_every_label_key_the_report_code_uses_is_catalogued():
    used: set[str] = set()
    for path in (SRC / "reports").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'\bL\(\s*"([a-z_0-9]+)"', text))
        used |= set(re.findall(r'\blabel\(\s*"([a-z_0-9]+)"', text))
    used -= {"status_achieved", "county_title"} - set(catalogue())  # doctest examples
    missing = sorted(k for k in used if k not in catalogue())
    assert not missing, missing
    assert len(used) > 60


def test_plan_title_is_the_plans_own():
    meta = yaml.safe_load((paths.ROOT / "data/raw/plan/huachi_2015_opinion.meta.yml")
                          .read_text(encoding="utf-8"))
    want = f"《{meta['title']}》（{meta['document_number']}）"
    assert want == "《关于华池县扎实推进精准扶贫精准脱贫工作的意见》（县委发〔2015〕44号）"
    for lang in LANGS:
        assert label("plan_title", lang) == want
        assert want in label("subtitle", lang, plan=label("plan_title", lang))
    assert "实施意见" not in label("subtitle", "zh", plan=label("plan_title", "zh"))


def test_targets_keep_the_plans_precision():
    L = Labels("zh")
    t = _plan_targets()
    pct = t[(t["unit_base"] == "percent") & t["value"].notna()]
    assert len(pct) > 10
    for r in pct.itertuples():
        digits = LB.plan_decimals(float(r.value), float(r.value_base))
        text = L.target(r.comparator, float(r.value_base), "percent", digits)
        assert f"{r.value}%" in text, (r.target_id, r.value, text)
    assert L.target("<=", 9.12, "percent", LB.plan_decimals(9.12, 9.12)) == "≤9.12%"
    # 2.78万人 is 27,800 people; 11.555万亩 comes back as the plan wrote it
    assert LB.plan_decimals(2.78, 27800.0) == 0
    assert L.target("=", 27800.0, "people", 0) == "27,800人"
    assert L.target("=", 115550.0, "mu", 0) == "11.555万亩"
    assert L.target(">=", 6e8, "yuan", 0) == "≥6亿元"
    assert Labels("en").target(">=", 6e8, "yuan", 0) == "≥ 600,000,000 yuan"
    assert L.quantity(439312.4, "mu") == "43.93万亩" and L.quantity(1, "yes_no") == "是"


def test_english_quantities():
    L = Labels("en")
    assert L.quantity(56, "villages") == "56 villages"
    assert L.quantity(5.11, "percent", 2) == "5.11%"
    assert L.quantity(37, "count") == "37"
    assert L.target("≈", 4200, "people") == "≈ 4,200 persons"
    assert L.quantity(0, "yes_no") == "No"
