"""The raw plan tables: schemas, verbatim quotes, provenance, clear errors on bad input."""

from __future__ import annotations

import shutil

import pytest
import yaml

from huachi_analysis import metadata, paths, plan
from huachi_analysis.errors import InputFileError
from huachi_analysis.io import sha256_file
from huachi_analysis.plan import load
from huachi_analysis.plan.numerals import value_spellings
from huachi_analysis.plan.source_text import clause_spans, format_value


@pytest.mark.parametrize("name, fn", [
    ("plan_targets", plan.targets), ("plan_townships", plan.townships),
    ("plan_villages", plan.villages), ("plan_number_ledger", plan.number_ledger),
])
def test_tables_pass_their_schema(name, fn):
    df = fn()
    assert list(df.columns) == list(metadata.TABLES[name].fields)
    metadata.schema(name).validate(df)
    assert len(df) > 0


def test_every_quote_is_verbatim_and_holds_its_value():
    text = plan.text()
    t = plan.targets()
    bad = [(r.target_id, r.quote) for r in t.itertuples() if r.quote not in text]
    assert not bad, f"quotes not in the plan: {bad}"
    q = t[t["value"].notna()]
    bad = [(r.target_id, format_value(r.value), r.quote) for r in q.itertuples()
           if not any(v in r.quote for v in value_spellings(r.value))]
    assert not bad, f"quotes without their value: {bad}"


def test_targets_conventions():
    t = plan.targets()
    clauses = {s.label for s in clause_spans(plan.text())}
    assert set(t["clause"]) <= clauses, set(t["clause"]) - clauses
    assert t["target_id"].is_unique
    yes_no = (t["target_kind"] == "deadline") | (t["unit_base"] == "yes_no")
    q = t[~yes_no & (t["target_kind"] != "per_unit")]
    assert q["value"].notna().all() and q["value_base"].notna().all() and q["comparator"].notna().all()
    d = t[yes_no]
    assert d["value"].isna().all() and (d["unit"] == "是/否").all()
    assert set(d["target_kind"]) <= {"deadline", "standing_rule"}
    assert (t["period_start"].fillna(t["period_end"]) <= t["period_end"]).all()
    wan = q[q["unit"].isin(["万人", "万亩"])]
    assert ((wan["value"] * 10000 - wan["value_base"]).abs() < 1e-6).all()
    load.check_geography(t, plan.townships(), plan.villages())


def test_no_indicator_mixes_a_number_and_a_yes_no_in_one_geography():
    """A department's number and its 是/否 for one indicator, year and place cannot both be
    kept (one figure per year of a series): every indicator is measured one way per place."""
    t = plan.targets()
    kinds = t.assign(yes_no=t["unit_base"].astype(str).eq("yes_no")).groupby(
        ["indicator_id", "geography"])["yes_no"].nunique()
    assert not (kinds > 1).any(), list(kinds[kinds > 1].index)


def test_provenance_sidecar_matches_the_text():
    meta = plan.provenance()
    assert meta["sha256"] == sha256_file(paths.PLAN_TEXT)
    assert meta["document_number"] == "县委发〔2015〕44号"
    assert str(meta["date"]) == "2015-08-16"
    assert meta["title"] == "关于华池县扎实推进精准扶贫精准脱贫工作的意见"
    assert meta["title"][:6] in plan.text() and "2015年8月16日" in plan.text()
    assert load.verify_text() == meta["sha256"]


@pytest.fixture
def raw_copy(tmp_path):
    dst = tmp_path / "raw" / "plan"
    shutil.copytree(paths.PLAN_RAW, dst, ignore=shutil.ignore_patterns("*part_*"))
    for f in dst.iterdir():
        f.chmod(0o644)
    return tmp_path / "raw"


def test_changed_text_is_refused(raw_copy):
    p = raw_copy / "plan" / load.TEXT_NAME
    p.write_text(p.read_text(encoding="utf-8") + " ", encoding="utf-8")
    with pytest.raises(InputFileError, match="sha256"):
        load.verify_text(raw_copy)


def test_bad_boolean_names_file_row_column(raw_copy):
    p = raw_copy / "plan" / "villages.csv"
    lines = p.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",true,", ",maybe,")
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"villages.csv, row 4, column 'is_poor_village'"):
        load.villages(raw_copy)


def test_quote_not_in_text_is_refused(raw_copy):
    p = raw_copy / "plan" / "targets.csv"
    text = p.read_text(encoding="utf-8")
    first_quote = plan.targets()["quote"].iloc[0]
    p.write_text(text.replace(first_quote, first_quote + "X", 1), encoding="utf-8")
    with pytest.raises(InputFileError, match="not verbatim"):
        load.targets(raw_copy)


def test_missing_column_is_named(raw_copy):
    p = raw_copy / "plan" / "townships.csv"
    lines = p.read_text(encoding="utf-8").splitlines()
    p.write_text("\n".join(",".join(line.split(",")[:4]) for line in lines), encoding="utf-8")
    with pytest.raises(InputFileError, match=r"missing \['aliases'\]"):
        load.townships(raw_copy)


def test_geography_check_names_the_row():
    t = plan.targets().copy()
    t.loc[t.index[0], "geography"] = "花池县"
    with pytest.raises(InputFileError, match="row 2: '花池县'"):
        load.check_geography(t, plan.townships(), plan.villages())


def test_sidecar_is_yaml_with_required_keys():
    meta = yaml.safe_load((paths.PLAN_RAW / load.META_NAME).read_text(encoding="utf-8"))
    assert {"title", "document_number", "date", "issuer", "sha256", "licence"} <= set(meta)
