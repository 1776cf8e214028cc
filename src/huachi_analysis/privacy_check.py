"""Refuse to commit personal data: resident ID numbers and the export's personal columns.

``make check-private`` (and the pre-commit hook that ``make install-hooks`` installs) runs
``python -m huachi_analysis.privacy_check --staged``: every file staged for commit is read as
git will store it (the staged blob, not the working copy) and refused when it holds

* a resident ID number: 18 characters with a real province code, a valid birth date and a
  valid check character (GB 11643), in any file (text, CSV, Excel, anything); the synthetic
  registry's IDs (region code 99…, which no province has) and the standard's own example ID
  pass;
* a personal column of the registry export (姓名, 证件号码, 联系电话, every spelling
  :mod:`huachi_analysis.registry.headers` knows, and any short cell naming 姓名, 身份证,
  证件号, 电话 or 手机) as a header cell of a data file (CSV, TSV, text, Excel).

Only the standard library is used (and :mod:`huachi_analysis.registry.headers`, which needs
nothing else), so the hook runs before any virtual environment exists.

>>> [str(f) for f in scan_bytes("a.csv", "乡镇,姓名\\n柔远镇,张三\\n".encode())]
['a.csv: 第 1 行 line 1: 个人信息栏目 personal column 姓名']
>>> scan_bytes("t.py", b"x = '990000198001010011'")
[]
"""

from __future__ import annotations

import argparse
import io
import re
import subprocess
import sys
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from huachi_analysis.registry.headers import HEADER_VARIANTS, PERSONAL_FIELDS, normalise_header

#: First two digits of a resident ID: the provinces (GB/T 2260), Taiwan, Hong Kong, Macao.
PROVINCE_CODES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82"})
#: The example ID printed in GB 11643 itself (used in tests and docs; belongs to nobody).
STANDARD_EXAMPLES = frozenset({"11010519491231002X"})
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID_RE = re.compile(r"(?<![0-9])([1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])"
                    r"(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx])(?![0-9A-Za-z])")
#: File types whose header cells are checked for personal columns.
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls")
HEADER_LINES = 50
_XML_TEXT = re.compile(r"<(?:t|v)(?:\s[^>]*)?>([^<]*)</(?:t|v)>")
_SPLIT = re.compile(r"[,\t;|]")

PERSONAL_HEADERS = {normalise_header(v): HEADER_VARIANTS[f][0]
                    for f in PERSONAL_FIELDS for v in HEADER_VARIANTS[f]
                    if re.search(r"[\u4e00-\u9fff]", v)}  # English words (name, phone) are too common

#: Words that make a short header cell a personal column (户主姓名, 身份证号 …) even where
#: the header table does not list that spelling.
PERSONAL_WORDS = ("姓名", "身份证", "证件号", "电话", "手机")
MAX_HEADER_CHARS = 12
#: How a finding is named (Chinese, then English: the hook runs without the message catalogue).
COLUMN = "个人信息栏目 personal column"
BINARY = "二进制内容 binary content"


@dataclass(frozen=True)
class Finding:
    path: str
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.path}: {self.where}: {self.what}"


def check_character(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits of a resident ID."""
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def is_resident_id(text: str) -> bool:
    """A real-looking resident ID: province code, date and check character all valid."""
    s = text.upper()
    if len(s) != 18 or s in STANDARD_EXAMPLES or s[:2] not in PROVINCE_CODES:
        return False
    if not s[:17].isdigit():
        return False
    return check_character(s[:17]) == s[17]


def mask(value: str) -> str:
    """``621023199001011234`` → ``621***********1234``: enough to find it, not to use it."""
    return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 8 else "***"


def _ids(text: str, where: str, path: str) -> list[Finding]:
    text = unicodedata.normalize("NFKC", text)
    return [Finding(path, where, f"身份证号 resident ID number {mask(m.group(1))}")
            for m in _ID_RE.finditer(text) if is_resident_id(m.group(1))]


def _header_cells(cells: list[str], where: str, path: str) -> list[Finding]:
    found = []
    for c in cells:
        key = normalise_header(c.strip().strip('"'))
        if key in PERSONAL_HEADERS:
            found.append(Finding(path, where, f"{COLUMN} {PERSONAL_HEADERS[key]}"))
        elif len(key) <= MAX_HEADER_CHARS and any(w in key for w in PERSONAL_WORDS):
            found.append(Finding(path, where, f"{COLUMN} {key}"))
    return found


def _xlsx_texts(data: bytes) -> list[tuple[str, str]]:
    """(member, text) of every string and value cell of an Excel 2007+ workbook."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/") and name.endswith(".xml"):
                xml = z.read(name).decode("utf-8", "replace")
                out += [(name, t) for t in _XML_TEXT.findall(xml)]
    return out


def scan_bytes(path: str, data: bytes) -> list[Finding]:
    """Every personal-data finding in one file's content (pure: no I/O)."""
    suffix = Path(path).suffix.lower()
    findings: list[Finding] = []
    if suffix in (".xlsx", ".xlsm") and data[:2] == b"PK":
        try:
            texts = _xlsx_texts(data)
        except (zipfile.BadZipFile, KeyError, OSError):
            texts = []
        for member, t in texts:
            findings += _ids(t, member, path)
            findings += _header_cells([t], member, path)
        return findings
    if suffix == ".xls" or b"\0" in data[:4096]:  # binary: look for digits and UTF-16 words
        findings += _ids(data.decode("latin-1"), BINARY, path)
        if suffix == ".xls":
            for enc in ("utf-16-le", "gb18030"):
                for key, header in PERSONAL_HEADERS.items():
                    if key.encode(enc) in data:
                        findings.append(Finding(path, BINARY, f"{COLUMN} {header}"))
        return list(dict.fromkeys(findings))
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("latin-1")
    for i, line in enumerate(text.splitlines(), start=1):
        where = f"第 {i} 行 line {i}"
        findings += _ids(line, where, path)
        if suffix in TABLE_SUFFIXES and i <= HEADER_LINES:
            findings += _header_cells(_SPLIT.split(line), where, path)
    return findings


def _git(*args: str, cwd: Path | None = None) -> bytes:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True).stdout


def staged(cwd: Path | None = None) -> list[tuple[str, bytes]]:
    """(path, staged content) of every file added or changed in the index."""
    names = _git("diff", "--cached", "--name-only", "--diff-filter=ACMR", "-z", cwd=cwd)
    return [(n, _git("show", f":{n}", cwd=cwd))
            for n in names.decode("utf-8", "surrogateescape").split("\0") if n]


def tracked(cwd: Path | None = None) -> list[tuple[str, bytes]]:
    names = _git("ls-files", "-z", cwd=cwd).decode("utf-8", "surrogateescape").split("\0")
    root = Path(_git("rev-parse", "--show-toplevel", cwd=cwd).decode().strip())
    return [(n, (root / n).read_bytes()) for n in names if n and (root / n).is_file()]


HOOK = """#!/bin/sh
# Installed by `make install-hooks` (huachi-analysis): refuse personal data in a commit.
cd "$(git rev-parse --show-toplevel)" || exit 1
PYTHONPATH=src exec python3 -m huachi_analysis.privacy_check --staged
"""


def install_hook(cwd: Path | None = None) -> Path:
    hooks = Path(_git("rev-parse", "--git-path", "hooks", cwd=cwd).decode().strip())
    if not hooks.is_absolute():
        hooks = (cwd or Path.cwd()) / hooks
    hooks.mkdir(parents=True, exist_ok=True)
    hook = hooks / "pre-commit"
    hook.write_text(HOOK, encoding="utf-8")
    hook.chmod(0o755)
    return hook


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m huachi_analysis.privacy_check",
        description="拒绝提交个人信息（身份证号、姓名等列）· Refuse personal data in git.")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--staged", action="store_true", help="check the files staged for commit")
    g.add_argument("--all", action="store_true", help="check every tracked file")
    g.add_argument("--install-hook", action="store_true", help="install the pre-commit hook")
    p.add_argument("paths", nargs="*", type=Path, help="files to check")
    a = p.parse_args(argv)
    try:
        if a.install_hook:
            print(f"已安装提交前检查 · pre-commit hook installed: {install_hook()}")
            return 0
        files = (staged() if a.staged else tracked() if a.all
                 else [(str(x), x.read_bytes()) for x in a.paths])
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    findings = [f for path, data in files for f in scan_bytes(path, data)]
    if not findings:
        print(f"未发现个人信息 · no personal data found ({len(files)} file(s) checked)")
        return 0
    print("拒绝提交：以下文件含有个人信息 · refused: these files hold personal data:",
          file=sys.stderr)
    for f in findings[:50]:
        print(f"  {f}", file=sys.stderr)
    if len(findings) > 50:
        print(f"  … ({len(findings)} in all)", file=sys.stderr)
    print("登记数据只放在 data/raw/registry/（已被 git 忽略），其他含个人信息的文件也不要提交；"
          "用 `git restore --staged 文件` 取消暂存。", file=sys.stderr)
    print("Registry exports belong in data/raw/registry/ (ignored by git), and no other file "
          "with personal data belongs in git; unstage with `git restore --staged FILE`.",
          file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
