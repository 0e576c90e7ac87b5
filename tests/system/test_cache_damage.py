"""A damaged cache entry seen through the CLI: one ``Warning:`` line, a normal run, a repaired entry.

The library logs a warning and recognises again (tests/test_cache.py holds
every kind of damage); the CLI shows the warning as one line on stderr, the
run succeeds, and the entry is replaced by a good one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.hostile import read_outputs, run
from support.paths import AUDIO

DAMAGE = {
    "truncated": lambda good: json.dumps(good)[: len(json.dumps(good)) // 2],
}


def _entry(folder: Path) -> Path:
    (entry,) = [p for p in folder.iterdir() if p.suffix == ".json"]
    return entry


@pytest.mark.model
@pytest.mark.parametrize("case", ["truncated"])  # the other kinds of damage: tests/test_cache.py
def test_cli_warns_in_one_line_recomputes_and_repairs(case, tmp_path, cache_dir):
    transcript = tmp_path / "hello.md"
    transcript.write_text("Hello there.\n", encoding="utf-8")
    private = tmp_path / "cache"
    first = run(
        "align", AUDIO / "hello.wav", transcript, "-o", tmp_path / "out1", "--cache-dir", private, "--no-refine"
    )
    assert first.exit_code == 0, first.stderr
    entry = _entry(private)
    good = json.loads(entry.read_text(encoding="utf-8"))
    text = DAMAGE[case](good)
    entry.write_text(text, encoding="utf-8")

    second = run(
        "align", AUDIO / "hello.wav", transcript, "-o", tmp_path / "out2", "--cache-dir", private, "--no-refine"
    )
    assert second.exit_code == 0, second.stderr
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Warning: ignoring unreadable cache entry"), second.stderr
    assert entry.name in lines[0]
    assert "Traceback" not in second.stderr
    read_outputs(tmp_path / "out2", "hello")
    assert json.loads(entry.read_text(encoding="utf-8")) == good  # recomputed and stored again
    assert sorted(p.name for p in private.iterdir()) == [entry.name]
