"""Large registry exports for the ingest benchmark (SYNTHETIC data, export format).

The rows come from the product's own generator, :func:`huachi_analysis.synthetic.
generate_registry` (one seed gives about 200,000 person-years over 2014–2020, with Chinese
headers in export order and a 年度 column). To reach a million rows the seven years are tiled:
copy *k* gets its own household ids (户编号 and 人编号 prefixed with *k*) and its own synthetic
resident IDs (region code ``99`` + 4-digit copy number, which no real ID uses; a sequence number
unique per birth date and sex; a recomputed GB 11643 check character), so no two persons share
an ID and every row passes validation.

Files are written with the header in the first row, so that plain ``pandas.read_csv`` /
``pandas.read_excel`` parse the same table the product ingests:

* CSV: UTF-8 with BOM (what Excel's "CSV UTF-8" writes);
* xlsx: one sheet, written by xlsxwriter.

Usage::

    python benchmarks/ingest_files.py OUT_DIR --csv-rows 1000000 --xlsx-rows 100000
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)
GENERATOR_VERSION = 2


def base_rows(seed: int = 2015) -> pd.DataFrame:
    """Every year's synthetic export of one seed, stacked (about 200,000 rows)."""
    from huachi_analysis import synthetic

    villages, townships = synthetic.load_geography()
    reg = synthetic.generate_registry(seed, villages, townships)
    return pd.concat([reg.exports[y] for y in sorted(reg.exports)], ignore_index=True)


def _with_check_digit(first17: np.ndarray) -> np.ndarray:
    """Resident IDs from their first 17 digits (vectorised GB 11643 check character)."""
    raw = np.frombuffer("".join(first17.tolist()).encode("ascii"), dtype=np.uint8)
    digits = raw.reshape(-1, 17).astype(np.int64) - 48
    check = _ID_CHECK[(digits * _ID_WEIGHTS).sum(axis=1) % 11]
    full = np.concatenate([raw.reshape(-1, 17), check[:, None]], axis=1)
    return _split(full)


def _split(chars: np.ndarray) -> np.ndarray:
    """Rows of a uint8 matrix as Python strings."""
    width = chars.shape[1]
    return np.ascontiguousarray(chars).view(f"S{width}").ravel().astype(f"U{width}").astype(object)


def _unique_id_tails(base: pd.DataFrame) -> np.ndarray:
    """Birth date + sequence (11 digits) per row, unique per person (人编号).

    The generator's IDs can repeat between two persons (about 0.15 % of rows), which ingest
    rightly quarantines as duplicates; the benchmark wants clean rows, so the sequence number is
    re-drawn as the rank of the person among those born the same day with the same sex.
    """
    ids = base["证件号码"].astype(str)
    people = pd.DataFrame({"pid": base["人编号"], "date": ids.str.slice(6, 14),
                           "odd": ids.str.slice(16, 17).astype(int) % 2}).drop_duplicates("pid")
    people["seq"] = people.groupby(["date", "odd"]).cumcount() * 2 + people["odd"]
    if (people["seq"] > 999).any():
        raise ValueError("more than 500 persons share a birth date and sex")
    tail = people["date"] + people["seq"].map("{:03d}".format)
    return base["人编号"].map(dict(zip(people["pid"], tail, strict=True))).to_numpy().astype(str)


def tiled(base: pd.DataFrame, rows: int) -> pd.DataFrame:
    """``rows`` export rows: ``base`` repeated with copy-specific household and person ids."""
    parts = []
    copies = -(-rows // len(base))
    tails = _unique_id_tails(base)
    for k in range(copies):
        part = base.copy()
        part["户编号"] = f"{k:02d}" + base["户编号"].str.slice(2)
        part["人编号"] = f"{k:02d}" + base["人编号"].str.slice(2)
        part["证件号码"] = _with_check_digit(np.char.add(f"99{k:04d}", tails))
        parts.append(part)
    out = pd.concat(parts, ignore_index=True).iloc[:rows]
    return out.reset_index(drop=True)


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """UTF-8-with-BOM CSV, header in row 1 (a benchmark input, not a product output)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    df.to_csv(tmp, index=False, encoding="utf-8-sig")
    tmp.replace(path)
    return path


def write_xlsx(df: pd.DataFrame, path: Path) -> Path:
    """One-sheet xlsx, header in row 1, id columns as text (xlsxwriter, constant memory)."""
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + ".tmp.xlsx")
    wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
    ws = wb.add_worksheet("建档立卡")
    ws.write_row(0, 0, list(df.columns))
    cols = [df[c].to_numpy(dtype=object) for c in df.columns]
    for i in range(len(df)):
        row = []
        for col in cols:
            v = col[i]
            row.append("" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v)
        ws.write_row(i + 1, 0, row)
    wb.close()
    tmp.replace(path)
    return path


def _cached(out: Path, kind: str, rows: int, seed: int, write) -> dict:
    """Write (once) the ``kind`` file of ``rows`` rows with ``write(frame, path)``."""
    out = Path(out)
    suffix = "csv" if kind == "csv" else "xlsx"
    path = out / f"synthetic_registry_{rows}_rows.{suffix}"
    meta_path = out / f"ingest_file_{kind}_{rows}_{seed}.json"
    if meta_path.exists() and path.exists():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("generator_version") == GENERATOR_VERSION:
            return meta
    t0 = time.perf_counter()
    write(tiled(base_rows(seed), rows), path)
    meta = {"synthetic": True, kind: str(path), "rows": rows, "seed": seed,
            "bytes": path.stat().st_size, "generator_version": GENERATOR_VERSION,
            "seconds": round(time.perf_counter() - t0, 1)}
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return meta


def generate_csv(out: Path, rows: int, seed: int = 2015) -> dict:
    """``synthetic_registry_<rows>_rows.csv`` (cached); ``{"csv": path, …}``."""
    return _cached(out, "csv", rows, seed, write_csv)


def generate_xlsx(out: Path, rows: int, seed: int = 2015) -> dict:
    """``synthetic_registry_<rows>_rows.xlsx`` (cached); ``{"xlsx": path, …}``."""
    return _cached(out, "xlsx", rows, seed, write_xlsx)


def generate(out: Path, csv_rows: int, xlsx_rows: int, seed: int = 2015) -> dict:
    """Write ``registry_<csv_rows>.csv`` and ``registry_<xlsx_rows>.xlsx`` (each cached).

    Returns:
        ``{"csv": path, "xlsx": path, "seconds": …}``.
    """
    c, x = generate_csv(out, csv_rows, seed), generate_xlsx(out, xlsx_rows, seed)
    return {"synthetic": True, "csv": c["csv"], "xlsx": x["xlsx"], "csv_rows": csv_rows,
            "xlsx_rows": xlsx_rows, "seed": seed, "csv_bytes": c["bytes"],
            "xlsx_bytes": x["bytes"], "seconds": c["seconds"] + x["seconds"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--csv-rows", type=int, default=1_000_000)
    ap.add_argument("--xlsx-rows", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=2015)
    args = ap.parse_args(argv)
    print(json.dumps(generate(args.out, args.csv_rows, args.xlsx_rows, args.seed),
                     ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
