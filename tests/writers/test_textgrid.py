"""Praat TextGrid output (aligner.writers.textgrid), read back by praatio."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest
from praatio import textgrid as praat_textgrid
from support.handmade import I, M, N, make_result

from aligner.options import OutputOptions
from aligner.writers import write_outputs
from aligner.writers.textgrid import render_textgrid, tile_intervals


def _read_textgrid(path: Path):
    grid = praat_textgrid.openTextgrid(str(path), includeEmptyIntervals=True)
    return grid, {name: grid.getTier(name).entries for name in grid.tierNames}


def _assert_tiles(entries, duration: float) -> None:
    assert entries[0].start == 0 and entries[-1].end == pytest.approx(duration, abs=1e-9)
    for a, b in itertools.pairwise(entries):
        assert a.end == b.start
    assert all(e.end > e.start for e in entries)


@pytest.mark.model
def test_textgrid_of_the_fixture_reads_back_with_praatio(episode_result, tmp_path):
    write_outputs(episode_result, out_dir=tmp_path, stem="episode", output=OutputOptions(formats=("textgrid", "json")))
    grid, tiers = _read_textgrid(tmp_path / "episode.TextGrid")
    document = json.loads((tmp_path / "episode.json").read_text(encoding="utf-8"))
    duration = document["audio"]["duration"]
    assert list(grid.tierNames) == ["words", "speakers"]
    assert (grid.minTimestamp, grid.maxTimestamp) == (0, pytest.approx(duration))
    for entries in tiers.values():
        _assert_tiles(entries, duration)

    timed = [w for w in document["words"] if w["kind"] == "word" and w["start"] is not None]
    labelled = [e for e in tiers["words"] if e.label]
    assert [e.label for e in labelled] == [w["text"] for w in timed]
    previous_end = 0.0
    exact = 0
    for entry, word in zip(labelled, timed):
        start = max(word["start"], previous_end)  # a tier cannot overlap or hold an empty interval
        end = max(word["end"], round(start + 0.001, 3))
        if (start, end) == (word["start"], word["end"]):  # nothing was clamped
            assert (entry.start, entry.end) == (pytest.approx(word["start"]), pytest.approx(word["end"]))
            exact += 1
        previous_end = end
    assert exact >= 0.9 * len(timed)

    turns: list[str] = []
    for word in timed:
        if word["speaker"] and (not turns or turns[-1] != word["speaker"]):
            turns.append(word["speaker"])
    assert [e.label for e in tiers["speakers"] if e.label] == turns
    assert set(turns) == {"Jane Miller", "Sam Carter"}


def test_textgrid_quotes_and_overlaps_read_back(tmp_path):
    rows = [
        ('say "cheese"', "Ann", M, 100, 500, 0, False, False),
        ("overlap", "Ann", M, 400, 700, 0, False, False),  # starts before the previous word ends
        ("zero", "Ann", M, 700, 700, 0, False, False),  # zero length
        ("late", "Bo B", I, 900, 1300, 1, False, False),
        ("missing", "Bo B", N, None, None, 1, False, False),
        ("end", "Bo B", M, 1990, 2000, 1, False, False),
    ]
    result = make_result(rows, duration_ms=2000)
    path = tmp_path / "t.TextGrid"
    path.write_text(render_textgrid(result, OutputOptions()), encoding="utf-8")
    _, tiers = _read_textgrid(path)
    for entries in tiers.values():
        _assert_tiles(entries, 2.0)
    words = [(e.start, e.end, e.label) for e in tiers["words"] if e.label]
    assert words == [
        (0.1, 0.5, 'say "cheese"'),
        (0.5, 0.7, "overlap"),
        (0.7, pytest.approx(0.701), "zero"),
        (0.9, 1.3, "late"),
        (1.99, 2.0, "end"),
    ]
    assert [(e.start, e.end, e.label) for e in tiers["speakers"] if e.label] == [(0.1, 0.7, "Ann"), (0.9, 2.0, "Bo B")]


@pytest.mark.parametrize("seed", range(20))
def test_tile_intervals_always_tile_the_file(seed):
    rng = random.Random(seed)
    duration = rng.randint(1, 5000)
    spans = []
    t = 0
    for k in range(rng.randint(0, 40)):
        t += rng.randint(-100, 300)
        start = max(0, t)
        spans.append((start, start + rng.randint(-50, 400), f"w{k}"))
    tiles = tile_intervals(spans, duration)
    assert tiles[0][0] == 0 and tiles[-1][1] == duration
    assert all(a[1] == b[0] for a, b in itertools.pairwise(tiles))
    assert all(end > start for start, end, _ in tiles)
    # every label is kept, in order (a word squeezed out at the very end joins the one before)
    joined = " ".join(text for _, _, text in tiles if text).split()
    assert joined == [text for _, _, text in spans][: len(joined)]
    assert len(joined) == len(spans) or tiles[-1][1] == duration
