"""The ``huachi`` command line. Each domain registers its commands from
``huachi_analysis.commands.<domain>``; this module only assembles them and turns a
:class:`~huachi_analysis.errors.HuachiError` into a clear message and exit code 2."""

from __future__ import annotations

import importlib
import sys

import typer

from huachi_analysis.errors import HuachiError

app = typer.Typer(
    help="华池县精准扶贫分析 · Huachi targeted-poverty-alleviation analysis pipeline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: Command modules; each exposes ``register(app)``. Add a module here to add commands.
COMMAND_MODULES = (
    "huachi_analysis.commands.build",
    "huachi_analysis.commands.registry",
    "huachi_analysis.commands.synth",
    "huachi_analysis.commands.progress",
    "huachi_analysis.commands.reports",
    "huachi_analysis.commands.template",
)



@app.callback()
def _root() -> None:
    """华池县精准扶贫分析 · Huachi targeted-poverty-alleviation analysis pipeline."""


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:  # pragma: no cover - thin wrapper
    try:
        app()
    except HuachiError as exc:
        typer.secho(f"错误 / error: {exc}", fg="red", err=True)
        sys.exit(2)
