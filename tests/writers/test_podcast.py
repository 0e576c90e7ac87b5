"""Podcast-app outputs (aligner.writers.podcast): Podcasting 2.0 JSON and the RSS lines.

Independent checks: jsonschema against a schema written from the podcast
namespace's transcript spec, the standard library's XML parser for the RSS
lines. Word-timed WebVTT: test_vtt.py; caption presets: tests/test_options.py.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from support.handmade import M, N, make_result

from aligner.options import OutputOptions
from aligner.writers import write_outputs
from aligner.writers.podcast import render_podcast, render_rss_snippet

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
    write_outputs(episode_result, out_dir=tmp_path, stem="episode", output=OutputOptions(formats=("podcast", "json")))
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
        output=OutputOptions(formats=("podcast", "json"), podcast_words=True),
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
    document = _validate(render_podcast(result, OutputOptions()))
    (cue,) = result.cues
    assert document["segments"] == [{"startTime": 0.0, "endTime": cue.end_ms / 1000, "body": "Fish & <chips>"}]
    words = _validate(render_podcast(result, OutputOptions(podcast_words=True)))
    assert [s["body"] for s in words["segments"]] == ["Fish", "&", "<chips>"]


# --- RSS lines -------------------------------------------------------------------------------

NAMESPACE = "https://podcastindex.org/namespace/1.0"


def _parse_lines(snippet: str) -> list[ET.Element]:
    item = ET.fromstring(f'<item xmlns:podcast="{NAMESPACE}">\n{snippet}</item>')
    return list(item)


def test_rss_lines_link_each_podcast_file_with_its_type():
    files = [
        (name, Path("out") / f"my episode #1.{ext}")
        for name, ext in [
            ("srt", "srt"),
            ("vtt", "vtt"),
            ("json", "json"),
            ("podcast", "podcast.json"),
            ("html", "html"),
            ("textgrid", "TextGrid"),
            ("audacity", "labels.txt"),
            ("chapters", "chapters.json"),
        ]
    ]
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


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("https://example.com/my show/", "https://example.com/my%20show/ep%201.vtt"),  # a space
        ("https://example.com/my%20show/", "https://example.com/my%20show/ep%201.vtt"),  # encoded already: kept
        ("https://example.com/caf%C3%A9", "https://example.com/caf%C3%A9/ep%201.vtt"),
        ("https://example.com/épisodes/12", "https://example.com/%C3%A9pisodes/12/ep%201.vtt"),  # non-ASCII
        ("https://example.com/show #2/", "https://example.com/show%20%232/ep%201.vtt"),  # '#' is the folder's
        ("https://example.com/100% pure", "https://example.com/100%25%20pure/ep%201.vtt"),  # a lone '%'
        ("https://bücher.example/ep", "https://xn--bcher-kva.example/ep/ep%201.vtt"),  # an IDNA host
        ("https://user@example.com:8080/a/", "https://user@example.com:8080/a/ep%201.vtt"),
        ("https://example.com/get?show=my show&x=1", "https://example.com/get?show=my%20show&x=1/ep%201.vtt"),
    ],
)
def test_the_base_url_is_percent_encoded_but_never_twice(base_url: str, expected: str) -> None:
    (element,) = _parse_lines(render_rss_snippet([("vtt", Path("out") / "ep 1.vtt")], base_url=base_url, language="en"))
    assert element.get("url") == expected


def test_file_names_are_percent_encoded_whatever_they_hold() -> None:
    (element,) = _parse_lines(
        render_rss_snippet([("srt", Path("Épisode 12 – café #1 (100%).srt"))], base_url="https://x.org/", language=None)
    )
    assert element.get("url") == "https://x.org/%C3%89pisode%2012%20%E2%80%93%20caf%C3%A9%20%231%20%28100%25%29.srt"
