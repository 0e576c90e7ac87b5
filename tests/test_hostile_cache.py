"""A corrupt or truncated recognition cache entry (issue 6): a warning, then recognition again.

The warning reaches the user as one ``Warning:`` line on stderr (the CLI
shows the library's log warnings that way); the run succeeds, and the
entry is replaced by a good one.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from aligner import cache
from aligner.types import AsrWord, PartialRecognition, Recognition, SpeechRegion
from conftest import AUDIO
from hostile_support import read_outputs, run

GOOD = Recognition(
    words=(AsrWord("Hello", 0, 380, 0.9), AsrWord("there.", 380, 700, 0.8)),
    speech=(SpeechRegion(0, 715),),
    duration_ms=715,
    model="tiny.en (bundled)",
    language="en",
)


def _entry(folder: Path) -> Path:
    (entry,) = [p for p in folder.iterdir() if p.suffix == ".json"]
    return entry


def _good_entry(folder: Path) -> dict:
    cache.store(folder, "k", GOOD)
    return json.loads((folder / "k.json").read_text(encoding="utf-8"))


# --- cache.load on its own: every kind of damage is caught, with a warning -------------------------

DAMAGE = {
    "truncated": lambda good: json.dumps(good)[: len(json.dumps(good)) // 2],
    "empty": lambda good: "",
    "not UTF-8": lambda good: b"\xff\xfe\x00garbage",
    "a JSON list": lambda good: "[1, 2, 3]",
    "a JSON string": lambda good: '"hello"',
    "a word without its end": lambda good: json.dumps({**good, "words": [{"text": "Hello", "start_ms": 0, "probability": 1}]}),
    "a time as text": lambda good: json.dumps({**good, "words": [{**good["words"][0], "start_ms": "0"}]}),
    "a time past the end": lambda good: json.dumps({**good, "words": [{**good["words"][0], "end_ms": 10**9}]}),
    "a negative time": lambda good: json.dumps({**good, "speech": [{"start_ms": -5, "end_ms": 10}]}),
    "end before start": lambda good: json.dumps({**good, "words": [{**good["words"][0], "start_ms": 500, "end_ms": 100}]}),
    "a boolean duration": lambda good: json.dumps({**good, "duration_ms": True}),
    "no model": lambda good: json.dumps({k: v for k, v in good.items() if k != "model"}),
}


@pytest.mark.parametrize("case", sorted(DAMAGE))
def test_damaged_entry_is_ignored_with_a_warning(case, tmp_path, caplog):
    good = _good_entry(tmp_path)
    damaged = DAMAGE[case](good)
    (tmp_path / "k.json").write_bytes(damaged if isinstance(damaged, bytes) else damaged.encode("utf-8"))
    with caplog.at_level(logging.WARNING, logger="aligner"):
        assert cache.load(tmp_path, "k") is None
    (record,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "k.json" in record.getMessage() and "\n" not in record.getMessage()


def test_good_entry_round_trips(tmp_path):
    cache.store(tmp_path, "k", GOOD)
    assert cache.load(tmp_path, "k") == GOOD
    assert [p.name for p in tmp_path.iterdir()] == ["k.json"]  # no temporary file left


def test_entry_of_another_format_version_is_recomputed_quietly(tmp_path, caplog):
    good = _good_entry(tmp_path)
    (tmp_path / "k.json").write_text(json.dumps({**good, "format": 999}), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="aligner"):
        assert cache.load(tmp_path, "k") is None
    assert not caplog.records


def test_a_folder_in_place_of_the_entry(tmp_path, caplog):
    (tmp_path / "k.json").mkdir()
    with caplog.at_level(logging.WARNING, logger="aligner"):
        assert cache.load(tmp_path, "k") is None
    assert caplog.records


def test_an_unwritable_cache_is_only_a_warning(tmp_path, caplog):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="aligner"):
        cache.store(blocker, "k", GOOD)
    assert "cannot write recognition cache" in caplog.text


# --- through the CLI: one warning line, a normal run, a repaired entry --------------------------------


@pytest.mark.model
@pytest.mark.parametrize("case", ["truncated"])  # the other kinds of damage: cache.load tests above
def test_cli_warns_in_one_line_recomputes_and_repairs(case, tmp_path, cache_dir):
    transcript = tmp_path / "hello.md"
    transcript.write_text("Hello there.\n", encoding="utf-8")
    private = tmp_path / "cache"
    first = run("align", AUDIO / "hello.wav", transcript, "-o", tmp_path / "out1", "--cache-dir", private, "--no-refine")
    assert first.exit_code == 0, first.stderr
    entry = _entry(private)
    good = json.loads(entry.read_text(encoding="utf-8"))
    text = DAMAGE[case](good)
    entry.write_text(text, encoding="utf-8")

    second = run("align", AUDIO / "hello.wav", transcript, "-o", tmp_path / "out2", "--cache-dir", private, "--no-refine")
    assert second.exit_code == 0, second.stderr
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Warning: ignoring unreadable cache entry"), second.stderr
    assert entry.name in lines[0]
    assert "Traceback" not in second.stderr
    read_outputs(tmp_path / "out2", "hello")
    assert json.loads(entry.read_text(encoding="utf-8")) == good  # recomputed and stored again
    assert sorted(p.name for p in private.iterdir()) == [entry.name]


@pytest.mark.parametrize("damage", ["truncated", "spans of another recognition", "a span past the end"])
def test_damaged_refinement_entry_is_ignored_with_a_warning(damage, tmp_path, caplog):
    from aligner.types import Refinement, TimingMethod

    cache.store_refinement(tmp_path, "refine-k", Refinement(GOOD.words, (TimingMethod.SPHINX, TimingMethod.ONSET)))
    assert cache.load_refinement(tmp_path, "refine-k", GOOD.words, GOOD.duration_ms) is not None
    entry = tmp_path / "refine-k.json"
    good = json.loads(entry.read_text(encoding="utf-8"))
    if damage == "truncated":
        entry.write_text(json.dumps(good)[:20], encoding="utf-8")
    elif damage == "spans of another recognition":
        entry.write_text(json.dumps({**good, "spans": good["spans"][:1], "methods": good["methods"][:1]}), encoding="utf-8")
    else:
        entry.write_text(json.dumps({**good, "spans": [[0, 10], [10, 10**6]]}), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="aligner"):
        assert cache.load_refinement(tmp_path, "refine-k", GOOD.words, GOOD.duration_ms) is None
    assert "ignoring unreadable cache entry" in caplog.text and "refine-k.json" in caplog.text


# --- partial recognitions: what an interrupted run leaves for the next ---------------------------------

PARTIAL = PartialRecognition(
    window_ms=30_000, done_samples=16_000 * 12, words=GOOD.words, speech=GOOD.speech
)


def test_partial_entry_round_trips_and_is_keyed_by_window(tmp_path):
    cache.store_partial(tmp_path, "k", PARTIAL)
    assert cache.load_partial(tmp_path, "k", 30_000) == PARTIAL
    assert cache.load_partial(tmp_path, "k", 60_000) is None  # cut with other windows: not this run's
    assert cache.load(tmp_path, "k") is None  # a partial is never taken for the whole recognition
    cache.discard_partial(tmp_path, "k", 30_000)
    assert cache.load_partial(tmp_path, "k", 30_000) is None
    cache.discard_partial(tmp_path, "k", 30_000)  # gone already: nothing to do


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.update(done_samples=-5),
        lambda d: d.update(done_samples="12"),
        lambda d: d["words"].append({"text": "late", "start_ms": 13_000, "end_ms": 13_500, "probability": 0.9}),
        lambda d: d.pop("speech"),
        lambda d: d.update(window_ms=60_000),
    ],
    ids=["negative", "string", "word-past-the-cut", "no-speech", "other-window"],
)
def test_damaged_partial_entry_is_ignored_with_a_warning(damage, tmp_path, caplog):
    cache.store_partial(tmp_path, "k", PARTIAL)
    path = tmp_path / "partial-k-30000.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    damage(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="aligner"):
        assert cache.load_partial(tmp_path, "k", 30_000) is None
    assert "recognising from the start" in caplog.text


def test_truncated_partial_entry_is_ignored_with_a_warning(tmp_path, caplog):
    cache.store_partial(tmp_path, "k", PARTIAL)
    path = tmp_path / "partial-k-30000.json"
    path.write_text(path.read_text(encoding="utf-8")[:40], encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="aligner"):
        assert cache.load_partial(tmp_path, "k", 30_000) is None
    assert "unreadable cache entry" in caplog.text
