"""The edit list: versioned JSON, Audacity labels, CMX 3600 EDL."""

from __future__ import annotations

import json
from importlib import resources

from jsonschema import Draft202012Validator

from aligner.cut.editlist import render_audacity_edits, render_edits_json, render_edl
from aligner.cut.plan import Cut

CUTS = [Cut(1000, 1500, "filler", "um,"), Cut(61_000, 72_300, "ad", "This episode is brought to you by")]


def test_json_says_what_was_removed_in_source_seconds() -> None:
    doc = json.loads(
        render_edits_json(
            CUTS, source="ep.mp3", output="out/ep.edited.mp3", source_duration_ms=90_000, edited_duration_ms=78_200
        )
    )
    assert doc["version"] == 1 and doc["source"] == "ep.mp3" and doc["output"] == "out/ep.edited.mp3"
    assert doc["removed_seconds"] == 11.8
    assert doc["cuts"][0] == {"start": 1.0, "end": 1.5, "kind": "filler", "heard": "um,"}
    schema = json.loads(resources.files("aligner").joinpath("schema/edits.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    Draft202012Validator(schema).validate(doc)


def test_audacity_labels_one_per_cut() -> None:
    assert render_audacity_edits(CUTS).splitlines() == [
        "1.000000\t1.500000\tfiller: um,",
        "61.000000\t72.300000\tad: This episode is brought to you by",
    ]


def test_edl_lays_the_kept_stretches_end_to_end() -> None:
    lines = render_edl(CUTS, title="ep.edited", clip="ep.mp3", source_duration_ms=90_000).splitlines()
    assert lines[:2] == ["TITLE: ep.edited", "FCM: NON-DROP FRAME"]
    events = [line.split() for line in lines if line[:3].isdigit()]
    assert [e[0] for e in events] == ["001", "002", "003"]
    # source in/out, record in/out (30 fps): 0-1 s, 1.5-61 s, 72.3-90 s
    assert events[0][4:] == ["00:00:00:00", "00:00:01:00", "00:00:00:00", "00:00:01:00"]
    assert events[1][4:] == ["00:00:01:15", "00:01:01:00", "00:00:01:00", "00:01:00:15"]
    assert events[2][4:] == ["00:01:12:09", "00:01:30:00", "00:01:00:15", "00:01:18:06"]
    assert lines.count("* FROM CLIP NAME: ep.mp3") == 3
