"""`huachi build`'s registry step, `huachi ingest`, the pseudonym key and the input tables."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from huachi_analysis import io, metadata, paths
from huachi_analysis.errors import HuachiError, InputFileError, KeyMissingError, ParameterError
from huachi_analysis.registry.build import build_registry
from huachi_analysis.registry.csv_copies import write_copies
from huachi_analysis.registry.pseudonym import (
    FINGERPRINT_FILE,
    hmac_pseudonym,
    load_key,
    pseudonymise,
)
from test_registry_helpers import person_row, write_csv_export, write_xlsx_export

PLAN_RAW = paths.ROOT / "data" / "raw" / "plan"


def make_raw(tmp: Path) -> Path:
    """A raw tree: the plan's gazetteer, two years of exports, inputs and actuals."""
    raw = tmp / "raw"
    (raw / "plan").mkdir(parents=True)
    for name in ("townships.csv", "villages.csv"):
        shutil.copy(PLAN_RAW / name, raw / "plan" / name)
    reg = raw / "registry" / "2015"
    reg.mkdir(parents=True)
    y15 = [person_row("6210230001", 1, 2, town="五蛟乡", village="杜右手"),
           person_row("6210230001", 2, 2, birth="19900101", town="五蛟乡", village="杜右手"),
           person_row("6210230002", 1, 1, town="火星乡")]
    write_csv_export(reg / "huachi_registry_2015.csv", y15, encoding="gb18030",
                     title="华池县建档立卡贫困人口信息表（2015年）", numbering=True)
    y16 = [person_row("6210230001", 1, 2, town="五蛟镇", village="杜右手村", status="已脱贫"),
           person_row("6210230001", 2, 2, birth="19900101", status="已脱贫")]
    (raw / "registry" / "2016").mkdir()
    write_xlsx_export(raw / "registry" / "2016" / "export.xlsx", y16,
                      title="华池县建档立卡贫困人口信息表（2016年）")
    (raw / "registry" / "2016" / "~$export.xlsx").write_bytes(b"lock file")
    (raw / "registry" / "rural_population_2015.csv").write_text(
        "year,township,rural_population,source\n2015,五蛟乡,9000,统计年鉴\n2015,柔远镇,12000,统计年鉴\n",
        encoding="utf-8")
    (raw / "inputs").mkdir()
    (raw / "inputs" / "poverty_lines.csv").write_text(
        "year,poverty_line,source\n2015,2855,NBS\n2016,\"2,952\",NBS\n", encoding="utf-8")
    (raw / "inputs" / "village_population.csv").write_text(
        "year,township,village,rural_population,source\n2015,五蛟镇,杜右手,800,乡统计\n"
        "2015,五蛟镇,东山,500,乡统计\n", encoding="utf-8")
    (raw / "actuals").mkdir()
    (raw / "actuals" / "roads.csv").write_text(
        "indicator_id,year,geography,value,unit,source\n"
        "road_km,2016,华池县,120,km,交通局\nroad_km,2016,五蛟乡,12,公里,交通局\n"
        "road_km,2016,五蛟镇/杜右手,3,km,交通局\n", encoding="utf-8")
    return raw


def make_out(tmp: Path) -> Path:
    out = tmp / "out"
    out.mkdir()
    pd.DataFrame({"indicator_id": ["road_km", "road_km"], "unit": ["公里", "公里"],
                  "unit_base": ["km", "km"]}).to_parquet(out / "plan_targets.parquet")
    return out


def test_build_writes_every_table(tmp_path):
    raw, out = make_raw(tmp_path), make_out(tmp_path)
    line = build_registry(raw, out)
    assert "2 file(s): 5 rows read, 4 accepted, 1 quarantined" in line
    s = json.loads((out / "registry_summary.json").read_text(encoding="utf-8"))
    for k in ("rows_read", "rows_accepted", "rows_quarantined", "households", "persons",
              "quarantine_reasons", "warnings", "years", "is_synthetic", "inputs"):
        assert k in s
    assert s["years"] == [2015, 2016] and s["is_synthetic"] is False
    assert s["quarantine_reasons"] == {"unknown_township": 1}
    assert [(i["file"], i["rows_read"]) for i in s["inputs"]] == [
        ("huachi_registry_2015.csv", 3), ("export.xlsx", 2)]
    assert all(len(i["sha256"]) == 64 for i in s["inputs"])
    hh = pd.read_parquet(out / "registry_households")
    assert sorted(hh["year"].astype(int).tolist()) == [2015, 2016]
    assert hh["household_key"].nunique() == 1  # same 户编号 in both years → same key
    persons = pd.read_parquet(out / "registry_persons")
    assert persons.groupby("person_key").size().tolist() == [2, 2]
    # no per-year CSV copies unless asked for (huachi export); asked for, the CSV contract
    assert not list(out.glob("registry_*_20*.csv"))
    written = write_copies(out, out, ["registry_persons", "registry_households"])
    assert sorted(p.name for p in written) == [
        "registry_households_2015.csv", "registry_households_2016.csv",
        "registry_persons_2015.csv", "registry_persons_2016.csv"]
    for table, y in (("registry_persons", 2016), ("registry_households", 2015)):
        part = metadata.conform(pd.read_parquet(out / table / f"year={y}").assign(year=y), table)
        io.write_csv(tmp_path / "expected.csv", part)
        assert (out / f"{table}_{y}.csv").read_bytes() == (tmp_path / "expected.csv").read_bytes()
    assert pd.read_csv(out / "registry_persons_2016.csv").shape[0] == 2
    assert not (out / "indicator_actuals.parquet").exists()  # the actuals step's table
    assert pd.read_csv(out / "poverty_lines.csv")["poverty_line"].tolist() == [2855, 2952]
    rp = pd.read_parquet(out / "rural_population.parquet")
    assert rp["township"].tolist() == ["五蛟镇", "柔远镇"]
    vp = pd.read_parquet(out / "village_population.parquet")
    assert vp["village"].tolist() == ["杜右手村", "东山村"]
    assert (out / FINGERPRINT_FILE).is_file()
    # a year that disappears from the inputs disappears from the outputs
    shutil.rmtree(raw / "registry" / "2016")
    build_registry(raw, out)
    assert not (out / "registry_households" / "year=2016").exists()
    assert not list(out.glob("registry_*_20*.csv"))  # copies of the previous build: removed
    assert pd.read_parquet(out / "registry_households")["year"].astype(int).tolist() == [2015]


def test_mixing_synthetic_and_real_is_an_error(tmp_path):
    raw, out = make_raw(tmp_path), make_out(tmp_path)
    syn = raw / "registry" / "synthetic"
    syn.mkdir()
    write_csv_export(syn / "huachi_synthetic_2017.csv", [person_row("6210239999", 1, 1)])
    with pytest.raises(HuachiError, match="Remove data/raw/registry/synthetic"):
        build_registry(raw, out)


def test_unknown_township_in_rural_population(tmp_path):
    raw, out = make_raw(tmp_path), make_out(tmp_path)
    (raw / "registry" / "rural_population_2015.csv").write_text(
        "year,township,rural_population,source\n2015,柔远镇,1,x\n2015,火星乡,1,x\n")
    with pytest.raises(InputFileError, match="火星乡.*not a township") as exc:
        build_registry(raw, out)
    assert exc.value.row == 3


def test_key_created_private_and_checked(tmp_path, monkeypatch):
    key_file = tmp_path / "cfg" / "huachi" / "pseudonym.key"
    monkeypatch.setenv("HUACHI_KEY_FILE", str(key_file))
    out = tmp_path / "processed"
    key = load_key(out)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    assert load_key(out) == key  # the same key next time
    out.mkdir()
    (out / FINGERPRINT_FILE).write_text("0123456789abcdef\n")
    with pytest.raises(KeyMissingError, match="not the key the processed registry"):
        load_key(out)
    key_file.unlink()
    with pytest.raises(KeyMissingError, match="is missing.*Copy the key file"):
        load_key(out)
    assert not key_file.exists()  # never replaced by a new key silently


def test_second_machine_without_the_key(tmp_path, monkeypatch):
    raw, out = make_raw(tmp_path), make_out(tmp_path)
    build_registry(raw, out)
    monkeypatch.setenv("HUACHI_KEY_FILE", str(tmp_path / "other" / "pseudonym.key"))
    with pytest.raises(KeyMissingError, match="fingerprint"):
        build_registry(raw, out)


def test_pseudonyms_are_hmac_sha256_and_stable():
    key = os.urandom(32)
    s = pd.Series(["621023198001011234", None, "621023198001011234", "x"], dtype="str")
    p = pseudonymise(s, key, "person")
    assert p.iloc[0] == p.iloc[2] == hmac_pseudonym("621023198001011234", key, "person")
    assert pd.isna(p.iloc[1]) and p.iloc[3] != p.iloc[0]
    assert pseudonymise(s, key, "household").iloc[0] != p.iloc[0]
    assert pseudonymise(s, os.urandom(32), "person").iloc[0] != p.iloc[0]


def test_cli_ingest_summary_and_exit_codes(tmp_path):
    from huachi_analysis.cli import app

    raw = make_raw(tmp_path)
    f15 = raw / "registry" / "2015" / "huachi_registry_2015.csv"
    summary = tmp_path / "s.json"
    res = CliRunner().invoke(app, ["ingest", str(f15), "--json", str(summary),
                                   "--out", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    s = json.loads(summary.read_text(encoding="utf-8"))
    assert (s["rows_read"], s["rows_accepted"], s["rows_quarantined"]) == (3, 2, 1)
    assert (s["households"], s["persons"]) == (1, 2)
    assert s["quarantine_reasons"] == {"unknown_township": 1} and "warnings" in s
    assert "3 rows read" in res.output and "unknown_township" in res.output
    # each quarantined row in Chinese too: 第 N 行 and the rule's label, not its code alone
    assert re.search(r"huachi_registry_2015\.csv 第 (\d+) 行 row \1，乡\(镇\)：火星乡 — "
                     r"乡镇名称无法识别 \[unknown_township\]", res.output), res.output
    assert (tmp_path / "o" / "registry_persons" / "year=2015" / "part-0.parquet").is_file()
    bad = tmp_path / "broken_2016.xlsx"
    bad.write_bytes(b"PK\x03\x04 broken")
    huachi = Path(sys.executable).with_name("huachi")
    run = subprocess.run([str(huachi), "ingest", str(bad)], capture_output=True, text=True,
                         env=os.environ | {"HUACHI_KEY_FILE": str(tmp_path / "k" / "key")})
    assert run.returncode == 2
    assert "broken_2016.xlsx" in run.stderr and "not a readable Excel workbook" in run.stderr
    assert "Traceback" not in run.stderr


def test_export_writes_the_csv_copies_on_request(tmp_path):
    from huachi_analysis.cli import app

    raw, out = make_raw(tmp_path), make_out(tmp_path)
    build_registry(raw, out)
    runner = CliRunner()
    r = runner.invoke(app, ["export", "--data", str(out), "--years", "2016"])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.glob("registry_*_20*.csv")) == [
        "registry_households_2016.csv", "registry_persons_2016.csv"]
    elsewhere = tmp_path / "for_excel"
    r = runner.invoke(app, ["export", "--data", str(out), "--tables", "registry_households",
                            "--out", str(elsewhere)])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in elsewhere.iterdir()) == [
        "registry_households_2015.csv", "registry_households_2016.csv"]
    r = runner.invoke(app, ["export", "--data", str(out), "--years", "2019"])
    assert r.exit_code != 0 and "2015, 2016" in str(r.exception)
    r = runner.invoke(app, ["export", "--data", str(out), "--tables", "registry_secrets"])
    assert r.exit_code != 0 and "registry_persons" in str(r.exception)


def test_cli_ingest_refuses_to_write_into_the_builds_folder(tmp_path, monkeypatch):
    """`huachi ingest FILE --out data/processed` would keep only FILE's years of the registry
    tables beside progress tables built from every year: refused, saying what to do."""
    from huachi_analysis.cli import app

    raw = make_raw(tmp_path)
    processed = tmp_path / "processed"
    (processed / "registry_households" / "year=2014").mkdir(parents=True)
    monkeypatch.setattr(paths, "PROCESSED", processed)
    f15 = raw / "registry" / "2015" / "huachi_registry_2015.csv"
    res = CliRunner().invoke(app, ["ingest", str(f15), "--out", str(processed)])
    assert isinstance(res.exception, ParameterError), res.output  # the CLI prints it, exit 2
    assert "是 huachi build 的输出文件夹" in str(res.exception)
    assert "run huachi build" in str(res.exception)
    assert (processed / "registry_households" / "year=2014").is_dir()  # nothing removed
    checked = CliRunner().invoke(app, ["ingest", str(f15)])
    assert checked.exit_code == 0 and "data/processed 由 huachi build 写入" in checked.output
