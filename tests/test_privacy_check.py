"""Nothing personal in git: the ignore rules and `make check-private` (issue 16)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from huachi_analysis import paths
from huachi_analysis.privacy_check import check_character, is_resident_id, scan_bytes

ROOT = paths.ROOT
# valid province, date and check character; built here so that this file holds no such ID
REAL_LOOKING_ID = "62102319900101123" + check_character("62102319900101123")


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)


@pytest.mark.parametrize("path", [
    "data/raw/registry/2021年华池县建档立卡导出.xlsx",
    "data/raw/registry/2021/乡镇汇总.csv",
    "data/raw/actuals/交通局填报.xlsx",
    "data/raw/actuals/roads.csv",
])
def test_real_inputs_are_ignored(path):
    assert _git(ROOT, "check-ignore", "-q", path).returncode == 0, path


@pytest.mark.parametrize("path", [
    "data/raw/registry/README.md", "data/raw/actuals/README.md",
    "data/raw/actuals/published/public_statistics.csv",
])
def test_readmes_and_published_statistics_are_tracked(path):
    assert _git(ROOT, "check-ignore", "-q", path).returncode == 1, path
    assert (ROOT / path).is_file()


def test_resident_id_rules():
    assert is_resident_id(REAL_LOOKING_ID)
    wrong = REAL_LOOKING_ID[:17] + ("0" if REAL_LOOKING_ID[17] != "0" else "1")
    assert not is_resident_id(wrong)  # wrong check character
    assert not is_resident_id("990000198001010011")  # synthetic region code
    assert not is_resident_id("11010519491231002X")  # the standard's own example


def _xlsx(rows) -> bytes:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(("name", "data", "what"), [
    ("a.csv", f"乡镇,证号\n柔远镇,{REAL_LOOKING_ID}\n".encode(), "resident ID"),
    ("a.txt", ("\uff16\uff12\uff11" + REAL_LOOKING_ID[3:]).encode(), "resident ID"),  # full-width
    ("a.csv", "乡(镇),户主姓名,人数\n柔远镇,某某,3\n".encode("gb18030"), "personal column"),
    ("a.xlsx", _xlsx([["乡(镇)", "身份证号码"], ["柔远镇", "x"]]), "personal column"),
    ("a.xlsx", _xlsx([["乡(镇)", "证号"], ["柔远镇", REAL_LOOKING_ID]]), "resident ID"),
    ("notes.py", f"id = '{REAL_LOOKING_ID}'".encode(), "resident ID"),
])
def test_scan_finds_personal_data(name, data, what):
    found = scan_bytes(name, data)
    assert found and all(what in f.what for f in found), found
    assert all(REAL_LOOKING_ID not in str(f) for f in found)  # messages are masked


def test_scan_passes_ordinary_files():
    assert scan_bytes("a.py", b"HEADERS = ['\xe5\xa7\x93\xe5\x90\x8d']") == []  # code may name 姓名
    assert scan_bytes("a.csv", b"indicator_id,year\nx,2016\n") == []


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_make_check_private_refuses_a_staged_id(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "t@example.invalid")
    _git(repo, "config", "user.name", "t")
    env_src = str(ROOT / "src")
    cmd = ["python3", "-m", "huachi_analysis.privacy_check", "--staged"]
    run = lambda: subprocess.run(cmd, cwd=repo, capture_output=True, text=True,  # noqa: E731
                                 env={"PYTHONPATH": env_src, "PATH": "/usr/bin:/bin"})
    (repo / "ok.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    _git(repo, "add", "ok.csv")
    ok = run()
    assert ok.returncode == 0, ok.stderr
    (repo / "export.csv").write_text(f"乡镇,证件号码\n柔远镇,{REAL_LOOKING_ID}\n",
                                     encoding="utf-8")
    _git(repo, "add", "export.csv")
    bad = run()
    assert bad.returncode == 1
    assert "export.csv" in bad.stderr and "证件号码" in bad.stderr
    assert REAL_LOOKING_ID not in bad.stderr + bad.stdout
    # the Makefile target runs exactly this module on the staged files
    assert "privacy_check --staged" in (ROOT / "Makefile").read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_installed_hook_blocks_the_commit(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "src" / "huachi_analysis", repo / "src" / "huachi_analysis",
                    ignore=shutil.ignore_patterns("__pycache__"))
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "t@example.invalid")
    _git(repo, "config", "user.name", "t")
    env = {"PYTHONPATH": str(repo / "src"), "PATH": "/usr/bin:/bin"}
    subprocess.run(["python3", "-m", "huachi_analysis.privacy_check", "--install-hook"],
                   cwd=repo, check=True, env=env, capture_output=True)
    (repo / "x.csv").write_text(f"姓名,证号\n某,{REAL_LOOKING_ID}\n", encoding="utf-8")
    _git(repo, "add", "x.csv")
    commit = subprocess.run(["git", "commit", "-q", "-m", "x"], cwd=repo, capture_output=True,
                            text=True, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert commit.returncode != 0
    assert "x.csv" in commit.stderr


def test_findings_and_advice_are_in_chinese_too(tmp_path, capsys):
    """What `make check-private` prints reads in Chinese first (the analyst's language), with
    the English alongside, and says in both how to unstage."""
    from huachi_analysis import privacy_check

    note = tmp_path / "核对记录.txt"
    note.write_text(f"第2213行 户主 {REAL_LOOKING_ID} 已核实\n", encoding="utf-8")
    table = tmp_path / "名单.csv"
    table.write_text("乡镇,姓名\n柔远镇,某某\n", encoding="utf-8")
    assert privacy_check.main([str(note), str(table)]) == 1
    err = capsys.readouterr().err
    masked = REAL_LOOKING_ID[:3] + "*" * 11 + REAL_LOOKING_ID[-4:]
    assert f"核对记录.txt: 第 1 行 line 1: 身份证号 resident ID number {masked}" in err
    assert "名单.csv: 第 1 行 line 1: 个人信息栏目 personal column 姓名" in err
    assert "用 `git restore --staged 文件` 取消暂存" in err and "git restore --staged FILE" in err
    assert REAL_LOOKING_ID not in err
