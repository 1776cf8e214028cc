"""Vectorised checks of registry ingest: resident IDs, numbers, categories, masking."""

from __future__ import annotations

import pandas as pd

from huachi_analysis.registry.headers import canonical_field
from huachi_analysis.registry.validate import (
    CAUSE_MAP,
    EXIT_STATUS_MAP,
    FLAG_MAP,
    HOUSEHOLD_TYPE_MAP,
    check_resident_ids,
    map_category,
    normalise_ids,
    normalise_village,
    parse_number,
)
from test_registry_helpers import resident_id


def test_resident_id_checksum_hand_computed():
    # 11010519491231002X is the GB 11643 standard's own example (check digit X)
    ids = pd.Series(["11010519491231002X", "11010519491231002x", "110105194912310021",
                     "11010519491331002X", "1101051949123100", None], dtype="str")
    out = check_resident_ids(ids)
    assert out["id18"].tolist()[:2] == ["11010519491231002X", "11010519491231002X"]
    assert out["id18"].isna().tolist() == [False, False, True, True, True, True]
    assert out["sex"].tolist()[:2] == ["女", "女"]  # 17th digit 2: even
    assert out["birth_year"].tolist()[:2] == [1949, 1949]


def test_disability_certificate_yields_the_resident_id():
    rid = resident_id("621023", "19750607", 123)
    out = check_resident_ids(pd.Series([rid + "24", rid + "81", rid + "2"], dtype="str"))
    assert out["id18"].tolist()[0] == rid  # category 2, grade 4
    assert out["id18"].isna().tolist()[1:] == [True, True]  # category 8 / 19 characters
    assert out["sex"].iloc[0] == "男" and out["birth_year"].iloc[0] == 1975  # serial 123: odd


def test_numbers_written_as_text():
    s = pd.Series(["3,200", "３２００", "3200元", " 12.5", "abc", "2016-01-01", None], dtype="str")
    num, bad = parse_number(s)
    assert num.tolist()[:4] == [3200.0, 3200.0, 3200.0, 12.5]
    assert bad.tolist() == [False, False, False, False, True, True, False]


def test_category_codes_and_old_forms():
    status, bad = map_category(pd.Series(["0", "1", "3", "4", "已脱贫（享受政策）", "2"], dtype="str"),
                               EXIT_STATUS_MAP, "str")
    assert status.tolist()[:5] == ["未脱贫", "已脱贫", "返贫", "已脱贫", "已脱贫"]
    assert bad.tolist() == [False] * 5 + [True]
    htype, _ = map_category(pd.Series(["低保户", "五保户"], dtype="str"), HOUSEHOLD_TYPE_MAP, "str")
    assert htype.tolist() == ["低保贫困户", "特困供养贫困户"]
    cause, _ = map_category(pd.Series(["其他"], dtype="str"), CAUSE_MAP, "str")
    assert cause.tolist() == ["其它"]
    flags, bad = map_category(pd.Series(["是", "否", "Y", "可能"], dtype="str"), FLAG_MAP, "boolean")
    assert flags.tolist()[:3] == [True, False, True] and bad.tolist() == [False] * 3 + [True]


def test_masks_hide_personal_data():
    from huachi_analysis.masking import mask_text
    from huachi_analysis.registry.masking import Masker

    rid = resident_id("621023", "19800101", 5)
    assert mask_text(rid) == rid[:3] + "*" * 13 + rid[-2:]
    assert mask_text("13912345678") == "139******78"
    # however the digits are written: separators, full-width digits, +86, spaced IDs
    for phone in ("139-8765-4321", "139 8765 4321", "+86 139 8765 4321", "１３９８７６５４３２１",
                  "(139) 8765.4321", "１３９－８７６５－４３２１"):
        shown = mask_text(phone)
        assert "8765" not in shown and "８７６５" not in shown, (phone, shown)
    spaced = f"{rid[:6]} {rid[6:14]} {rid[14:]}"
    assert rid[6:14] not in mask_text(spaced)
    # figures that are not personal data stay readable
    assert mask_text("3,200") == "3,200" and mask_text("2015–2020") == "2015–2020"
    assert mask_text("1, 2, 3, 4, 5, 6") == "1, 2, 3, 4, 5, 6"
    # any value of a personal column, wherever it turns up; long text is cut
    frame = pd.DataFrame({"name": pd.Series(["欧阳建国", None], dtype="str"),
                          "phone": pd.Series(["131-0000-0000", None], dtype="str")})
    m = Masker([frame])
    shown = m.mask(pd.Series(["户主欧阳建国", "欧阳 建国", f"见{rid}", "x" * 10_000, None],
                             dtype="str"))
    assert "欧阳建国" not in shown.iloc[0] and shown.iloc[0].startswith("户主欧")
    assert "建国" not in shown.iloc[1]
    assert rid not in shown.iloc[2] and rid[:3] in shown.iloc[2]
    assert len(shown.iloc[3]) < 80 and pd.isna(shown.iloc[4])


def test_ids_normalised_before_identity():
    rid = resident_id("990102", "19800101", 5)
    wide = rid.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    variants = ["'" + rid, " " + rid, wide, rid.lower(), f"{rid[:6]} {rid[6:14]} {rid[14:]}",
                f"{rid[:6]}-{rid[6:]}"]
    out = normalise_ids(pd.Series(variants, dtype="str"))
    assert out.tolist() == [rid.upper()] * len(variants)
    ids = check_resident_ids(pd.Series(variants, dtype="str"))
    assert ids["id18"].tolist() == [rid.upper()] * len(variants)


def test_header_variants_map_to_one_field():
    for h in ("乡(镇)", "乡（镇）", " 乡 （ 镇 ）", "Township", "township"):
        assert canonical_field(h) == "township"
    assert canonical_field("务工时间（月）") == "months_away"
    assert canonical_field("证件号码") == "id_number"
    assert canonical_field("银行卡号") is None


def test_village_names_normalised():
    assert normalise_village(" 东山 ") == "东山村"
    assert normalise_village("东山村委会") == "东山村"
    assert normalise_village("东山村") == "东山村"


def test_rules_document_is_in_step_with_the_code():
    from huachi_analysis import paths
    from huachi_analysis.registry import vocab
    from huachi_analysis.registry.validate import RULES, rules_markdown

    doc = (paths.ROOT / "docs" / "validation_rules.md").read_text(encoding="utf-8")
    assert rules_markdown() in doc
    assert vocab.markdown() in doc
    assert len(RULES) == 28 and {r.severity for r in RULES.values()} == {"error", "warning"}


def test_birth_dates_checked_with_leap_years():
    ids = [resident_id("110105", "20000229", 2), resident_id("110105", "19000229", 2),
           resident_id("110105", "20010229", 3), resident_id("110105", "20010431", 3)]
    out = check_resident_ids(pd.Series(ids, dtype="str"))
    assert out["id18"].notna().tolist() == [True, False, False, False]
    # full-width characters are folded; other characters make an ID invalid, never an exception
    odd = check_resident_ids(pd.Series(["１１010519491231002Ｘ", "中" * 18], dtype="str"))
    assert odd["id18"].tolist()[0] == "11010519491231002X" and pd.isna(odd["id18"].iloc[1])


def test_masking_stays_bounded_on_many_distinct_values(monkeypatch):
    """Hundreds of thousands of distinct shown values (a garbled ID column, free text in a coded
    column) are masked in linear time: values that are personal data whole, and past the
    substring budget every run of letters — more than needed, never less."""
    from huachi_analysis.registry import masking
    from huachi_analysis.registry.masking import Masker

    frame = pd.DataFrame({"name": pd.Series(["佘犇骉", "鞠淼焱"], dtype="str"),
                          "id_number": pd.Series(["12345", "990"], dtype="str")})
    m = Masker([frame])
    texts = [f"说明{i}佘犇骉" for i in range(30)] + ["12345", "鞠淼焱"]
    shown = m.mask(pd.Series(texts, dtype="str"))
    assert not shown.str.contains("佘犇骉|鞠淼焱|12345").any()
    monkeypatch.setattr(masking, "SUBSTRING_LIMIT", 10)
    shown = m.mask(pd.Series(texts, dtype="str"))
    assert not shown.str.contains("佘犇骉|鞠淼焱|12345|说明").any()


def test_parse_number_reads_every_value_as_python_float_does():
    """The vectorised pass (plain numbers through Arrow) and the per-value rules give what the
    per-value rules alone give, to the last bit."""
    import math

    import numpy as np

    from huachi_analysis.registry.validate import nfkc, parse_number

    def reference(v: str):
        for t in (v.replace(",", ""), nfkc(v).replace(",", "").removesuffix("元")):
            try:
                x = float(t)
            except ValueError:
                continue
            return x if math.isfinite(x) else None
        return None

    rng = np.random.default_rng(5)
    values = [f"{x:.2f}" for x in rng.lognormal(8, 1, 300)] + \
        [repr(float(x)) for x in rng.uniform(-1e6, 1e6, 300)] + \
        [f"{x:,.3f}" for x in rng.uniform(0, 1e7, 100)] + \
        ["0.1", "1e-7", "12345678901234567890", "1e308", "1e309", "-0", "+.5", "5.", "1,2,3",
         " 8 ", "３２００", "3200元", "1_000", "nan", "-inf", "0x1F", "", "元", "1e", "e5", "--1",
         "١٢", "4.5e+3", "7E2", "9" * 400]
    s = pd.Series(values + [None], dtype="str")
    got, bad = parse_number(s)
    for v, g, b in zip(values, got.tolist(), bad.tolist(), strict=False):
        want = reference(v)
        if want is None:
            assert b and pd.isna(g), v
        else:
            assert not b and g == want and str(g) == str(want), v
    assert pd.isna(got.iloc[-1]) and not bad[-1]


def test_every_ingest_rule_has_its_chinese_words_for_the_findings_table():
    """``registry_findings.rule_zh``: every rule of RULES gets Chinese words (none left empty)."""
    import re

    from huachi_analysis.registry.findings import rule_words
    from huachi_analysis.registry.validate import RULES

    words = rule_words(pd.Series(list(RULES), dtype="string"))
    assert words.notna().all(), [r for r, w in zip(RULES, words, strict=True) if pd.isna(w)]
    assert all(re.search(r"[\u4e00-\u9fff]", w) for w in words)
