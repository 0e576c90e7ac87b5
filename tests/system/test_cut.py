"""aligner cut on the fixture episode, end to end: the real model, aligner and encoders (issue 15)."""

from __future__ import annotations

import json

import av
import pytest
from jsonschema import Draft202012Validator
from support.hostile import assert_one_line_error, file_hash, run
from support.paths import EPISODE_MD, EPISODE_MP3

from aligner.writers import load_schema


def duration_ms(path) -> float:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        return sum(frame.samples for frame in container.decode(stream)) * 1000 / stream.rate


@pytest.fixture(scope="module")
def cut_run(tmp_path_factory, cache_dir):
    out = tmp_path_factory.mktemp("cut")
    inputs = (file_hash(EPISODE_MP3), file_hash(EPISODE_MD))
    result = run(
        "cut", EPISODE_MP3, EPISODE_MD, "-o", out, "--cache-dir", cache_dir, "--formats", "srt,vtt,json,audacity,edl"
    )
    assert result.exit_code == 0, result.stderr
    assert (file_hash(EPISODE_MP3), file_hash(EPISODE_MD)) == inputs  # the inputs are never changed
    return out, result


@pytest.mark.model
def test_cut_writes_the_edited_audio_its_outputs_and_the_edit_list(cut_run) -> None:
    out, result = cut_run
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "episode.edited.json",
        "episode.edited.mp3",
        "episode.edited.srt",
        "episode.edited.vtt",
        "episode.edits.edl",
        "episode.edits.json",
        "episode.edits.txt",
    ]
    assert "removed" in result.stdout and "Wrote" in result.stdout


@pytest.mark.model
def test_the_filler_goes_and_no_transcript_word_is_cut(cut_run, truth) -> None:
    out, _ = cut_run
    edits = json.loads((out / "episode.edits.json").read_text(encoding="utf-8"))
    assert edits["version"] == 1 and edits["source"].endswith("episode.mp3")
    cuts = [(round(c["start"] * 1000), round(c["end"] * 1000)) for c in edits["cuts"]]
    assert cuts == sorted(cuts) and all(a < b for a, b in cuts)
    spoken = truth["spoken_words"]
    for word in spoken:
        if word.get("transcript_index") is None:
            continue
        for a, b in cuts:
            overlap = min(b, word["end_ms"]) - max(a, word["start_ms"])
            assert overlap <= 10, (word, a, b)
    um = next(w for w in spoken if w.get("edit") == "filler")  # "Um," at 17.33 s
    inside = sum(max(0, min(b, um["end_ms"]) - max(a, um["start_ms"])) for a, b in cuts)
    assert inside >= 0.9 * (um["end_ms"] - um["start_ms"])


@pytest.mark.model
def test_the_edited_audio_is_the_source_less_the_cuts_and_the_outputs_follow_it(cut_run, tmp_path, cache_dir) -> None:
    out, _ = cut_run
    edits = json.loads((out / "episode.edits.json").read_text(encoding="utf-8"))
    removed = edits["removed_seconds"] * 1000
    assert removed > 0
    assert abs(duration_ms(out / "episode.edited.mp3") - (duration_ms(EPISODE_MP3) - removed)) <= 20
    retimed = json.loads((out / "episode.edited.json").read_text(encoding="utf-8"))
    Draft202012Validator(load_schema()).validate(retimed)  # a result document, like align's
    assert retimed["audio"]["path"].endswith("episode.edited.mp3")
    assert abs(retimed["audio"]["duration"] * 1000 - (duration_ms(EPISODE_MP3) - removed)) <= 20
    assert run("align", EPISODE_MP3, EPISODE_MD, "-o", tmp_path, "--cache-dir", cache_dir, "-q").exit_code == 0
    original = json.loads((tmp_path / "episode.json").read_text(encoding="utf-8"))
    cuts = [(round(c["start"] * 1000), round(c["end"] * 1000)) for c in edits["cuts"]]
    for before, after in zip(original["words"], retimed["words"]):
        assert before["text"] == after["text"] and before["status"] == after["status"]
        if before["start"] is not None and before["kind"] == "word":
            start = round(before["start"] * 1000)
            shift = sum(b - a for a, b in cuts if b <= start)
            assert round(after["start"] * 1000) == start - shift


@pytest.mark.model
def test_dry_run_prints_the_cuts_and_writes_nothing(tmp_path, cache_dir) -> None:
    out = tmp_path / "not-made"
    result = run("cut", EPISODE_MP3, EPISODE_MD, "-o", out, "--cache-dir", cache_dir, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "Would cut" in result.stdout and "filler" in result.stdout
    assert not out.exists()


def test_a_missing_audio_file_is_one_line_and_writes_nothing(tmp_path) -> None:
    result = run("cut", tmp_path / "nope.mp3", EPISODE_MD, "-o", tmp_path / "out")
    assert_one_line_error(result, "nope.mp3")
    assert not (tmp_path / "out").exists()


def test_an_unknown_kind_to_remove_is_one_line(tmp_path) -> None:
    assert_one_line_error(run("cut", EPISODE_MP3, EPISODE_MD, "--remove", "fillers,music"), "music")
