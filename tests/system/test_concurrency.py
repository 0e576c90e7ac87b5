"""Processes aligning at the same time: same output folder, same cache.

Real ``python -m aligner`` processes started together. Every output is
written to a temporary file and renamed into place, and cache entries the
same way, so whichever process renames last wins and no reader ever sees a
partial file. With the same inputs the outputs agree whatever the order;
with the same name but different transcripts each file is whole, but the
set may mix runs (the last rename of each file wins), so give runs that
differ different output folders.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from support.hostile import env_for_subprocess, file_hash, read_outputs, temp_files
from support.paths import AUDIO

from aligner import cache

pytestmark = pytest.mark.model


def _start(args: list[object], tmp_path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "aligner", "align", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env_for_subprocess(tmp_path),
    )


def test_three_processes_one_output_folder_one_fresh_cache(tmp_path):
    transcript = tmp_path / "hello.md"
    transcript.write_text("### Kim\n\nHello there.\n", encoding="utf-8")
    other = tmp_path / "other.md"
    other.write_text("Hello there!\n", encoding="utf-8")
    out = tmp_path / "out"
    shared_cache = tmp_path / "cache"  # empty: every process recognises and stores the same key
    inputs = {p: file_hash(p) for p in (AUDIO / "hello.wav", transcript, other)}
    runs = [
        [AUDIO / "hello.wav", transcript, "-o", out, "--cache-dir", shared_cache, "--no-refine"],
        [AUDIO / "hello.wav", transcript, "-o", out, "--cache-dir", shared_cache, "--no-refine"],
        [AUDIO / "hello.wav", other, "-o", out, "--cache-dir", shared_cache, "--no-refine", "--formats", "json,vtt"],
    ]
    processes = [_start(args, tmp_path) for args in runs]
    results = [p.communicate(timeout=600) for p in processes]
    for process, (_stdout, stderr) in zip(processes, results):
        assert process.returncode == 0, stderr.decode()
        assert b"Warning" not in stderr, stderr.decode()  # nobody saw a half-written cache entry

    doc = read_outputs(out, "hello")  # every file whole, and SRT, VTT and JSON agree on the cues
    assert [w["text"] for w in doc["words"]] in (["Hello", "there."], ["Hello", "there!"])
    assert all(w["status"] == "matched" for w in doc["words"])
    assert sorted(p.name for p in out.iterdir()) == ["hello.json", "hello.srt", "hello.vtt"]
    assert not temp_files(out) and not temp_files(shared_cache)
    (entry,) = shared_cache.glob("*.json")
    assert cache.load(shared_cache, entry.stem) is not None
    json.loads(entry.read_text(encoding="utf-8"))
    assert {p: file_hash(p) for p in inputs} == inputs


def test_two_processes_reuse_one_cache_entry_while_writing_one_folder(tmp_path, cache_dir):
    transcript = tmp_path / "hello.md"
    transcript.write_text("Hello there.\n", encoding="utf-8")
    out = tmp_path / "out"
    # Warm the entry, then race two readers of it into the same folder.
    first = subprocess.run(
        [
            sys.executable,
            "-m",
            "aligner",
            "align",
            str(AUDIO / "hello.wav"),
            str(transcript),
            "-o",
            str(out),
            "--cache-dir",
            str(cache_dir),
            "--no-refine",
            "-q",
        ],
        capture_output=True,
        timeout=600,
        env=env_for_subprocess(tmp_path),
    )
    assert first.returncode == 0, first.stderr
    expected = {p.name: file_hash(p) for p in out.iterdir()}
    runs = [[AUDIO / "hello.wav", transcript, "-o", out, "--cache-dir", cache_dir, "--no-refine", "-q"]] * 2
    processes = [_start(args, tmp_path) for args in runs]
    for process in processes:
        _, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr.decode()
    read_outputs(out, "hello")
    # Same inputs, same cached recognition: byte-identical outputs whichever process renamed last.
    assert {p.name: file_hash(p) for p in out.iterdir()} == expected
