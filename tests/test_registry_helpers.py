"""Builders of registry exports for the registry tests (no tests here).

Everything is made by code: valid resident IDs with a computed check digit, households of
several members, the standard headers of ``registry_export.md``, and writers that add what real
exports carry (title rows, a column-numbering row, note rows, GB18030 or BOM encodings).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from huachi_analysis.plan.geography import Gazetteer

HEADERS = ["县(市、区、旗)", "乡(镇)", "行政村", "自然村", "户编号", "人编号", "姓名", "证件号码",
           "人数", "与户主关系", "民族", "文化程度", "在校生状况", "健康状况", "劳动技能", "务工状况",
           "务工时间（月）", "参加大病医疗", "脱贫属性", "贫困户属性", "主要致贫原因", "危房户",
           "饮水安全", "饮水困难", "人均纯收入", "联系电话"]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
SURNAMES = list("张王李赵刘陈杨黄周吴")
GIVEN = list("建国明华丽秀英军平安")


def resident_id(region: str, birth: str, serial: int) -> str:
    """An 18-character resident ID with a valid check digit (region 6, birth YYYYMMDD)."""
    body = f"{region}{birth}{serial:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]


def geography() -> Gazetteer:
    """A small gazetteer: two townships (五蛟镇 with alias 五蛟乡, 柔远镇), three plan villages."""
    return Gazetteer.from_frames(
        pd.DataFrame({"township": ["五蛟镇", "柔远镇"], "aliases": ["五蛟乡|五蛟", "柔远"]}),
        pd.DataFrame({"township": ["五蛟镇", "五蛟镇", "柔远镇"],
                      "village": ["杜右手村", "南湾村", "城关村"],
                      "is_poor_village": [True, False, True]}))


def person_row(hh: str, member: int, size: int, *, town="五蛟镇", village="杜右手村",
               pid_serial: int | None = None, birth="19800101", income="3200",
               status="未脱贫", htype="一般贫困户", cause="因病", name="张建国",
               phone="13912345678", relation=None) -> dict[str, str]:
    """One member row of the export as text, header → value."""
    serial = pid_serial if pid_serial is not None else int(hh[-3:]) * 10 + member
    return dict(zip(HEADERS, [
        "华池县", town, village, "一组", hh, str(member), name,
        resident_id("621023", birth, serial % 1000), str(size),
        relation or ("户主" if member == 1 else "之子"), "汉族", "小学", "非在校生", "健康",
        "普通劳动力", "省外务工", "6", "是", status, htype, cause, "否", "是", "否", income,
        phone], strict=True))


def big_export(n_rows: int, seed: int = 1) -> pd.DataFrame:
    """A clean export of about ``n_rows`` member rows (vectorised; households of 1-6)."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 7, size=n_rows)
    sizes = sizes[np.cumsum(sizes) <= n_rows]
    n = int(sizes.sum())
    hh = np.repeat(np.arange(len(sizes)), sizes)
    member = np.concatenate([np.arange(1, s + 1) for s in sizes])
    serial = np.arange(n)
    body = np.array([f"621023{1950 + (i % 60)}{1 + i % 12:02d}{1 + i % 28:02d}{(i // 420) % 1000:03d}"
                     for i in serial])
    digits = np.frombuffer("".join(body).encode(), dtype=np.uint8).reshape(-1, 17) - 48
    check = np.frombuffer(b"10X98765432", dtype=np.uint8)[(digits * WEIGHTS).sum(1) % 11]
    ids = np.char.add(body, check.view("S1").astype(str))
    towns = np.array(["五蛟镇", "柔远镇"])[hh % 2]
    villages = np.where(hh % 2 == 0, np.array(["杜右手村", "南湾村", "东山村"])[hh % 3],
                        "城关村")
    income = np.round(rng.lognormal(8.3, 0.4, size=len(sizes)))[hh]
    status = np.array(["未脱贫", "已脱贫", "1", "4", "返贫"])[hh % 5]
    df = pd.DataFrame({
        "县(市、区、旗)": "华池县", "乡(镇)": towns, "行政村": villages, "自然村": "一组",
        "户编号": np.char.add("6210230", np.char.zfill((hh + 1).astype(str), 8)),
        "人编号": member.astype(str), "姓名": np.array(SURNAMES)[serial % 10],
        "证件号码": ids, "人数": sizes[hh].astype(str),
        "与户主关系": np.where(member == 1, "户主", "之子"), "民族": "汉族", "文化程度": "小学",
        "在校生状况": "非在校生", "健康状况": "健康", "劳动技能": "普通劳动力",
        "务工状况": "省外务工", "务工时间（月）": "6", "参加大病医疗": "是", "脱贫属性": status,
        "贫困户属性": "一般贫困户", "主要致贫原因": "因病", "危房户": "否", "饮水安全": "是",
        "饮水困难": "否", "人均纯收入": income.astype(int).astype(str),
        "联系电话": np.char.add("139", np.char.zfill((hh % 10**8).astype(str), 8))})
    return df


def write_csv_export(path: Path, rows: pd.DataFrame | list[dict], *, encoding="utf-8",
                     title: str | None = None, numbering: bool = False,
                     notes: tuple[str, ...] = ()) -> Path:
    """Write rows as a CSV export with optional title row, numbering row and note rows."""
    df = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows, columns=HEADERS)
    lines = []
    if title:
        lines.append(title + "," * (df.shape[1] - 1))
    body = df.to_csv(index=False, lineterminator="\n")
    head, _, rest = body.partition("\n")
    lines.append(head)
    if numbering:
        lines.append(",".join(str(i) for i in range(1, df.shape[1] + 1)))
    text = "\n".join(lines) + "\n" + rest + "".join(n + "\n" for n in notes)
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx_export(path: Path, rows: pd.DataFrame | list[dict], *, title: str | None = None,
                      numbering: bool = False, notes: tuple[str, ...] = (),
                      sheet: str = "Sheet1", numeric_ids: bool = False) -> Path:
    """Write rows as an xlsx export (xlsxwriter) with optional title/numbering/note rows."""
    import xlsxwriter

    df = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows, columns=HEADERS)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(sheet)
    r = 0
    if title:
        ws.merge_range(0, 0, 0, df.shape[1] - 1, title)
        r = 1
    ws.write_row(r, 0, list(df.columns))
    r += 1
    if numbering:
        ws.write_row(r, 0, list(range(1, df.shape[1] + 1)))
        r += 1
    for values in df.itertuples(index=False):
        out = []
        for col, v in zip(df.columns, values, strict=True):
            if numeric_ids and col in ("人数", "人均纯收入", "户编号") and str(v).isdigit():
                out.append(float(v))
            else:
                out.append(v)
        ws.write_row(r, 0, out)
        r += 1
    for note in notes:
        ws.write(r, 0, note)
        r += 1
    wb.close()
    return path
