"""``--help`` is never cut (a terminal of 80 or 60 columns, Chinese text included): every
option's whole help text is there, with no ellipsis."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from huachi_analysis.cli import app

COMMANDS = sorted(typer.main.get_command(app).commands)


def _words(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("columns", [80, 60])
@pytest.mark.parametrize("command", COMMANDS)
def test_help_is_whole(command, columns):
    res = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": str(columns)},
                             terminal_width=columns)
    assert res.exit_code == 0, res.output
    cmd = typer.main.get_command(app).commands[command]
    own = sum((getattr(p, "help", None) or "").count("…") for p in cmd.params)
    assert res.output.count("…") == own  # no ellipsis but the help texts' own
    shown = _words(res.output)
    for p in cmd.params:
        if getattr(p, "help", None):
            assert _words(p.help) in shown, (command, p.name)


def test_reports_help_names_pinyin_and_the_county_flag():
    res = CliRunner().invoke(app, ["reports", "--help"], env={"COLUMNS": "80"})
    assert "nanliang" in res.output and "--county / --no-county" in res.output
    assert "柔远镇,南梁镇 (fo" not in res.output
