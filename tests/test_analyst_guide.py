"""The analyst guide's yearly round (docs/analyst_guide.{zh,en}.md, section 2) quotes the
commands' real output: the lines quoted here are rendered from today's message catalogue and
code with the example's figures, so a changed message fails this test until the guide's
transcript is redone (run the round again, see the guide's section 2)."""

from __future__ import annotations

import pytest

from huachi_analysis import paths
from huachi_analysis.messages import text
from huachi_analysis.privacy_check import check_character, scan_bytes

GUIDES = {lang: paths.DOCS / f"analyst_guide.{lang}.md" for lang in ("zh", "en")}
EXPORT = "华池县2021年建档立卡贫困人口明细_SYNTHETIC.xlsx"
OUT = "/home/analyst/huachi-analysis"


def _guide(lang: str) -> str:
    return GUIDES[lang].read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_yearly_round_is_section_2_with_every_step(lang):
    g = _guide(lang)
    assert ("## 2. 每年的工作流程" if lang == "zh" else "## 2. The yearly round") in g
    for step in ("huachi ingest data/raw/registry/", "data/raw/header_aliases.csv",
                 "huachi build", "registry_findings.csv", "huachi reports", "git status",
                 "git check-ignore -v", "make check-private", "make install-hooks",
                 "--townships nanliang", "--county", f"(data_dictionary.{lang}.md)"):
        assert step in g, step
    assert ("示例数据是合成的" if lang == "zh" else "The example data are synthetic") in g


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_quoted_output_is_what_the_program_prints_today(lang):
    from huachi_analysis.commands.reports import made_line
    from huachi_analysis.registry.account import rule_label

    g = _guide(lang)
    lines = [
        text("ingest_title", "zh", synthetic="（合成数据 SYNTHETIC）", read="28,553",
             accepted="28,550", quarantined="3", persons="28,550", households="7,446",
             years="2021"),
        text("ingest_title", "en", synthetic=" (SYNTHETIC)", read="28,553", accepted="28,550",
             quarantined="3", persons="28,550", households="7,446", years="2021"),
        text("ingest_row", "zh", file=EXPORT, row=108, column="乡(镇)", value="南粱镇",
             rule=rule_label("unknown_township")).strip(),
        text("ingest_no_out", "zh"), text("ingest_no_out", "en"),
        text("account_findings", "zh", path="data/processed/registry_findings.csv"),
        text("reports_done", "zh", made=16, skipped=7, failed=0, seconds="57.5",
             out=f"{OUT}/reports"),
        made_line(["county_2021", "township_2021_rouyuanzhen", "township_2021_yuelezhen",
                   "township_2021_chenghaozhen", "township_2021_nanliangzhen"]
                  + [f"not shown {i}" for i in range(10)] + ["township_2021_shanzhuangxiang"]),
        text("unknown_township_hint", "zh", name="南粱镇", suggestions="南梁镇（Nanliang Zhen）"),
        text("unknown_township_hint", "en", name="nanlaing",
             suggestions="南梁镇 (Nanliang Zhen)"),
        "未发现个人信息 · no personal data found (1 file(s) checked)",
        "用 `git restore --staged 文件` 取消暂存。",
        text("progress_no_population", "zh", years="2021"),
        text("progress_no_population", "en", years="2021"),
        text("progress_no_line", "zh", years="2017、2018、2019、2021"),
        text("plan_step_summary", "zh", targets=219, townships=15, villages=58, derived=38,
             audit=12),
        text("actuals_account_file", "zh", file="2020/交通局_2020.xlsx", synthetic="", rows=888,
             accepted=16, blank=870, quarantined=2, context="", warnings=""),
    ]
    for line in lines:
        assert line in g, line
    # make check-private's line about the note, as the program words it today
    note_id = "62102319000101001" + check_character("62102319000101001")
    found = scan_bytes("notes/2021年核对记录.txt",
                       f"2021年核对记录\n户主身份证 {note_id}\n".encode())
    assert len(found) == 1 and f"  {found[0]}" in g


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_guide_holds_no_personal_data(lang):
    assert scan_bytes(GUIDES[lang].name, GUIDES[lang].read_bytes()) == []
