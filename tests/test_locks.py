"""A killed writer's half-written files are cleared by the next run, under the folder's lock."""

from __future__ import annotations

import threading
import time

from huachi_analysis import io
from huachi_analysis.locks import locked_output, remove_partial_writes
from huachi_analysis.pipeline import run_build


def test_partial_writes_are_named_as_locks_expects(tmp_path):
    # what atomic_path leaves behind when its process dies before the rename
    with io.atomic_path(tmp_path / "sub" / "t.csv") as tmp:
        tmp.write_text("half")
        assert remove_partial_writes(tmp_path) == [tmp]  # the pattern matches io's naming
        tmp.write_text("whole")  # the writer carries on; its rename still succeeds
    assert (tmp_path / "sub" / "t.csv").read_text() == "whole"


def test_build_clears_a_killed_builds_temp_files(tmp_path):
    from huachi_analysis import paths

    out = tmp_path / "processed"
    out.mkdir()
    stale = out / ".plan_targets.csv.q5ljbd4t.tmp"
    stale.write_text("half a file from a killed build")
    keep = out / "notes.txt"
    keep.write_text("not ours to delete")
    run_build(raw=paths.RAW, out=out, only=["plan"])
    assert not stale.exists()
    assert keep.read_text() == "not ours to delete"
    assert (out / "plan_targets.csv").is_file()


def test_a_second_writer_waits_for_the_lock(tmp_path):
    order = []

    def hold():
        with locked_output(tmp_path, ".x.lock", what="test"):
            order.append("first in")
            time.sleep(0.5)
            order.append("first out")

    t = threading.Thread(target=hold)
    t.start()
    time.sleep(0.1)
    with locked_output(tmp_path, ".x.lock", what="test", announce=False):
        order.append("second in")
    t.join()
    assert order == ["first in", "first out", "second in"]
