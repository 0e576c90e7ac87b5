"""Word-level JSON (aligner.writers.json) and its shipped schema, checked by jsonschema."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from support.handmade import M, golden_result, random_result

import aligner
from aligner import timecode
from aligner.options import OutputOptions
from aligner.types import TimedWord
from aligner.writers.json import SCHEMA_VERSION, load_schema, render_json


def test_json_validates_against_the_shipped_schema() -> None:
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    validator.validate(json.loads(render_json(golden_result(), OutputOptions())))
    for seed in range(20):
        validator.validate(json.loads(render_json(random_result(seed), OutputOptions())))


def test_json_round_trips_times_to_the_millisecond() -> None:
    for result in [golden_result(), *(random_result(seed) for seed in range(20))]:
        document = json.loads(render_json(result, OutputOptions()))
        assert timecode.seconds_to_ms(document["audio"]["duration"]) == result.duration_ms
        for entry, word in zip(document["words"], result.words, strict=True):
            for key, ms in (("start", word.start_ms), ("end", word.end_ms)):
                assert (None if entry[key] is None else timecode.seconds_to_ms(entry[key])) == ms
        for entry, cue in zip(document["cues"], result.cues, strict=True):
            assert (timecode.seconds_to_ms(entry["start"]), timecode.seconds_to_ms(entry["end"])) == (
                cue.start_ms,
                cue.end_ms,
            )
            assert entry["lines"] == list(cue.lines) and entry["words"] == list(cue.word_indices)


def test_json_content() -> None:
    document = json.loads(render_json(golden_result(), OutputOptions()))
    assert document["schema_version"] == SCHEMA_VERSION == "1.4.0"
    assert document["speakers"] == ["Ann Lee", "Zoë"]
    assert document["speaker_roles"] == {}  # no label gave a role: still written, empty
    assert document["tool"] == {"name": "aligner", "version": aligner.__version__}
    assert document["audio"] == {"path": "episodes/ép 12.mp3", "duration": 62.5}
    assert document["summary"] == {
        "words": 10,
        "matched": 7,
        "interpolated": 2,
        "not_in_audio": 1,
        "low_confidence": 2,
        "matched_percent": 70.0,
        "timed_percent": 90.0,
    }
    missing = document["words"][9]
    assert missing == {
        "index": 9,
        "text": "génial.",
        "kind": "word",
        "speaker": "Zoë",
        "start": None,
        "end": None,
        "status": "not_in_audio",
        "method": None,
        "confidence": 0.0,
        "heard": None,
        "paragraph": 1,
        "source": {"start": 57, "end": 64},
    }
    assert document["words"][4]["confidence"] == 0.457
    assert document["missing"] == [{"first_word": 9, "last_word": 9, "text": "génial.", "after": 60.9}]
    assert document["cues"][1]["text"] == "Welcome to R&D <b>live</b> -->"


def test_json_schema_is_strict_and_documented() -> None:
    schema = load_schema()
    validator = Draft202012Validator(schema)
    document = json.loads(render_json(golden_result(), OutputOptions()))

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:  # a record: closed, every field written
                assert node.get("additionalProperties") is False, path
                assert set(node["required"]) == set(node["properties"]), path
            elif node.get("type") == "object":  # a map (speaker_roles): typed values, non-empty keys
                assert node["additionalProperties"].get("type") == "string", path
                assert node["propertyNames"] == {"minLength": 1}, path
            for name, sub in node.get("properties", {}).items():
                assert sub.get("description"), f"{path}.{name} has no description"
                walk(sub, f"{path}.{name}")
            if "items" in node:
                walk(node["items"], f"{path}[]")

    walk(schema, "$")
    # the document has exactly the schema's fields
    extra = json.loads(json.dumps(document))
    extra["words"][0]["surprise"] = 1
    assert not validator.is_valid(extra)
    bad_status = json.loads(json.dumps(document))
    bad_status["words"][0]["status"] = "low_confidence"
    assert not validator.is_valid(bad_status)
    no_cues = {k: v for k, v in document.items() if k != "cues"}
    assert not validator.is_valid(no_cues)
    for roles in ({"Ann Lee": 1}, {"Ann Lee": ""}, {"": "host"}, ["Ann Lee", "host"]):
        assert not validator.is_valid({**document, "speaker_roles": roles}), roles


def test_json_speaker_roles_map_names_to_roles_and_leave_the_names_alone() -> None:
    """Casey (caller): the speaker is the name everywhere, and the role is looked up by it."""
    result = dataclasses.replace(golden_result(), speaker_roles=(("Ann Lee", "guest host"), ("Zoë", "caller")))
    document = json.loads(render_json(result, OutputOptions()))
    Draft202012Validator(load_schema()).validate(document)
    assert document["speaker_roles"] == {"Ann Lee": "guest host", "Zoë": "caller"}
    assert list(document)[list(document).index("speakers") + 1] == "speaker_roles"
    assert document["speakers"] == ["Ann Lee", "Zoë"]
    assert {word["speaker"] for word in document["words"]} == {None, "Ann Lee", "Zoë"}
    assert {cue["speaker"] for cue in document["cues"]} <= {None, "Ann Lee", "Zoë"}


def test_json_refuses_nan() -> None:
    result = golden_result()
    words = list(result.words)
    words[1] = TimedWord(words[1].token, 2600, 3000, M, float("nan"))
    broken = dataclasses.replace(result, words=tuple(words))
    with pytest.raises(ValueError, match="confidence"):
        render_json(broken, OutputOptions())


def test_json_keeps_non_ascii_and_ends_with_a_newline() -> None:
    text = render_json(golden_result(), OutputOptions())
    assert "Zoë" in text and "\\u" not in text and text.endswith("}\n")
