"""environment.yml (conda users) and requirements.lock stay in step with pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _pyproject_pins() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        pins += extra
    return {p.lower() for p in pins}


def test_pyproject_pins_every_dependency_exactly():
    loose = [p for p in _pyproject_pins() if "==" not in p]
    assert not loose, f"unpinned dependencies in pyproject.toml: {loose}"


def test_environment_yml_matches_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    env_pins = {p.lower() for p in pip_section if "==" in p}
    ours = _pyproject_pins()
    assert env_pins == ours, (
        f"environment.yml differs from pyproject.toml: only in environment.yml "
        f"{sorted(env_pins - ours)}, only in pyproject.toml {sorted(ours - env_pins)}"
    )
    assert "-e ." in pip_section
    assert any(str(d).startswith("python=3.11") for d in env["dependencies"])


def test_lock_file_pins_the_same_versions():
    lock = (ROOT / "requirements.lock").read_text().lower()
    locked = dict(re.findall(r"^([a-z0-9_.\-]+)==([^\s;\\]+)", lock, flags=re.M))
    for pin in _pyproject_pins():
        name, version = pin.split("==")
        name = re.sub(r"\[.*\]", "", name)
        norm = {k.replace("_", "-"): v for k, v in locked.items()}
        assert norm.get(name.replace("_", "-")) == version, f"{pin} not in requirements.lock"
