"""Which export columns a file must have, which ones the indicators need, and what to say when
one is missing (after the header aliases of :mod:`.headers` and :mod:`.header_aliases`).

* Without a person's identity (证件号码 or 人编号), household number (户编号), township,
  village or exit status (脱贫属性) a file cannot be ingested: an **error for that file**
  (:func:`check_required`), naming the header found closest and how to map it.
* Without a column an indicator needs (income, main cause, housing, water — declared by each
  indicator in :mod:`huachi_analysis.progress.indicator_definitions`) the file is ingested, but
  the build summary, ``registry_summary.json`` (``missing_columns``) and the briefing's data
  section say **loudly** which indicators rest on no data for that file's year
  (:func:`missing_needed`).

>>> closest_header("income_per_capita", ["序号", "家庭年纯收入（元）", "备注"])
'家庭年纯收入（元）'
>>> [m["field"] for m in missing_needed("a.xlsx", {"township", "main_cause"}, [], [2016])]
['income_per_capita', 'dangerous_house', 'safe_water']
"""

from __future__ import annotations

import difflib
import re

from huachi_analysis.messages import both, text

#: Columns a file cannot be ingested without (an error for that file).
FILE_REQUIRED = ("township", "village", "household_id", "exit_status")
#: A person is identified by either of these (证件号码, else 人编号).
PERSON_IDS = ("id_number", "person_id")
#: How similar a header must be to a field's spellings to be suggested (0–1).
CUTOFF = 0.55
ALIASES_FILE = "data/raw/header_aliases.csv"
_CJK = re.compile(r"[\u4e00-\u9fff]")


def needed_fields() -> dict[str, list[str]]:
    """Export column → the registry indicators that need it (in indicator order)."""
    from huachi_analysis.progress.indicator_definitions import INDICATORS

    out: dict[str, list[str]] = {}
    for iid, ind in INDICATORS.items():
        for f in ind.needs:
            out.setdefault(f, []).append(iid)
    return out


def _score(field: str, header: str) -> float:
    from huachi_analysis.registry.headers import HEADER_VARIANTS, normalise_header

    h = normalise_header(header)
    best = 0.0
    for v in HEADER_VARIANTS.get(field, ()):
        n = normalise_header(v)
        if not n:
            continue
        ratio = difflib.SequenceMatcher(None, h, n).ratio()
        core = re.sub(r"\(.*?\)", "", n)  # 人均纯收入(元) → 人均纯收入
        if _CJK.search(core) and len(core) >= 2:
            # a Chinese spelling inside the header (家庭年人均纯收入(元)), or most of its
            # characters in order (家庭年纯收入: 纯收入 of 人均纯收入)
            if core in h:
                ratio = max(ratio, 0.9)
            else:
                m = difflib.SequenceMatcher(None, h, core)
                common = sum(b.size for b in m.get_matching_blocks())
                ratio = max(ratio, 0.8 * common / len(core) if common >= 3 else 0.0)
        best = max(best, ratio)
    return best


def closest_header(field: str, headers: list[str]) -> str | None:
    """The header among ``headers`` (columns the program did not recognise) most like one of
    ``field``'s spellings, or ``None`` if none is close."""
    scored = [(_score(field, h), h) for h in headers if str(h).strip()]
    scored = [s for s in scored if s[0] >= CUTOFF]
    return max(scored, key=lambda s: s[0])[1] if scored else None


def how_to_map(field: str, closest: str | None) -> dict[str, str]:
    """What the analyst can do, in zh and en."""
    from huachi_analysis.registry.headers import standard_header

    std = standard_header(field)
    key = "missing_column_map" if closest else "missing_column_absent"
    return {lang: text(key, lang, header=closest or "", standard=std, file=ALIASES_FILE)
            for lang in ("zh", "en")}


def missing_person_id(present: set[str]) -> bool:
    return not any(f in present for f in PERSON_IDS)


def check_required(path, present: set[str], unknown: list[str], row: int | None = None
                   ) -> None:
    """Raise an error for a file without a required column, naming each missing column, the
    header found closest and how to map it.

    Raises:
        InputFileError: one or more required columns are missing.
    """
    from huachi_analysis.errors import InputFileError
    from huachi_analysis.registry.headers import standard_header

    missing = [f for f in FILE_REQUIRED if f not in present]
    if missing_person_id(present):
        missing.append("id_number")
    if not missing:
        return
    parts: dict[str, list[str]] = {"zh": [], "en": []}
    for f in missing:
        closest = closest_header(f, unknown)
        how = how_to_map(f, closest)
        name = standard_header(f) + ("/人编号" if f == "id_number" else "")
        parts["zh"].append(f"“{name}”（{f}）：{how['zh']}")
        parts["en"].append(f"{name} ({f}): {how['en']}")
    raise InputFileError(path, both("required_columns_missing",
                                    columns={"zh": "；".join(parts["zh"]),
                                             "en": "; ".join(parts["en"])}), row=row)


def missing_needed(source_file: str, present: set[str], unknown: list[str],
                   years: list[int]) -> list[dict]:
    """One entry per column some indicator needs that the file lacks (JSON-ready): file,
    years, field, standard header, closest header found, indicators affected, how to map
    (zh, en)."""
    from huachi_analysis.registry.headers import standard_header

    out = []
    for field, indicators in needed_fields().items():
        if field in present:
            continue
        closest = closest_header(field, unknown)
        how = how_to_map(field, closest)
        out.append({"file": source_file, "years": sorted({int(y) for y in years}),
                    "field": field, "header": standard_header(field), "closest": closest,
                    "indicators": indicators, "how_zh": how["zh"], "how_en": how["en"],
                    "severity": "warning"})
    return out


def summary_lines(missing: list[dict]) -> list[str]:
    """The loud lines of the build summary for :func:`missing_needed` entries (zh, then en)."""
    lines = []
    for m in missing:
        years = ", ".join(map(str, m["years"])) or "?"
        for lang in ("zh", "en"):
            lines.append(text("missing_column_warning", lang, file=m["file"], years=years,
                              header=m["header"], field=m["field"],
                              n=len(m["indicators"]),
                              how=m["how_zh"] if lang == "zh" else m["how_en"]))
    return lines
