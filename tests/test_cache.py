"""The recognition and refinement cache (aligner.cache): round trips, and damaged entries.

A corrupt or truncated entry is a warning, then recognition (or refinement)
again; the CLI shows the warning as one ``Warning:`` line
(tests/system/test_cache_damage.py).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from support.paths import AUDIO

from aligner import cache
from aligner.audio import load_audio
from aligner.options import RecognizeOptions
from aligner.recognize import recognize
from aligner.refine import refinement_key
from aligner.types import AsrWord, PartialRecognition, Recognition, Refinement, SpeechRegion, TimingMethod

GOOD = Recognition(
    words=(AsrWord("Hello", 0, 380, 0.9), AsrWord("there.", 380, 700, 0.8)),
    speech=(SpeechRegion(0, 715),),
    duration_ms=715,
    model="tiny.en (bundled)",
    language="en",
)


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
    "a word without its end": lambda good: json.dumps(
        {**good, "words": [{"text": "Hello", "start_ms": 0, "probability": 1}]}
    ),
    "a time as text": lambda good: json.dumps({**good, "words": [{**good["words"][0], "start_ms": "0"}]}),
    "a time past the end": lambda good: json.dumps({**good, "words": [{**good["words"][0], "end_ms": 10**9}]}),
    "a negative time": lambda good: json.dumps({**good, "speech": [{"start_ms": -5, "end_ms": 10}]}),
    "end before start": lambda good: json.dumps(
        {**good, "words": [{**good["words"][0], "start_ms": 500, "end_ms": 100}]}
    ),
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


@pytest.mark.parametrize("damage", ["truncated", "spans of another recognition", "a span past the end"])
def test_damaged_refinement_entry_is_ignored_with_a_warning(damage, tmp_path, caplog):
    cache.store_refinement(tmp_path, "refine-k", Refinement(GOOD.words, (TimingMethod.SPHINX, TimingMethod.ONSET)))
    assert cache.load_refinement(tmp_path, "refine-k", GOOD.words, GOOD.duration_ms) is not None
    entry = tmp_path / "refine-k.json"
    good = json.loads(entry.read_text(encoding="utf-8"))
    if damage == "truncated":
        entry.write_text(json.dumps(good)[:20], encoding="utf-8")
    elif damage == "spans of another recognition":
        entry.write_text(
            json.dumps({**good, "spans": good["spans"][:1], "methods": good["methods"][:1]}), encoding="utf-8"
        )
    else:
        entry.write_text(json.dumps({**good, "spans": [[0, 10], [10, 10**6]]}), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="aligner"):
        assert cache.load_refinement(tmp_path, "refine-k", GOOD.words, GOOD.duration_ms) is None
    assert "ignoring unreadable cache entry" in caplog.text and "refine-k.json" in caplog.text


@pytest.mark.model
def test_cache_round_trip_and_corrupt_entry(tmp_path):
    recognition = recognize(load_audio(AUDIO / "hello.wav"), RecognizeOptions())
    cache.store(tmp_path, "k", recognition)
    assert cache.load(tmp_path, "k") == recognition
    (tmp_path / "k.json").write_text('{"format": 1, "words": [', encoding="utf-8")
    assert cache.load(tmp_path, "k") is None
    assert cache.load(tmp_path, "absent") is None


# --- refinements ------------------------------------------------------------------------------------


def test_refinement_cache_round_trip_and_mismatch(tmp_path) -> None:
    words = (AsrWord("hello", 100, 500, 0.9), AsrWord("world", 520, 900, 0.8))
    refined = Refinement(
        (AsrWord("hello", 90, 480, 0.9), AsrWord("world", 480, 910, 0.8)), (TimingMethod.ONSET, TimingMethod.SPHINX)
    )
    key = refinement_key("0" * 64, words)
    assert key != refinement_key("0" * 64, words[:1]) and key != refinement_key("1" * 64, words)
    assert cache.load_refinement(tmp_path, key, words, 1000) is None
    cache.store_refinement(tmp_path, key, refined)
    assert cache.load_refinement(tmp_path, key, words, 1000) == refined
    assert cache.load_refinement(tmp_path, key, words[:1], 1000) is None  # does not fit these words
    assert cache.load_refinement(tmp_path, key, words, 700) is None  # times outside the audio
    (tmp_path / f"{key}.json").write_text('{"format": 1, "kind": "refinement", "spans": [[1, 2]]', encoding="utf-8")
    assert cache.load_refinement(tmp_path, key, words, 1000) is None  # truncated


# --- partial recognitions: what an interrupted run leaves for the next ---------------------------------

PARTIAL = PartialRecognition(window_ms=30_000, done_samples=16_000 * 12, words=GOOD.words, speech=GOOD.speech)


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
