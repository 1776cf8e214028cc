"""Exceptions that carry their context, so the message explains itself.

The CLI turns a :class:`HuachiError` into a one-paragraph message and a non-zero exit; it never
shows a traceback for one.
"""

from __future__ import annotations


class HuachiError(Exception):
    """A problem with the user's input or environment, explained in the message."""


class InputFileError(HuachiError):
    """A file that cannot be read as what it should be."""

    def __init__(self, path, message: str, *, row: int | None = None, column: str | None = None):
        self.path, self.row, self.column = path, row, column
        where = str(path)
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")


class ParameterError(HuachiError):
    """A parameter (year, township, indicator …) that does not exist; names the allowed ones."""


class KeyMissingError(HuachiError):
    """The pseudonymisation key is missing where existing processed data expects one."""
