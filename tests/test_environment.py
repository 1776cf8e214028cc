"""Dependencies: ranges in pyproject.toml, exact pins in requirements.lock and environment.yml.

* the lock satisfies every range of pyproject.toml (run time and the dev extra);
* environment.yml (conda users) pins exactly the lock's versions of pyproject's dependencies;
* what the code imports is declared: third-party imports of ``src/`` are run-time
  dependencies, imports of ``tests/`` and ``benchmarks/`` run-time or dev ones; and every
  run-time dependency is imported by ``src/`` or carries its reason below.
"""

from __future__ import annotations

import ast
import json
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]

#: Run-time dependencies that ``src/`` does not import, with the reason they are needed.
NOT_IMPORTED_BUT_NEEDED = {
    "ipykernel": "the Jupyter kernel papermill runs the briefing notebooks in",
    "openpyxl": "department workbooks are read at run time; pandas' xlsx engine",
    "seaborn": "the briefings' statistical charts",
}


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _requirements(extra: str | None = None) -> dict[str, Requirement]:
    """Canonical name → requirement: run time (``extra=None``) or one extra."""
    project = _project()
    reqs = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return {canonicalize_name(r.name): r for r in map(Requirement, reqs)}


def _all_requirements() -> dict[str, Requirement]:
    out = _requirements()
    for extra in _project().get("optional-dependencies", {}):
        out.update(_requirements(extra))
    return out


def _lock() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text()
    pins = re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", text, flags=re.M)
    return {canonicalize_name(name): version for name, version in pins}


def test_pyproject_gives_every_dependency_a_bounded_range():
    for req in _all_requirements().values():
        ops = {s.operator for s in req.specifier}
        assert "==" in ops or ({">=", "<"} <= ops), (
            f"{req}: give a range with a lower and an upper bound (or == for a tool whose "
            "verdict depends on its version)")


def test_lock_satisfies_the_pyproject_ranges():
    lock = _lock()
    for name, req in _all_requirements().items():
        assert name in lock, f"{req} is not in requirements.lock (run `make lock`)"
        assert req.specifier.contains(lock[name], prereleases=True), (
            f"requirements.lock pins {name}=={lock[name]}, outside pyproject's {req}")


def test_environment_yml_pins_the_locked_versions():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    pinned = {}
    for entry in pip_section:
        if entry == "-e .":
            continue
        name, _, version = entry.partition("==")
        assert version, f"environment.yml: {entry!r} is not an exact pin"
        pinned[canonicalize_name(name)] = version
    lock = _lock()
    expected = {name: lock.get(name) for name in _all_requirements()}
    differ = {k: (pinned.get(k), expected.get(k)) for k in pinned.keys() | expected.keys()
              if pinned.get(k) != expected.get(k)}
    assert not differ, ("environment.yml differs from requirements.lock for pyproject's "
                        f"dependencies (name: (environment.yml, lock)): {differ}")
    assert "-e ." in pip_section
    assert any(str(d).startswith("python=3.11") for d in env["dependencies"])


def _imports(files) -> dict[str, set[str]]:
    """Top-level module name → files importing it (absolute imports only)."""
    found: dict[str, set[str]] = {}
    for path, source in files:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for n in names:
                found.setdefault(n.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


def _python_files(*folders: str):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path, path.read_text(encoding="utf-8")


def _notebook_cells():
    for path in sorted((ROOT / "notebooks").rglob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        code = "\n".join(line for line in code.splitlines()
                         if not line.lstrip().startswith(("%", "!")))
        yield path, code


def _distributions(imports: dict[str, set[str]], local: set[str]) -> dict[str, set[str]]:
    """Distribution (canonical name) → files importing it; an import no installed
    distribution provides fails the test."""
    provided = packages_distributions()
    out: dict[str, set[str]] = {}
    for module, where in imports.items():
        if module in sys.stdlib_module_names or module in local or module == "huachi_analysis":
            continue
        dists = provided.get(module)
        assert dists, f"{sorted(where)} import {module!r}, which no installed package provides"
        out.setdefault(canonicalize_name(dists[0]), set()).update(where)
    return out


@pytest.fixture(scope="module")
def src_imports() -> dict[str, set[str]]:
    return _distributions(_imports([*_python_files("src"), *_notebook_cells()]), set())


def test_src_imports_only_run_time_dependencies(src_imports):
    runtime = set(_requirements())
    undeclared = {d: sorted(w) for d, w in src_imports.items() if d not in runtime}
    assert not undeclared, (f"src/ imports packages that are not run-time dependencies in "
                            f"pyproject.toml: {undeclared}")


def test_every_run_time_dependency_is_used(src_imports):
    unused = set(_requirements()) - set(src_imports) - set(NOT_IMPORTED_BUT_NEEDED)
    assert not unused, (f"run-time dependencies nothing in src/ imports: {sorted(unused)}; "
                        "move test-only ones to the dev extra, or say why they are needed "
                        "in NOT_IMPORTED_BUT_NEEDED")


def test_tests_and_benchmarks_import_only_declared_packages():
    local = {p.stem for folder in ("tests", "benchmarks") for p in (ROOT / folder).glob("*.py")}
    used = _distributions(_imports(_python_files("tests", "benchmarks")), local)
    declared = set(_all_requirements())
    undeclared = {d: sorted(w) for d, w in used.items() if d not in declared}
    assert not undeclared, f"tests/benchmarks import undeclared packages: {undeclared}"
