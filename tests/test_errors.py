"""The one place errors reach the user (errors.user_message, cli.main): a message and exit 2,
never a traceback, for any exception."""

from __future__ import annotations

import errno
import sys

import pytest

from huachi_analysis.errors import (
    DiskFullError,
    InputFileError,
    display_path,
    is_disk_full,
    user_message,
)


def test_messages_for_the_environment(tmp_path) -> None:
    msg, code = user_message(OSError(errno.ENOSPC, "No space left on device",
                                     str(tmp_path / "out" / "x.csv")))
    assert code == 2 and "is full" in msg and str(tmp_path / "out") in msg and "MB" in msg
    msg, code = user_message(PermissionError(errno.EACCES, "Permission denied", "/root/x"))
    assert code == 2 and "/root/x" in msg and "permission" in msg.lower()
    assert user_message(MemoryError())[1] == 2
    assert user_message(KeyboardInterrupt())[1] == 130
    msg, code = user_message(RuntimeError("boom 13912345678"))
    assert code == 2 and "bug" in msg and "13912345678" not in msg and "HUACHI_DEBUG" in msg
    assert user_message(DiskFullError("x"))[0] == "x"


def test_disk_full_is_recognised_in_any_form() -> None:
    import duckdb

    assert is_disk_full(OSError(errno.ENOSPC, "x"))
    assert is_disk_full(OSError(errno.EDQUOT, "x"))
    assert is_disk_full(duckdb.IOException('Could not write file "a": No space left on device'))
    try:
        try:
            raise OSError(errno.ENOSPC, "full")
        except OSError as inner:
            raise ValueError("wrapped") from inner
    except ValueError as outer:
        assert is_disk_full(outer)
    assert not is_disk_full(ValueError("no"))


def test_file_names_that_are_not_utf8_are_shown_decoded() -> None:
    import os

    name = os.fsdecode("华池县_2016.csv".encode("gbk"))
    assert display_path(name) == "华池县_2016.csv"
    err = InputFileError(name, "bad", column="13912345678")
    assert "华池县_2016.csv" in str(err) and "13912345678" not in str(err)
    str(err).encode("utf-8")  # printable


def test_main_turns_any_exception_into_a_message(monkeypatch, capsys) -> None:
    from huachi_analysis import cli

    def boom():
        raise RuntimeError("something internal")

    monkeypatch.setattr(cli, "app", boom)
    monkeypatch.delenv("HUACHI_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exc:
        cli.main()
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "unexpected error" in err and "Traceback" not in err
    monkeypatch.setenv("HUACHI_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli.main()
    monkeypatch.setattr(sys, "argv", ["huachi"])
