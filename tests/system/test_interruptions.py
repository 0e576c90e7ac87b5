"""SIGINT and SIGTERM during recognition, refinement and writing, with real signals.

Each test starts ``aligner align`` as a child process, waits until it is
inside the stage under test, sends the signal, and checks from outside: the
child exits promptly with status 128+N and one ``Error:`` line, no output file
is partial or left behind (outputs of an earlier run are untouched), no
cache entry is corrupt and no temporary file remains; the next run reuses the
cached recognition.

How "inside the stage" is known: recognition shows its progress bar on a
terminal, so the child's stderr is a pseudo-terminal and the test waits for
the bar. Refinement and writing take too little time to hit by chance, so
``tests/support/hostile_driver.py`` creates a marker file when refinement starts, or
when the first temporary output is written (and then waits there).
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from support.hostile import (
    DRIVER,
    env_for_subprocess,
    episode_samples,
    file_hash,
    read_outputs,
    temp_files,
    tree,
    write_wav,
)
from support.paths import EPISODE_MD, EPISODE_MP3

from aligner import cache

pytestmark = [pytest.mark.model, pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")]

SIGNALS = [signal.SIGINT, signal.SIGTERM]
WAIT_S = 240  # generous: a hang fails the test, a slow machine does not
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _child(args: list[str], tmp_path: Path, *, driver: tuple[str, ...] = (), terminal: bool = False):
    """Start the aligner; stderr on a pseudo-terminal when ``terminal`` (for the progress bar)."""
    master = slave = None
    if terminal:
        master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, str(DRIVER), *driver, "--", "align", *map(str, args)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave if terminal else subprocess.PIPE,
        env=env_for_subprocess(tmp_path),
        # A parent started in the background may ignore SIGINT; the child must not inherit that.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    if slave is not None:
        os.close(slave)
    return process, master


def _read_terminal(master: int, until: str | None, timeout_s: float) -> str:
    """Read the pseudo-terminal until ``until`` appears (or, with None, until it closes)."""
    seen = b""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed its side
            break
        if not chunk:
            break
        seen += chunk
        if until is not None and until.encode() in seen:
            break
    return seen.decode("utf-8", "replace")


def _wait_for(path: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + WAIT_S
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.05)


def _assert_interrupted(returncode: int, stderr: str, sig: signal.Signals) -> None:
    assert returncode == 128 + sig, (returncode, stderr)
    text = _ANSI.sub("", stderr).replace("\r", "\n")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error:")]
    assert errors == [f"Error: interrupted by {sig.name}; no output file was left partial"], stderr
    assert lines[-1] == errors[0]
    assert "Traceback" not in text


def _recognitions(folder: Path) -> list[Path]:
    """Whole recognition entries (beside them: ``refine-*`` refinements and ``partial-*`` unfinished recognitions)."""
    return sorted(p for p in folder.glob("*.json") if not p.name.startswith(("refine-", "partial-", "relisten-")))


def _assert_cache_sound(folder: Path) -> None:
    assert not temp_files(folder)
    for entry in folder.glob("*.json"):
        json.loads(entry.read_text(encoding="utf-8"))  # whole, never cut off
    for entry in _recognitions(folder):
        assert cache.load(folder, entry.stem) is not None, f"corrupt cache entry {entry.name}"


def _earlier_outputs(out: Path, stem: str) -> dict[str, str]:
    out.mkdir(parents=True)
    for ext in ("srt", "vtt", "json"):
        (out / f"{stem}.{ext}").write_text(f"earlier {ext}\n", encoding="utf-8")
    return tree(out)


def _private_cache(tmp_path: Path, session_cache: Path) -> Path:
    """The session's cached recognitions (the episode's among them), without refinements, for this test alone."""
    private = tmp_path / "cache"
    private.mkdir()
    for entry in _recognitions(session_cache):
        shutil.copy2(entry, private / entry.name)
    return private


@pytest.fixture(scope="module")
def long_audio(tmp_path_factory) -> Path:
    """Three times the fixture episode (3:12): recognition runs long enough to be interrupted."""
    path = tmp_path_factory.mktemp("long") / "long episode.wav"
    return write_wav(path, np.concatenate([episode_samples()] * 3))


def _partials(folder: Path) -> list[Path]:
    return sorted(folder.glob("partial-*.json")) if folder.exists() else []


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
def test_signal_during_recognition_then_the_next_run_resumes(sig, tmp_path, long_audio):
    """Interrupted after its first 30 s windows, the next run recognises only the rest."""
    out = tmp_path / "out"
    before = _earlier_outputs(out, long_audio.stem)
    private = tmp_path / "cache"
    inputs = (file_hash(long_audio), file_hash(EPISODE_MD))
    args = [long_audio, EPISODE_MD, "-o", out, "--cache-dir", private, "--window-seconds", "30"]
    process, master = _child(args, tmp_path, terminal=True)
    try:
        seen = _read_terminal(master, "Recognising", WAIT_S)
        assert "Recognising" in seen, seen
        deadline = time.monotonic() + WAIT_S
        while not _partials(private):  # a window is done and recorded: recognition goes on
            assert process.poll() is None and time.monotonic() < deadline, seen
            time.sleep(0.05)
        process.send_signal(sig)
        seen += _read_terminal(master, None, WAIT_S)
        process.wait(timeout=WAIT_S)
    finally:
        process.kill()
        os.close(master)
    _assert_interrupted(process.returncode, seen, sig)
    assert tree(out) == before
    _assert_cache_sound(private)
    assert not _recognitions(private)  # nothing half-recognised is stored as a recognition
    (partial_entry,) = _partials(private)
    key = partial_entry.stem.removeprefix("partial-").rsplit("-", 1)[0]
    partial = cache.load_partial(private, key, 30_000)
    assert partial is not None and 0 < partial.done_ms < 150_000  # the windows so far, not the whole 3:12
    assert (file_hash(long_audio), file_hash(EPISODE_MD)) == inputs

    again = subprocess.run(
        [sys.executable, "-m", "aligner", "align", *map(str, args)],
        capture_output=True,
        timeout=WAIT_S,
        env=env_for_subprocess(tmp_path),
        text=True,
    )
    assert again.returncode == 0, again.stderr
    clock = f"{partial.done_ms // 60_000}:{partial.done_ms // 1000 % 60:02d}"
    assert f"Resuming the recognition of {long_audio.name} at {clock}" in again.stderr, again.stderr
    outputs = read_outputs(out, long_audio.stem)
    assert outputs["summary"]["matched"] > 0
    assert not _partials(private) and [p.stem for p in _recognitions(private)] == [key]
    _assert_cache_sound(private)


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
def test_signal_during_refinement_then_the_next_run_uses_the_cache(sig, tmp_path, cache_dir, episode_result):
    private = _private_cache(tmp_path, cache_dir)
    entries = {p: (p.stat().st_ino, p.stat().st_mtime_ns, file_hash(p)) for p in _recognitions(private)}
    assert entries
    out = tmp_path / "out"
    before = _earlier_outputs(out, "episode")
    marker = tmp_path / "refining"
    args = [EPISODE_MP3, EPISODE_MD, "-o", out, "--cache-dir", private]
    process, _ = _child(args, tmp_path, driver=("--mark-refinement", str(marker)))
    _wait_for(marker, process)
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=WAIT_S)
    _assert_interrupted(process.returncode, stderr.decode(), sig)
    assert tree(out) == before
    _assert_cache_sound(private)

    again = subprocess.run(
        [sys.executable, "-m", "aligner", "align", *map(str, args)],
        capture_output=True,
        timeout=WAIT_S,
        env=env_for_subprocess(tmp_path),
    )
    assert again.returncode == 0, again.stderr
    read_outputs(out, "episode")
    # The stored recognition was read, not recomputed and stored again.
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns, file_hash(p)) for p in _recognitions(private)} == entries


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
def test_signal_during_writing_leaves_earlier_outputs_whole(sig, tmp_path, cache_dir, episode_result):
    private = _private_cache(tmp_path, cache_dir)
    out = tmp_path / "out"
    before = _earlier_outputs(out, "episode")
    marker = tmp_path / "writing"
    args = [EPISODE_MP3, EPISODE_MD, "-o", out, "--cache-dir", private, "--no-refine"]
    process, _ = _child(args, tmp_path, driver=("--pause-writing", str(marker)))
    _wait_for(marker, process)
    temporary = Path(marker.read_text(encoding="utf-8").strip())
    assert temporary.parent == out and temporary.exists()  # a complete temporary file is there now
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=WAIT_S)
    _assert_interrupted(process.returncode, stderr.decode(), sig)
    assert tree(out) == before  # the temporary file is gone, every earlier output as it was
    _assert_cache_sound(private)

    again = subprocess.run(
        [sys.executable, "-m", "aligner", "align", *map(str, args)],
        capture_output=True,
        timeout=WAIT_S,
        env=env_for_subprocess(tmp_path),
    )
    assert again.returncode == 0, again.stderr
    read_outputs(out, "episode")
