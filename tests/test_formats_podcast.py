"""Podcast-app outputs: Podcasting 2.0 JSON, the RSS lines, word-timed WebVTT and caption presets.

Independent checks: jsonschema against a schema written from the podcast
namespace's transcript spec, the standard library's XML parser for the RSS
lines, webvtt-py for the word-timed VTT (the browser tests parse it too).
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import webvtt
from handmade import M, N, make_result, tricky_result
from jsonschema import Draft202012Validator

from aligner.errors import OptionsError
from aligner.options import CaptionOptions, OutputOptions
from aligner.presets import DEFAULT_PRESET, PRESETS, preset_options
from aligner.timecode import format_vtt, parse_timestamp
from aligner.types import Cue
from aligner.writers import write_outputs
from aligner.writers.json import result_to_dict
from aligner.writers.podcast import render_podcast, render_rss_snippet
from aligner.writers.vtt import render_vtt, word_timed_lines

# From the spec (Podcastindex-org/podcast-namespace, docs/examples/transcripts/transcripts.md):
# "version", "segments"; each segment "speaker", "startTime", "endTime" (if available), "body".
PODCAST_TRANSCRIPT_SCHEMA = {
    "type": "object",
    "required": ["version", "segments"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": "1.0.0"},
        "segments": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["startTime", "endTime", "body"],
                "additionalProperties": False,
                "properties": {
                    "speaker": {"type": "string", "minLength": 1},
                    "startTime": {"type": "number", "minimum": 0},
                    "endTime": {"type": "number", "minimum": 0},
                    "body": {"type": "string", "minLength": 1},
                },
            },
        },
    },
}


def _validate(text: str) -> dict:
    document = json.loads(text)
    Draft202012Validator(PODCAST_TRANSCRIPT_SCHEMA).validate(document)
    for segment in document["segments"]:
        assert segment["startTime"] <= segment["endTime"]
    starts = [s["startTime"] for s in document["segments"]]
    assert starts == sorted(starts)
    return document


@pytest.mark.model
def test_podcast_json_has_one_segment_per_cue_on_the_fixture(episode_result, tmp_path):
    write_outputs(episode_result, out_dir=tmp_path, stem="episode", formats=["podcast", "json"], options=CaptionOptions())
    document = _validate((tmp_path / "episode.podcast.json").read_text(encoding="utf-8"))
    cues = json.loads((tmp_path / "episode.json").read_text(encoding="utf-8"))["cues"]
    assert len(document["segments"]) == len(cues) > 5
    for segment, cue in zip(document["segments"], cues):
        assert (segment["startTime"], segment["endTime"], segment["body"]) == (cue["start"], cue["end"], cue["text"])
        assert segment["speaker"] == cue["speaker"]
    assert {s["speaker"] for s in document["segments"]} == {"Jane Miller", "Sam Carter"}


@pytest.mark.model
def test_podcast_words_gives_one_segment_per_timed_word_on_the_fixture(episode_result, tmp_path):
    write_outputs(
        episode_result,
        out_dir=tmp_path,
        stem="episode",
        formats=["podcast", "json"],
        options=CaptionOptions(),
        output=OutputOptions(podcast_words=True),
    )
    document = _validate((tmp_path / "episode.podcast.json").read_text(encoding="utf-8"))
    words = json.loads((tmp_path / "episode.json").read_text(encoding="utf-8"))["words"]
    timed = [w for w in words if w["kind"] == "word" and w["start"] is not None]
    assert len(timed) > 100
    assert [(s["body"], s["startTime"], s["endTime"], s["speaker"]) for s in document["segments"]] == [
        (w["text"], w["start"], w["end"], w["speaker"]) for w in timed
    ]


def test_podcast_json_keeps_markup_as_text_and_leaves_out_unknown_speakers():
    rows = [
        ("Fish", None, M, 0, 300, 0, False, False),
        ("&", None, M, 300, 500, 0, False, False),
        ("<chips>", None, M, 500, 900, 0, False, False),
        ("gone", None, N, None, None, 0, False, False),
    ]
    result = make_result(rows, duration_ms=2000)
    document = _validate(render_podcast(result, CaptionOptions()))
    (cue,) = result.cues
    assert document["segments"] == [{"startTime": 0.0, "endTime": cue.end_ms / 1000, "body": "Fish & <chips>"}]
    words = _validate(render_podcast(result, CaptionOptions(), OutputOptions(podcast_words=True)))
    assert [s["body"] for s in words["segments"]] == ["Fish", "&", "<chips>"]


# --- RSS lines -------------------------------------------------------------------------------

NAMESPACE = "https://podcastindex.org/namespace/1.0"


def _parse_lines(snippet: str) -> list[ET.Element]:
    item = ET.fromstring(f'<item xmlns:podcast="{NAMESPACE}">\n{snippet}</item>')
    return list(item)


def test_rss_lines_link_each_podcast_file_with_its_type():
    files = [(name, Path("out") / f"my episode #1.{ext}") for name, ext in [
        ("srt", "srt"), ("vtt", "vtt"), ("json", "json"), ("podcast", "podcast.json"),
        ("html", "html"), ("textgrid", "TextGrid"), ("audacity", "labels.txt"), ("chapters", "chapters.json"),
    ]]
    snippet = render_rss_snippet(files, base_url="https://cdn.example.com/show/42", language="en")
    assert snippet.count("\n") == 4 and snippet.endswith("\n")
    elements = _parse_lines(snippet)
    tags = [(e.tag, e.get("type"), e.get("url"), e.get("language"), e.get("rel")) for e in elements]
    base = "https://cdn.example.com/show/42/my%20episode%20%231"
    assert tags == [
        (f"{{{NAMESPACE}}}transcript", "application/x-subrip", f"{base}.srt", "en", "captions"),
        (f"{{{NAMESPACE}}}transcript", "text/vtt", f"{base}.vtt", "en", "captions"),
        (f"{{{NAMESPACE}}}transcript", "application/json", f"{base}.podcast.json", "en", "captions"),
        (f"{{{NAMESPACE}}}chapters", "application/json+chapters", f"{base}.chapters.json", None, None),
    ]


def test_rss_lines_without_a_base_url_name_the_files_and_escape_attributes():
    snippet = render_rss_snippet([("vtt", Path('a&b"c.vtt'))], base_url=None, language='e"n')
    (element,) = _parse_lines(snippet)
    assert element.get("url") == "a%26b%22c.vtt"
    assert element.get("language") == 'e"n'
    assert render_rss_snippet([("json", Path("x.json"))], base_url="https://x/", language="en") == ""
    (no_language,) = _parse_lines(render_rss_snippet([("srt", Path("x.srt"))], base_url="https://x/", language=None))
    assert no_language.get("url") == "https://x/x.srt" and no_language.get("language") is None


# --- word-timed WebVTT -------------------------------------------------------------------------


def test_vtt_words_puts_a_timestamp_before_each_later_word_and_parses_with_webvtt_py(tmp_path):
    result = tricky_result()
    text = render_vtt(result, CaptionOptions(), OutputOptions(vtt_words=True))
    path = tmp_path / "words.vtt"
    path.write_text(text, encoding="utf-8")
    captions = webvtt.read(str(path)).captions
    assert len(captions) == len(result.cues)
    for caption, cue in zip(captions, result.cues):
        stamps = [parse_timestamp(s) for s in re.findall(r"<(\d\d:\d\d:\d\d\.\d\d\d)>", caption.raw_text)]
        later = [result.words[i].start_ms for i in cue.word_indices[1:]]
        assert stamps == later  # every word after the first starts later than the one before it here
        assert all(cue.start_ms < s < cue.end_ms for s in stamps)
    plain = render_vtt(result, CaptionOptions())
    assert "<00:" not in plain


def test_vtt_words_skips_timestamps_that_would_not_increase():
    rows = [
        ("one", "A", M, 1000, 1000, 0, False, False),  # zero-length word at the cue start
        ("two", "A", M, 1000, 1400, 0, False, False),  # same start: no timestamp
        ("three", "A", M, 1400, 1800, 0, False, False),
        ("four", "A", M, 1400, 1900, 0, False, False),  # same start again
    ]
    result = make_result(rows, duration_ms=5000)
    (cue,) = result.cues
    assert word_timed_lines(cue, result.words) == [f"one two <{format_vtt(1400)}>three four"]


def test_vtt_words_falls_back_to_plain_lines_for_a_cue_that_does_not_match_its_words():
    result = tricky_result()
    cue = result.cues[0]
    odd = Cue(cue.index, cue.start_ms, cue.end_ms, ("not the words",), cue.speaker, cue.word_indices)
    assert word_timed_lines(odd, result.words) is None
    text = render_vtt(dataclasses.replace(result, cues=(odd,)), CaptionOptions(), OutputOptions(vtt_words=True))
    assert "not the words" in text and "<00:" not in text


# --- presets --------------------------------------------------------------------------------


def test_presets_hold_the_documented_numbers():
    netflix, bbc, podcast = (PRESETS[name].options for name in ("netflix", "bbc", "podcast"))
    assert (netflix.max_line_chars, netflix.max_lines, netflix.min_duration_ms, netflix.max_duration_ms) == (42, 2, 833, 7000)
    assert netflix.max_chars_per_second == 20.0
    assert (bbc.max_line_chars, bbc.max_lines, bbc.max_chars_per_second) == (37, 2, 17.0)
    assert podcast == CaptionOptions() and DEFAULT_PRESET == "podcast"
    assert all(PRESETS[name].source for name in PRESETS)


def test_explicit_options_override_a_preset():
    options = preset_options("bbc", max_lines=3, max_gap_ms=900, speaker_prefix=False)
    assert (options.max_line_chars, options.max_lines, options.max_gap_ms, options.speaker_prefix) == (37, 3, 900, False)
    assert preset_options("bbc") == PRESETS["bbc"].options
    with pytest.raises(OptionsError, match="unknown caption preset 'itv'"):
        preset_options("itv")
    with pytest.raises(OptionsError, match="line"):
        preset_options("netflix", max_line_chars=5)


@pytest.mark.parametrize("seed", range(5))
def test_bbc_preset_cues_fit_its_lines(seed):
    rng = random.Random(seed)
    vocabulary = ["the", "a", "podcast", "memory", "machines", "learning", "children", "thousands", "of", "pictures,", "quickly.", "today"]
    rows = []
    t = 0
    for k in range(120):
        step = rng.randint(150, 600)
        rows.append((rng.choice(vocabulary), "Host" if k < 60 else "Guest", M, t, t + step - 20, k // 30, False, False))
        t += step + (rng.randint(0, 2000) if rng.random() < 0.1 else 0)
    result = make_result(rows, duration_ms=t + 1000, options=PRESETS["bbc"].options)
    for cue in result_to_dict(result)["cues"]:
        assert len(cue["lines"]) <= 2
        assert all(len(line) <= 37 for line in cue["lines"]), cue
