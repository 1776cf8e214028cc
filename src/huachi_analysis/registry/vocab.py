"""Vocabularies of the coded member columns of the export (与户主关系, 民族, 文化程度, 在校生状况,
健康状况, 劳动技能, 务工状况): each value is mapped to its code; anything else is stored as
:data:`OTHER` (never the text as typed: a name or phone number typed into a coded column must
not reach a table) and reported once per file, column and value (rule ``unknown_code``).

Codes follow the export format (``../shared/docs/registry_export.md``); aliases are spellings
found in exports of other versions. Lookups compare NFKC text without spaces, so ``乡（镇）内务工``
and ``乡(镇)内务工`` are one code (stored in the NFKC form). The codes are listed in
``docs/validation_rules.md``.
"""

from __future__ import annotations

from huachi_analysis.masking import compact

#: What an unrecognised value of a coded column is stored as.
OTHER = "其他"

_GRADES = ("一", "二", "三")

CODES: dict[str, tuple[str, ...]] = {
    "relation": ("户主", "配偶", "之子", "之女", "之儿媳", "之女婿", "之孙子", "之孙女",
                 "之外孙子", "之外孙女", "之曾孙子", "之曾孙女", "之父", "之母", "之岳父",
                 "之岳母", "之公公", "之婆婆", "之祖父", "之祖母", "之外祖父", "之外祖母",
                 "之兄弟姐妹", "其他"),
    "ethnicity": (
        "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
        "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
        "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族",
        "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族",
        "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族",
        "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族",
        "珞巴族", "基诺族", "其他"),
    "education": ("文盲或半文盲", "小学", "初中", "高中", "大专及以上", "学龄前儿童"),
    "schooling": ("非在校生", "学前教育", "小学", "七年级", "八年级", "九年级",
                  *(f"{k}{g}年级" for k in ("高中", "中职", "高职") for g in _GRADES),
                  "大专及以上"),
    "health": ("健康", "长期慢性病", "患有大病", "残疾"),
    "labour": ("普通劳动力", "技能劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力"),
    "migrant_work": ("乡(镇)内务工", "乡(镇)外县内务工", "县外省内务工", "省外务工", "其他"),
}

ALIASES: dict[str, dict[str, str]] = {
    "relation": {"本人": "户主", "妻": "配偶", "妻子": "配偶", "夫": "配偶", "丈夫": "配偶",
                 "子": "之子", "儿子": "之子", "长子": "之子", "次子": "之子", "三子": "之子",
                 "女": "之女", "女儿": "之女", "长女": "之女", "次女": "之女", "三女": "之女",
                 "儿媳": "之儿媳", "媳妇": "之儿媳", "女婿": "之女婿", "孙子": "之孙子",
                 "孙女": "之孙女", "外孙": "之外孙子", "外孙子": "之外孙子", "外孙女": "之外孙女",
                 "父亲": "之父", "父": "之父", "母亲": "之母", "母": "之母",
                 "兄弟姐妹": "之兄弟姐妹", "兄": "之兄弟姐妹", "弟": "之兄弟姐妹",
                 "姐": "之兄弟姐妹", "妹": "之兄弟姐妹", "其它": "其他"},
    "ethnicity": {"未识别民族": "其他", "其他未识别民族": "其他", "外国血统中国籍人士": "其他",
                  "其它": "其他"},
    "education": {"文盲": "文盲或半文盲", "半文盲": "文盲或半文盲", "中专": "高中",
                  "中职": "高中", "技校": "高中", "职高": "高中", "大专": "大专及以上",
                  "本科": "大专及以上", "本科及以上": "大专及以上", "研究生": "大专及以上",
                  "学龄前": "学龄前儿童"},
    "schooling": {"学前": "学前教育", "幼儿园": "学前教育", "初一": "七年级", "初二": "八年级",
                  "初三": "九年级", "初中一年级": "七年级", "初中二年级": "八年级",
                  "初中三年级": "九年级", "大专": "大专及以上", "本科": "大专及以上",
                  **{f"小学{g}年级": "小学" for g in "一二三四五六"}},
    "health": {"良好": "健康", "慢性病": "长期慢性病", "大病": "患有大病", "重病": "患有大病",
               "残疾人": "残疾"},
    "labour": {"弱劳动力": "弱劳动力或半劳动力", "半劳动力": "弱劳动力或半劳动力"},
    "migrant_work": {"乡镇内务工": "乡(镇)内务工", "乡镇外县内务工": "乡(镇)外县内务工",
                     "县内乡外务工": "乡(镇)外县内务工", "省内县外务工": "县外省内务工",
                     "其它": "其他"},
}
# 民族 written without 族 (汉 → 汉族)
ALIASES["ethnicity"].update({c[:-1]: c for c in CODES["ethnicity"] if c.endswith("族")})

#: NFKC, space-free spelling → code, per column.
LOOKUP: dict[str, dict[str, str]] = {
    col: {compact(k): v for k, v in (ALIASES.get(col, {}) | {c: c for c in codes}).items()}
    for col, codes in CODES.items()
}


def code_of(column: str, value: str) -> str | None:
    """The code of ``value`` in ``column``, or ``None`` if it is not in the vocabulary."""
    return LOOKUP[column].get(compact(value))


def markdown() -> str:
    """The vocabularies as a Markdown list (for ``docs/validation_rules.md``)."""
    from huachi_analysis.registry.headers import standard_header

    lines = []
    for col, codes in CODES.items():
        alias = ALIASES.get(col, {})
        shown = ", ".join(f"{k} → {v}" for k, v in alias.items()
                          if not (col == "ethnicity" and v.startswith(k)))
        lines.append(f"- **{standard_header(col)}** (`{col}`): {', '.join(codes)}"
                     + (f". Also read: {shown}" if shown else "") + ".")
    return "\n".join(lines)
