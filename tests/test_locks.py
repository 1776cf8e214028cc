"""One writer per output folder; a killed writer's leftovers are cleared by the next run, and
clean-up touches only the project's own temporary names, at the top of its own folder."""

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
        assert remove_partial_writes(tmp_path) == []  # not in a subfolder it was not told of
        assert remove_partial_writes(tmp_path, ["sub"]) == [tmp]  # the pattern matches io's
        tmp.write_text("whole")  # the writer carries on; its rename still succeeds
    assert (tmp_path / "sub" / "t.csv").read_text() == "whole"


def test_clean_up_leaves_other_programs_temp_files(tmp_path):
    others = [tmp_path / ".editor.swp.tmp", tmp_path / "x.tmp", tmp_path / "deep" / ".a.b.tmp",
              tmp_path / "deep" / ".huachi-tmp.t.csv.abc.tmp"]
    for p in others:
        p.parent.mkdir(exist_ok=True)
        p.write_text("not ours, or not at the top")
    ours = tmp_path / ".huachi-tmp.t.csv.abc123.tmp"
    ours.write_text("half")
    assert remove_partial_writes(tmp_path) == [ours]
    assert all(p.exists() for p in others)


def test_build_clears_a_killed_builds_leftovers(tmp_path):
    from huachi_analysis import paths

    out = tmp_path / "processed"
    run_build(raw=paths.RAW, out=out, only=["plan"])
    stale = out / ".huachi-tmp.plan_targets.csv.q5ljbd4t.tmp"
    stale.write_text("half a file from a killed build")
    foreign = out / ".notes.tmp"
    foreign.write_text("another program's temporary file")
    keep = out / "notes.txt"
    keep.write_text("not ours to delete")
    staging = tmp_path / ".huachi-staging.processed.dead0001"  # a killed build's staging folder
    (staging / "sub").mkdir(parents=True)
    unrelated = tmp_path / ".huachi-staging.other.dead0002"  # another folder's: not ours here
    unrelated.mkdir()
    run_build(raw=paths.RAW, out=out, only=["plan"])
    assert not stale.exists() and not staging.exists()
    assert unrelated.is_dir()
    assert keep.read_text() == "not ours to delete"
    assert foreign.read_text() == "another program's temporary file"
    assert (out / "plan_targets.csv").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".huachi-staging.processed")]


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
