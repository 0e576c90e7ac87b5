"""Files that are whole or absent (aligner.atomic): all or nothing, nothing left behind, renames finished.

Failures are made where they happen for real: the file system call that
fails (``os.replace``, ``os.fsync``) or the helper that writes one temporary
file is replaced by one that raises at a chosen call; everything else runs
on the real file system in tmp_path.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from aligner import atomic
from aligner.atomic import WriteFailed, write_all, write_synced


def files(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` (temporary ones too) -> its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def earlier(tmp_path: Path) -> dict[str, bytes]:
    """The outputs of an earlier run: b.txt and c.txt exist, a.txt does not."""
    (tmp_path / "b.txt").write_bytes(b"old b")
    (tmp_path / "c.txt").write_bytes(b"old c")
    return files(tmp_path)


def targets(tmp_path: Path) -> list[Path]:
    return [tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt"]


DATAS = [b"new a", b"new b \xe2\x9c\x93", b""]


def failing_on(call: int, error: BaseException, real):
    """``real``, except that its ``call``-th call (from 1) raises ``error`` instead."""
    calls = []

    def wrapper(*args):
        calls.append(args)
        if len(calls) == call:
            raise error
        return real(*args)

    return wrapper


# --- all of them -----------------------------------------------------------------------------------


def test_every_file_is_written_whole_and_replaces_what_was_there(tmp_path, earlier):
    write_all(targets(tmp_path), DATAS)
    assert files(tmp_path) == {"a.txt": b"new a", "b.txt": DATAS[1], "c.txt": b""}


def test_without_the_folder_sync_the_files_are_the_same(tmp_path, earlier):
    write_all(targets(tmp_path), DATAS, sync_folder=False)
    assert files(tmp_path) == {"a.txt": b"new a", "b.txt": DATAS[1], "c.txt": b""}


def test_a_file_that_is_a_link_is_replaced_not_followed(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"precious")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a.txt").symlink_to(outside)
    write_all([tmp_path / "out" / "a.txt"], [b"new"])
    assert outside.read_bytes() == b"precious"
    assert not (tmp_path / "out" / "a.txt").is_symlink() and (tmp_path / "out" / "a.txt").read_bytes() == b"new"


# --- or none: a failure before the renames leaves every file as it was, and no temporary file ----------


@pytest.mark.parametrize("call", [1, 2, 3])
def test_a_write_that_fails_leaves_every_file_as_it_was(tmp_path, earlier, monkeypatch, call):
    full = OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(atomic, "write_synced", failing_on(call, full, atomic.write_synced))
    with pytest.raises(WriteFailed) as raised:
        write_all(targets(tmp_path), DATAS)
    failed = raised.value
    assert (failed.path, failed.step, failed.error) == (targets(tmp_path)[call - 1], "write", full)
    assert str(failed) == f"{targets(tmp_path)[call - 1]}: cannot write: No space left on device"
    assert files(tmp_path) == earlier


def test_a_failing_fsync_removes_the_file_it_was_writing(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "fsync", failing_on(1, OSError(errno.EIO, "Input/output error"), os.fsync))
    with pytest.raises(OSError, match="Input/output error"):
        write_synced(tmp_path / "a.tmp", b"data")
    assert files(tmp_path) == {}


def test_an_existing_file_is_never_written_through(tmp_path):
    (tmp_path / "a.tmp").write_bytes(b"someone else's")
    with pytest.raises(FileExistsError):
        write_synced(tmp_path / "a.tmp", b"data")
    assert files(tmp_path) == {"a.tmp": b"someone else's"}


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, SystemExit])
def test_an_interruption_while_writing_leaves_every_file_as_it_was(tmp_path, earlier, monkeypatch, interrupt):
    monkeypatch.setattr(atomic, "write_synced", failing_on(3, interrupt(), atomic.write_synced))
    with pytest.raises(interrupt):
        write_all(targets(tmp_path), DATAS)
    assert files(tmp_path) == earlier


def test_a_missing_folder_is_a_write_failure_that_creates_nothing(tmp_path):
    with pytest.raises(WriteFailed) as raised:
        write_all([tmp_path / "a.txt", tmp_path / "no" / "b.txt"], [b"a", b"b"])
    assert raised.value.step == "write" and raised.value.path == tmp_path / "no" / "b.txt"
    assert files(tmp_path) == {}


def test_more_targets_than_contents_is_refused_and_leaves_nothing(tmp_path):
    with pytest.raises(ValueError):
        write_all(targets(tmp_path), DATAS[:2])
    assert files(tmp_path) == {}


# --- the renames: a failing one leaves the earlier ones new; an interrupted one is finished -------------


def test_a_rename_that_fails_leaves_the_ones_before_it_new_and_no_temporary_file(tmp_path, earlier, monkeypatch):
    denied = OSError(errno.EACCES, "Permission denied")
    monkeypatch.setattr(os, "replace", failing_on(2, denied, os.replace))
    with pytest.raises(WriteFailed) as raised:
        write_all(targets(tmp_path), DATAS)
    assert (raised.value.path, raised.value.step) == (tmp_path / "b.txt", "replace")
    assert str(raised.value) == f"{tmp_path / 'b.txt'}: cannot replace: Permission denied"
    assert files(tmp_path) == {"a.txt": b"new a", "b.txt": b"old b", "c.txt": b"old c"}  # documented


@pytest.mark.parametrize("after_the_rename", [False, True], ids=["before its rename", "after its rename"])
def test_an_interruption_among_the_renames_finishes_them(tmp_path, earlier, monkeypatch, after_the_rename):
    """Ctrl-C between two renames (or inside one): the new files all stand, never beside an old one."""
    real = os.replace
    calls = []

    def interrupted(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            if after_the_rename:
                real(src, dst)
            raise KeyboardInterrupt
        real(src, dst)

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_all(targets(tmp_path), DATAS)
    assert files(tmp_path) == {"a.txt": b"new a", "b.txt": DATAS[1], "c.txt": b""}


def test_a_rename_that_cannot_be_finished_after_an_interruption_leaves_no_temporary_file(
    tmp_path, earlier, monkeypatch
):
    real = os.replace
    calls = []

    def interrupted_then_refused(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt
        if len(calls) > 2:
            raise OSError(errno.EROFS, "Read-only file system")
        real(src, dst)

    monkeypatch.setattr(os, "replace", interrupted_then_refused)
    with pytest.raises(KeyboardInterrupt):
        write_all(targets(tmp_path), DATAS)
    assert files(tmp_path) == {"a.txt": b"new a", "b.txt": b"old b", "c.txt": b"old c"}
