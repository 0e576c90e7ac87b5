"""Editor and tool outputs: Praat TextGrid, Audacity labels, Podcasting 2.0 chapters, the schema.

Independent readers: praatio parses the TextGrid, Python's csv module the
tab-separated Audacity labels (the whole format), jsonschema the chapters
against a schema written from the podcast namespace's chapters spec; the
chapter times are checked against the fixture's true word times.
"""

from __future__ import annotations

import csv
import itertools
import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EPISODE
from handmade import I, M, N, make_result
from jsonschema import Draft202012Validator
from praatio import textgrid as praat_textgrid
from truth import load_truth, truth_key

from aligner import align
from aligner.cli import cli
from aligner.options import CaptionOptions
from aligner.writers import write_outputs
from aligner.writers.audacity import render_audacity
from aligner.writers.chapters import find_chapters, render_chapters
from aligner.writers.json import load_schema
from aligner.writers.textgrid import render_textgrid, tile_intervals

# From the spec (Podcastindex-org/podcast-namespace, docs/examples/chapters/jsonChapters.md, version 1.2).
CHAPTERS_SCHEMA = {
    "type": "object",
    "required": ["version", "chapters"],
    "properties": {
        "version": {"type": "string"},
        "fileName": {"type": "string"},
        "chapters": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["startTime"],
                "additionalProperties": False,
                "properties": {"startTime": {"type": "number", "minimum": 0}, "title": {"type": "string"}},
            },
        },
    },
}


# --- TextGrid ---------------------------------------------------------------------------------


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
    write_outputs(episode_result, out_dir=tmp_path, stem="episode", formats=["textgrid", "json"], options=CaptionOptions())
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
    path.write_text(render_textgrid(result, CaptionOptions()), encoding="utf-8")
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


# --- Audacity labels ----------------------------------------------------------------------------


@pytest.mark.model
def test_audacity_labels_of_the_fixture_read_back(episode_result, tmp_path):
    write_outputs(episode_result, out_dir=tmp_path, stem="episode", formats=["audacity", "json"], options=CaptionOptions())
    with (tmp_path / "episode.labels.txt").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    words = json.loads((tmp_path / "episode.json").read_text(encoding="utf-8"))["words"]
    timed = [w for w in words if w["start"] is not None]
    assert len(rows) == len(timed) > 100
    for row, word in zip(rows, timed):
        assert len(row) == 3
        start, end, label = float(row[0]), float(row[1]), row[2]
        assert (start, end, label) == (word["start"], max(word["end"], word["start"]), " ".join(word["text"].split()))
    assert any(row[2] == "[music]" for row in rows)


def test_audacity_labels_never_hold_tabs_or_line_breaks():
    rows = [("a\tb", "X", M, 0, 100, 0, False, False), ("c\nd", "X", M, 100, 100, 0, False, False)]
    text = render_audacity(make_result(rows, duration_ms=1000), CaptionOptions())
    assert text == "0.000\t0.100\ta b\n0.100\t0.100\tc d\n"


# --- chapters ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chapters_result(cache_dir):
    """The fixture episode aligned with a copy of its transcript that has section headings."""
    return align(EPISODE / "episode.mp3", EPISODE / "episode_chapters.md", cache_dir=cache_dir)


@pytest.mark.model
def test_chapters_of_the_fixture_start_at_each_sections_first_spoken_word(chapters_result, tmp_path):
    write_outputs(chapters_result, out_dir=tmp_path, stem="episode", formats=["chapters", "json"], options=CaptionOptions())
    document = json.loads((tmp_path / "episode.chapters.json").read_text(encoding="utf-8"))
    Draft202012Validator(CHAPTERS_SCHEMA).validate(document)
    assert document["version"] == "1.2.0" and document["fileName"] == "episode.mp3"
    titles = [c["title"] for c in document["chapters"]]
    assert titles == ["Part one: welcome", 'Part two: the gap & the "learning to learn"', "Part three: goodbye"]

    words = json.loads((tmp_path / "episode.json").read_text(encoding="utf-8"))["words"]
    truth = load_truth()
    body_seen: dict[str, int] = {}
    first_after: list[tuple[dict, int]] = []  # for each heading, the first body word after it and its occurrence
    heading = False
    for word in words:
        if word["kind"] != "word":
            continue
        text = word["text"]
        if word["speaker"] is None:  # heading matter
            heading = heading or text == "Part"
            continue
        key = truth_key(text)
        occurrence = body_seen.get(key, 0)
        body_seen[key] = occurrence + 1
        if heading:
            first_after.append((word, occurrence))
            heading = False
    spoken = {
        (w["transcript_text"].casefold(), w["transcript_occurrence"]): w
        for w in truth["spoken_words"]
        if w["transcript_text"] is not None  # fillers and repetitions have no transcript word
    }
    assert len(first_after) == len(document["chapters"])
    for chapter, (word, occurrence) in zip(document["chapters"], first_after):
        assert chapter["startTime"] == word["start"]  # the first aligned word after the heading
        true_start = spoken[(truth_key(word["text"]), occurrence)]["start_ms"] / 1000
        assert abs(chapter["startTime"] - true_start) < 0.3, (chapter, true_start)
    starts = [c["startTime"] for c in document["chapters"]]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


@pytest.mark.model
def test_chapters_of_a_transcript_without_section_headings_is_an_empty_list(episode_result):
    document = json.loads(render_chapters(episode_result, CaptionOptions()))
    Draft202012Validator(CHAPTERS_SCHEMA).validate(document)
    assert document["chapters"] == []  # the title is not a chapter: its dek and byline follow it


def test_which_headings_make_chapters():
    rows = [
        ("Title", None, N, None, None, 0, True, True),  # the episode title: a dek follows
        ("Dek", None, N, None, None, 1, True, False),
        ("Intro", None, N, None, None, 2, True, True),  # directly followed by another heading
        ("Part", None, N, None, None, 3, True, True),
        ("one", None, N, None, None, 3, True, True),
        ("cut", "A", N, None, None, 4, False, False),  # the first body word is not in the audio
        ("hello", "A", M, 1000, 1400, 4, False, False),
        ("Lost", None, N, None, None, 5, True, True),  # a part whose words are all missing
        ("gone", "A", N, None, None, 6, False, False),
        ("Part", None, N, None, None, 7, True, True),
        ("two", None, N, None, None, 7, True, True),
        ("again", "B", I, 3000, 3300, 8, False, False),
        ("Credits", None, N, None, None, 9, True, True),  # closing matter: nothing spoken follows
        ("Subscribe", None, N, None, None, 10, True, False),
    ]
    chapters = find_chapters(make_result(rows, duration_ms=5000).words)
    assert [(c.title, c.start_ms, c.first_word) for c in chapters] == [("Part one", 1000, 6), ("Part two", 3000, 11)]


# --- the schema ---------------------------------------------------------------------------------


def test_schema_command_prints_the_shipped_schema():
    result = CliRunner().invoke(cli, ["schema"], catch_exceptions=False)
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema == load_schema()
    Draft202012Validator.check_schema(schema)
    assert "schema" in CliRunner().invoke(cli, ["--help"]).output
