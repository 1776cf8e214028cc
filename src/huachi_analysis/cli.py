"""The ``huachi`` command line. Each domain registers its commands from
``huachi_analysis.commands.<domain>``; this module only assembles them and, in :func:`main`,
turns any exception into a clear message and exit code 2 through
:func:`huachi_analysis.errors.user_message` (no traceback; ``HUACHI_DEBUG=1`` shows one)."""

from __future__ import annotations

import importlib
import sys

import typer

from huachi_analysis.errors import user_message

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
    """Entry point of the ``huachi`` script: every error becomes one message and an exit code."""
    import os

    try:
        app()
    except SystemExit:
        raise
    except BrokenPipeError:  # output piped into `head` and closed: not an error
        sys.exit(0)
    except BaseException as exc:  # noqa: BLE001 - the one place errors reach the user
        if os.environ.get("HUACHI_DEBUG"):
            raise
        message, code = user_message(exc)
        typer.secho(f"错误 / error: {message}", fg="red", err=True)
        sys.exit(code)
