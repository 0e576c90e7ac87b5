"""Podcasting 2.0 chapters (aligner.writers.chapters), checked against the spec and the fixture's truth.

jsonschema reads the chapters against a schema written from the podcast
namespace's chapters spec; the chapter times are checked against the
fixture's true word times.
"""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator
from support.handmade import I, M, N, make_result
from support.paths import EPISODE
from truth import load_truth, truth_key

from aligner import AlignOptions, align
from aligner.options import OutputOptions
from aligner.writers import write_outputs
from aligner.writers.chapters import find_chapters, render_chapters

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


@pytest.fixture(scope="module")
def chapters_result(cache_dir):
    """The fixture episode aligned with a copy of its transcript that has section headings."""
    return align(EPISODE / "episode.mp3", EPISODE / "episode_chapters.md", AlignOptions(cache_dir=cache_dir))


@pytest.mark.model
def test_chapters_of_the_fixture_start_at_each_sections_first_spoken_word(chapters_result, tmp_path):
    write_outputs(chapters_result, out_dir=tmp_path, stem="episode", output=OutputOptions(formats=("chapters", "json")))
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
    document = json.loads(render_chapters(episode_result, OutputOptions()))
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
