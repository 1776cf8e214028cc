"""The data dictionary in Chinese and English, generated from the field registry.

``make docs`` (or ``python -m huachi_analysis.metadata.dictionary``) writes
``docs/data_dictionary.zh.md`` and ``docs/data_dictionary.en.md``; ``--check`` only says whether
they are up to date (``tests/test_data_dictionary.py`` runs it, so a new field without its
documentation fails the tests). ``huachi build`` also writes the English one to
``data/processed/data_dictionary.md`` beside the tables.

Sources: tables and fields (``metadata/fields_*.py``, Chinese descriptions in
:mod:`.descriptions_zh`), registry indicators (:mod:`huachi_analysis.progress.indicator_definitions`),
export headers (:mod:`huachi_analysis.registry.headers`), code labels
(``reports/labels.yml``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from huachi_analysis.metadata.descriptions_zh import FIELDS_ZH, PERSONAL_NOTES_ZH, TABLES_ZH
from huachi_analysis.metadata.registry import FIELDS, TABLES

LANGS = ("zh", "en")
#: Fields whose allowed values are codes with a label in ``reports/labels.yml`` (prefix).
CODE_LABELS = {"status": "status", "schedule_status": "schedule", "finding": "finding",
               "target_kind": "kind", "domain": "domain", "severity": "severity",
               "kind": "audit", "main_cause": "cause"}

_T = {
    "title": ("# 数据字典", "# Data dictionary"),
    "generated": (
        "本文件由字段登记（`src/huachi_analysis/metadata/`）、指标定义"
        "（`src/huachi_analysis/progress/indicator_definitions.py`）和导出表头表"
        "（`src/huachi_analysis/registry/headers.py`）自动生成，请勿手工修改；"
        "修改上述源文件后运行 `make docs`。English: [data_dictionary.en.md](data_dictionary.en.md)。",
        "Generated from the field registry (`src/huachi_analysis/metadata/`), the indicator "
        "definitions (`src/huachi_analysis/progress/indicator_definitions.py`) and the export "
        "header table (`src/huachi_analysis/registry/headers.py`). Do not edit by hand: change "
        "those sources and run `make docs`. 中文：[data_dictionary.zh.md](data_dictionary.zh.md)."),
    "contents": ("目录：[建档立卡指标](#indicators) · [导出表头](#headers) · "
                 "[导入检查规则](#rules) · [在 Python 中读取](#python) · [各数据表](#tables)",
                 "Contents: [registry indicators](#indicators) · [export headers](#headers) · "
                 "[ingest rules](#rules) · [reading the tables in Python](#python) · "
                 "[tables](#tables)"),
    "ind_title": ("## <a id=\"indicators\"></a>建档立卡指标（progress_registry 的 indicator_id）",
                  "## <a id=\"indicators\"></a>Registry indicators (`indicator_id` of "
                  "progress_registry)"),
    "ind_intro": (
        "每个指标按年份计算全县、各乡镇和各贫困村的值。“计算对象”说明该指标是对哪些户或人计算的。"
        "两种口径都合理的地方，两种都提供：收入按全部建档立卡户（含已脱贫户）或只按年末未脱贫户；"
        "返贫按状态变化（上年已脱贫、本年贫困）或按脱贫属性“返贫”（年末存量）。",
        "Every indicator is computed per year for the county, each township and each poor "
        "village. \"Over\" says which households or persons it is computed over. Where two "
        "definitions are both reasonable, both are offered: income over every registered "
        "household (including those that exited) or over the households still poor at year "
        "end; returns to poverty by transition (exited last year, poor this year) or by "
        "status 返贫 (a year-end stock)."),
    "ind_head": ("| indicator_id | 名称 | 单位 | 计算对象 | 定义 |",
                 "| indicator_id | name | unit | over | definition |"),
    "same_as": ("与 `{0}` 数值相同（旧编号，保留以兼容）", "same figures as `{0}` (older id, kept)"),
    "hdr_title": ("## <a id=\"headers\"></a>导出表头（建档立卡系统导出文件的栏目）",
                  "## <a id=\"headers\"></a>Export headers (columns of the registry export)"),
    "hdr_intro": (
        "导入时按下表识别栏目名（不区分全角半角括号、空格和英文大小写）。“必需”栏目缺失时该文件报错；"
        "指标需要的栏目缺失时，构建汇总、简报的数据质量一节和 registry_summary.json 都会醒目提示。"
        "姓名、证件号码、联系电话只在导入时使用，不会写入任何输出。"
        "导出文件用了下表没有的写法时，在 `data/raw/header_aliases.csv` 加一行"
        "（`表头,字段`，字段写标准表头或字段名，如 `家庭年纯收入（元）,人均纯收入`），不用改程序。",
        "Columns are recognised by these headers (full- or half-width brackets, spaces and "
        "case do not matter). A file without a *required* column is an error; a file without a "
        "column an indicator needs is reported loudly in the build summary, the briefing's "
        "data section and registry_summary.json. Name, ID number and phone are used at ingest "
        "only and never written anywhere. When an export spells a column in a way this table "
        "does not know, add a line to `data/raw/header_aliases.csv` (`header,field`, the field "
        "as its standard header or field name, e.g. `家庭年纯收入（元）,人均纯收入`); no code "
        "changes."),
    "hdr_head": ("| 字段 | 接受的表头写法 | 用途 |", "| field | accepted headers | use |"),
    "required": ("必需", "required"),
    "personal": ("个人信息，只在导入时使用", "personal data, ingest only"),
    "needed_by": ("指标需要：", "needed by: "),
    "rules_title": ("## <a id=\"rules\"></a>导入检查规则（registry_findings 的 rule 栏）",
                    "## <a id=\"rules\"></a>Ingest rules (the `rule` column of registry_findings)"),
    "rules_intro": (
        "`registry_findings.csv` 每行是一个问题：文件（source_file）、行号（source_row，与 Excel "
        "显示的行号一致）、栏目（column）、遮盖后的值（masked_value）、规则（rule）、级别"
        "（severity：error 表示该行已隔离、不计入任何数字；warning 表示该行保留）和说明"
        "（message）。primary 为真的行，就是该隔离行在汇总里计入的那条规则。规则的完整说明见 "
        "`docs/validation_rules.md`。",
        "Each row of `registry_findings.csv` is one problem: file (source_file), row "
        "(source_row, as Excel numbers it), column, masked value, rule, severity (error: the "
        "row is quarantined and counted nowhere; warning: the row is kept) and message. A row "
        "with primary = true is the rule its quarantined row is counted under in the summary. "
        "Every rule in full: `docs/validation_rules.md`."),
    "rules_head": ("| rule | 级别 | 含义 |", "| rule | severity | what is expected |"),
    "py_title": ("## <a id=\"python\"></a>在 Python 中读取", "## <a id=\"python\"></a>Reading the "
                 "tables in Python"),
    "py_body": (
        "`huachi_analysis.frames.read(\"registry_households\")`（或 `frames.tables()` 读取全部）"
        "返回普通 pandas 类型：文字为 `object`（缺失为 `None`），整数为 `int64`（有缺失时为 "
        "`float64`，缺失为 `NaN`），小数为 `float64`，是/否为 `bool`（有缺失时为 `object`："
        "True/False/None），分区表的 `year` 为 `int64`。打印一列或 `.unique()` 时不会出现 "
        "`<ArrowStringArray>`。简报程序内部用 `huachi_analysis.reports.data.load()`，"
        "其类型为下表的 pandas 可空类型（string、Int64、Float64、boolean）。",
        "`huachi_analysis.frames.read(\"registry_households\")` (or `frames.tables()` for all) "
        "returns plain pandas dtypes: text is `object` (missing: `None`), whole numbers `int64` "
        "(`float64` with `NaN` where a value is missing), decimals `float64`, yes/no `bool` "
        "(`object` True/False/None where a value is missing), and `year` of the partitioned "
        "tables `int64`. Printing a column or its `.unique()` never shows "
        "`<ArrowStringArray>`. The briefings use `huachi_analysis.reports.data.load()`, typed "
        "with the nullable dtypes of the tables below (string, Int64, Float64, boolean)."),
    "personal_title": ("## 个人数据：不得带出办公室的数据表",
                       "## Personal data: tables that must not leave the office"),
    "personal_body": (
        "下列处理结果每行对应一个建档立卡人员或农户（以假名键标识）或导出文件的一行。"
        "其中没有姓名、证件号码和电话，但仍属个人信息：有了假名密钥，或结合对村里情况的了解，"
        "就能对应到具体的人。请只保存在办公室的电脑上；对外只提供汇总表和简报。",
        "These processed tables hold one row per registered person or household (keyed by "
        "pseudonyms) or per row of an export. They contain no name, ID or phone number, but "
        "they are still personal data: with the pseudonym key, or with other knowledge of a "
        "village, their rows can be traced to people. Keep them on the office's machines; "
        "share only the aggregate tables and the reports."),
    "personal_mark": ("——**个人数据，不得带出办公室**",
                      " — **personal data, must not leave the office**"),
    "tab_title": ("## <a id=\"tables\"></a>各数据表", "## <a id=\"tables\"></a>Tables"),
    "layer": ({"processed": "处理结果，data/processed", "raw": "输入表，data/raw"},
              {"processed": "processed", "raw": "raw input"}),
    "pk": ("主键：", "Primary key: "),
    "col_head": ("| 列 | 类型 | 单位 | 说明 | 允许的值 |",
                 "| column | type | unit | description | allowed values |"),
}


def _t(key: str, lang: str):
    return _T[key][LANGS.index(lang)]


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _allowed(name: str, lang: str) -> str:
    f = FIELDS[name]
    if not f.allowed:
        return ""
    prefix = CODE_LABELS.get(name)
    if lang == "zh" and prefix:
        from huachi_analysis.reports.labels import has_label, label

        return ", ".join(f"{a}（{label(f'{prefix}_{a}')}）" if has_label(f"{prefix}_{a}")
                         else str(a) for a in f.allowed)
    return ", ".join(str(a) for a in f.allowed)


def _indicators(lang: str) -> list[str]:
    from huachi_analysis.progress.indicator_definitions import INDICATORS
    from huachi_analysis.reports.labels import has_label, label

    lines = [_t("ind_title", lang), "", _t("ind_intro", lang), "", _t("ind_head", lang),
             "|---|---|---|---|---|"]
    for iid, ind in INDICATORS.items():
        name = ind.zh if lang == "zh" else ind.en
        over = ind.over_zh if lang == "zh" else ind.over_en
        text = ind.definition_zh if lang == "zh" else ind.description
        if ind.same_as:
            text += ("；" if lang == "zh" else "; ") + _t("same_as", lang).format(ind.same_as)
        unit = label(f"unit_{ind.unit}", lang) if has_label(f"unit_{ind.unit}") else ind.unit
        lines.append(f"| `{iid}` | {_cell(name)} | {_cell(unit)} | {_cell(over)} | "
                     f"{_cell(text)} |")
    return lines + [""]


def _headers(lang: str) -> list[str]:
    from huachi_analysis.progress.indicator_definitions import indicators_needing
    from huachi_analysis.registry import headers as H

    lines = [_t("hdr_title", lang), "", _t("hdr_intro", lang), "", _t("hdr_head", lang),
             "|---|---|---|"]
    required = set(getattr(H, "REQUIRED_FIELDS", ()))
    personal = set(getattr(H, "PERSONAL_FIELDS", ()))
    for field, variants in H.HEADER_VARIANTS.items():
        use = []
        if field in required:
            use.append(_t("required", lang))
        if field in personal:
            use.append(_t("personal", lang))
        needed = indicators_needing(field)
        if needed:
            use.append(_t("needed_by", lang) + ", ".join(f"`{i}`" for i in needed))
        spellings = " · ".join(f"`{_cell(v)}`" for v in variants)
        lines.append(f"| `{field}` | {spellings} | {'; '.join(use)} |")
    return lines + [""]


def _rules(lang: str) -> list[str]:
    from huachi_analysis.registry.validate import RULES
    from huachi_analysis.reports.labels import has_label, label

    lines = [_t("rules_title", lang), "", _t("rules_intro", lang), "", _t("rules_head", lang),
             "|---|---|---|"]
    for r in RULES.values():
        sev = label(f"severity_{r.severity}", lang)
        what = (label(f"rule_{r.id}", lang) if lang == "zh" and has_label(f"rule_{r.id}")
                else r.message)
        lines.append(f"| `{r.id}` | {_cell(sev)} | {_cell(what)} |")
    return lines + [""]


def data_dictionary(lang: str = "en") -> str:
    """The data dictionary in ``lang`` (``zh`` or ``en``), Markdown."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    from huachi_analysis import metadata  # noqa: F401  (registers every table)

    lines = [_t("title", lang), "", _t("generated", lang), "", _t("contents", lang), ""]
    lines += _indicators(lang) + _headers(lang) + _rules(lang)
    lines += [_t("py_title", lang), "", _t("py_body", lang), ""]
    personal = sorted(t.name for t in TABLES.values() if getattr(t, "personal_data", False))
    if personal:
        lines += [_t("personal_title", lang), "", _t("personal_body", lang), ""]
        for n in personal:
            note = TABLES[n].personal_note
            if note and lang == "zh":
                note = PERSONAL_NOTES_ZH.get(n, note)
            lines.append(f"- `{n}`" + (f"{'：' if lang == 'zh' else ': '}{note}" if note else ""))
        lines.append("")
    lines += [_t("tab_title", lang), ""]
    for t in sorted(TABLES.values(), key=lambda t: (t.layer, t.name)):
        layer = _t("layer", lang).get(t.layer, t.layer)
        desc = TABLES_ZH.get(t.name, t.description) if lang == "zh" else t.description
        mark = _t("personal_mark", lang) if t.name in personal else ""
        lines += [f"### `{t.name}` ({layer}){mark}", "", desc, ""]
        if t.primary_key:
            lines += [_t("pk", lang) + ", ".join(f"`{k}`" for k in t.primary_key), ""]
        lines += [_t("col_head", lang), "|---|---|---|---|---|"]
        for n in t.fields:
            f = FIELDS[n]
            d = FIELDS_ZH.get(n, f.description) if lang == "zh" else f.description
            lines.append(f"| `{n}` | {f.dtype} | {_cell(f.unit or '')} | {_cell(d)} | "
                         f"{_cell(_allowed(n, lang))} |")
        lines.append("")
    return "\n".join(lines)


def doc_path(lang: str, docs: Path | None = None) -> Path:
    from huachi_analysis import paths

    return (Path(docs) if docs is not None else paths.DOCS) / f"data_dictionary.{lang}.md"


def stale(docs: Path | None = None) -> list[Path]:
    """The dictionary files under ``docs`` that are missing or differ from the registry."""
    out = []
    for lang in LANGS:
        p = doc_path(lang, docs)
        if not p.is_file() or p.read_text(encoding="utf-8") != data_dictionary(lang):
            out.append(p)
    return out


def write(docs: Path | None = None) -> list[Path]:
    """Write both dictionaries (atomically); return the files written."""
    from huachi_analysis.io import write_text

    written = []
    for lang in LANGS:
        p = doc_path(lang, docs)
        write_text(p, data_dictionary(lang))
        written.append(p)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write docs/data_dictionary.{zh,en}.md from the "
                                 "field registry. 生成数据字典。")
    ap.add_argument("--check", action="store_true", help="only check they are up to date")
    ap.add_argument("--docs", type=Path, default=None, help="docs folder (default: docs/)")
    args = ap.parse_args(argv)
    if args.check:
        old = stale(args.docs)
        for p in old:
            print(f"out of date / 需要更新: {p} — run `make docs`")
        return 1 if old else 0
    for p in write(args.docs):
        print(f"wrote / 已生成 {p}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
