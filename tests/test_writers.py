"""Tests for aligner.writers: real parsers as oracles, golden files, all-or-nothing writing.

The golden files in fixtures/expected/ are rendered from the hand-made result
in :func:`golden_result` (never from model output). After an intended change
to a format, regenerate them with ``ALIGNER_UPDATE_GOLDEN=1 pytest
tests/test_writers.py`` and review the diff.
"""

from __future__ import annotations

import dataclasses
import html
import io
import json
import os
import random
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import srt
import webvtt
from jsonschema import Draft202012Validator

import aligner
from aligner import timecode
from aligner.errors import OutputError
from aligner.options import CaptionOptions
from aligner.types import (
    AudioOnlyRegion,
    Cue,
    MissingPassage,
    Result,
    Summary,
    TimedWord,
    TimingMethod,
    Token,
    TokenKind,
    WordStatus,
)
from aligner.writers import FORMATS, Writer, write_outputs
from aligner.writers.json import SCHEMA_VERSION, load_schema, render_json
from aligner.writers.srt import render_srt
from aligner.writers.vtt import escape, render_vtt

EXPECTED = Path(__file__).resolve().parent.parent / "fixtures" / "expected"
UPDATE_GOLDEN = os.environ.get("ALIGNER_UPDATE_GOLDEN") == "1"

# (text, start_ms, end_ms, speaker, status); "[...]" texts are notes
Spec = tuple[str, int | None, int | None, str | None, WordStatus]
M, I, N = WordStatus.MATCHED, WordStatus.INTERPOLATED, WordStatus.NOT_IN_AUDIO


def make_words(spec: Sequence[Spec]) -> tuple[TimedWord, ...]:
    words = []
    offset = 0
    for index, (text, start, end, speaker, status) in enumerate(spec):
        kind = TokenKind.NOTE if text.startswith("[") and text.endswith("]") else TokenKind.WORD
        token = Token(index, text, kind, speaker, 0 if index < 6 else 1, offset, offset + len(text))
        offset += len(text) + 1
        confidence = 0.0 if start is None else (0.4567 if status is I else 0.9123)
        heard = text.lower().strip(".,!?") if status is M and kind is TokenKind.WORD else None
        method = TimingMethod.INTERPOLATED if status is I else TimingMethod.SPHINX if status is M else None
        words.append(TimedWord(token, start, end, status, confidence, heard, method))
    return tuple(words)


def make_result(
    spec: Sequence[Spec],
    cues: Sequence[Cue],
    *,
    duration_ms: int,
    audio_only: Sequence[AudioOnlyRegion] = (),
    missing: Sequence[MissingPassage] = (),
) -> Result:
    words = make_words(spec)
    spoken = [w for w in words if w.token.kind is TokenKind.WORD]
    speakers = tuple(dict.fromkeys(w.token.speaker for w in words if w.token.speaker is not None))
    summary = Summary(
        words=len(spoken),
        matched=sum(w.status is M for w in spoken),
        interpolated=sum(w.status is I for w in spoken),
        not_in_audio=sum(w.status is N for w in spoken),
        low_confidence=sum(w.start_ms is not None and w.confidence < 0.5 for w in spoken),
    )
    return Result(
        audio_path="episodes/ép 12.mp3",
        transcript_path="episodes/ép 12.md",
        duration_ms=duration_ms,
        model="tiny.en",
        language="en",
        speakers=speakers,
        words=words,
        cues=tuple(cues),
        audio_only=tuple(audio_only),
        missing=tuple(missing),
        summary=summary,
    )


def golden_result() -> Result:
    """A small hand-made result: every quirk the writers must handle, once."""
    spec: list[Spec] = [
        ("[music]", 0, 2500, None, I),
        ("Welcome", 2600, 3000, "Ann Lee", M),
        ("to", 3050, 3150, "Ann Lee", M),
        ("R&D", 3200, 3700, "Ann Lee", M),
        ("<b>live</b>", 3750, 4200, "Ann Lee", I),
        ("-->", 4250, 4300, "Ann Lee", I),
        ("Zoë!", 59_400, 59_999, "Ann Lee", M),
        ("Merci,", 60_000, 60_500, "Zoë", M),
        ("c’est", 60_550, 60_900, "Zoë", M),
        ("génial.", None, None, "Zoë", N),
        ("[laughs]", 61_000, 61_500, "Zoë", I),
        ("Vraiment.", 61_550, 61_999, "Zoë", M),
    ]
    cues = [
        Cue(0, 0, 2500, ("[music]",), None, (0,), is_note=True),
        Cue(1, 2600, 4300, ("Welcome to R&D", "<b>live</b> -->"), "Ann Lee", (1, 2, 3, 4, 5)),
        Cue(2, 59_400, 59_999, ("Zoë!",), "Ann Lee", (6,)),
        Cue(3, 60_000, 60_900, ("Merci, c’est",), "Zoë", (7, 8)),
        Cue(4, 61_000, 61_999, ("[laughs] Vraiment.",), "Zoë", (10, 11)),
    ]
    return make_result(
        spec,
        cues,
        duration_ms=62_500,
        audio_only=[AudioOnlyRegion(4_500, 59_000, "this episode is brought to you by", 7)],
        missing=[MissingPassage(9, 9, "génial.", 60_900)],
    )


def srt_ms(delta: timedelta) -> int:
    return delta // timedelta(milliseconds=1)


# ---------------------------------------------------------------------------------------------
# Generated cues: the real parsers read back what we wrote


def random_result(seed: int) -> Result:
    """Legal cues with hostile text: &, <, >, -->, non-ASCII, speakers with spaces and markup."""
    rng = random.Random(seed)
    pieces = ["word", "&", "<b>", "</i>", "-->", "a&b", "x<y>z", "Zoë", "naïve", "日本語", "1.5", "“hi”", "—"]
    pieces.append("&amp;")  # already looks escaped: must come back as written
    speakers = [None, "Ann Lee", "Bob", "Zoë & Co", "Dr <Who>", "A > B"]
    spec: list[Spec] = []
    cues: list[Cue] = []
    t = rng.randint(0, 70_000)
    for k in range(rng.randint(0, 25)):
        speaker = rng.choice(speakers)
        texts = [rng.choice(pieces) for _ in range(rng.randint(1, 6))]
        first = len(spec)
        start = t
        for text in texts:
            spec.append((text, t, t + rng.randint(0, 400), speaker, rng.choice([M, I])))
            t += rng.randint(1, 500)
        cut = rng.randint(1, len(texts))
        lines = (" ".join(texts[:cut]),) + ((" ".join(texts[cut:]),) if cut < len(texts) else ())
        end = t + rng.choice([0, rng.randint(1, 3000)])
        cues.append(Cue(k, start, end, lines, speaker, tuple(range(first, len(spec)))))
        t = end + rng.choice([0, 1, rng.randint(2, 5000), 3_599_000])
    return make_result(spec, cues, duration_ms=t + rng.randint(0, 1000))


@pytest.mark.parametrize("seed", range(60))
def test_srt_parses_back_to_the_same_times_and_text(seed: int) -> None:
    result = random_result(seed)
    options = CaptionOptions(speaker_prefix=seed % 2 == 0)
    parsed = list(srt.parse(render_srt(result, options)))
    assert len(parsed) == len(result.cues)
    previous = object()
    for number, (sub, cue) in enumerate(zip(parsed, result.cues), start=1):
        assert sub.index == number
        assert (srt_ms(sub.start), srt_ms(sub.end)) == (cue.start_ms, cue.end_ms)
        text = "\n".join(cue.lines)
        if options.speaker_prefix and cue.speaker is not None and cue.speaker != previous:
            text = f"{cue.speaker}: {text}"
        assert sub.content == text
        previous = cue.speaker


@pytest.mark.parametrize("seed", range(60))
def test_vtt_parses_back_to_the_same_times_text_and_voice(seed: int) -> None:
    result = random_result(seed)
    rendered = render_vtt(result, CaptionOptions())
    captions = webvtt.from_buffer(io.StringIO(rendered), strict=True).captions
    assert len(captions) == len(result.cues)
    for number, (caption, cue) in enumerate(zip(captions, result.cues), start=1):
        assert caption.identifier == str(number)
        assert caption.start_time.in_milliseconds() == cue.start_ms
        assert caption.end_time.in_milliseconds() == cue.end_ms
        assert html.unescape(caption.text) == "\n".join(cue.lines)
        voice = caption.voice
        assert (html.unescape(voice) if voice is not None else None) == cue.speaker
    # nothing raw that the WebVTT spec forbids in a payload
    for block in rendered.split("\n\n")[1:]:
        payload = block.split("\n")[2:]
        for line in payload:
            assert "-->" not in line and "&" not in line.replace("&amp;", "").replace("&lt;", "").replace("&gt;", "")


def test_vtt_escapes_text_and_voice() -> None:
    assert escape("a <b> & c --> d") == "a &lt;b&gt; &amp; c --&gt; d"
    result = make_result(
        [("x&y", 0, 500, "Dr <Who> & Co", M)],
        [Cue(0, 0, 900, ("x&y <i>-->",), "Dr <Who> & Co", (0,))],
        duration_ms=1000,
    )
    assert render_vtt(result, CaptionOptions()) == (
        "WEBVTT\n\n1\n00:00:00.000 --> 00:00:00.900\n<v Dr &lt;Who&gt; &amp; Co>x&amp;y &lt;i&gt;--&gt;\n\n"
    )


def test_srt_speaker_prefix_only_on_speaker_changes_and_never_on_notes() -> None:
    spec: list[Spec] = [
        ("a", 0, 100, "Ann", M),
        ("b", 1000, 1100, "Ann", M),
        ("[music]", 2000, 3000, None, I),
        ("c", 3000, 3100, "Ann", M),
        ("d", 4000, 4100, "Bob", M),
    ]
    cues = [
        Cue(0, 0, 900, ("a",), "Ann", (0,)),
        Cue(1, 1000, 1900, ("b",), "Ann", (1,)),
        Cue(2, 2000, 3000, ("[music]",), None, (2,), is_note=True),
        Cue(3, 3000, 3900, ("c",), "Ann", (3,)),
        Cue(4, 4000, 4900, ("d",), "Bob", (4,)),
    ]
    result = make_result(spec, cues, duration_ms=5000)
    contents = [s.content for s in srt.parse(render_srt(result, CaptionOptions(speaker_prefix=True)))]
    assert contents == ["Ann: a", "b", "[music]", "c", "Bob: d"]
    contents = [s.content for s in srt.parse(render_srt(result, CaptionOptions(speaker_prefix=False)))]
    assert contents == ["a", "b", "[music]", "c", "d"]


def test_blank_lines_never_reach_a_cue() -> None:
    result = make_result(
        [("a", 0, 100, "Ann", M)], [Cue(0, 0, 900, ("first", "", "  ", "last"), "Ann", (0,))], duration_ms=1000
    )
    assert [s.content for s in srt.parse(render_srt(result, CaptionOptions()))] == ["Ann: first\nlast"]
    vtt = render_vtt(result, CaptionOptions())
    assert "first\nlast" in vtt and "\n\n\n" not in vtt


def test_empty_result_renders_empty_files() -> None:
    result = make_result([], [], duration_ms=1000)
    assert render_srt(result, CaptionOptions()) == ""
    assert render_vtt(result, CaptionOptions()) == "WEBVTT\n\n"
    assert webvtt.from_buffer(io.StringIO(render_vtt(result, CaptionOptions())), strict=True).captions == []
    Draft202012Validator(load_schema()).validate(json.loads(render_json(result, CaptionOptions())))


# ---------------------------------------------------------------------------------------------
# Timestamps: whole milliseconds, formatted by timecode only


@pytest.mark.parametrize(
    ("ms", "srt_stamp", "vtt_stamp", "seconds"),
    [
        (59_999, "00:00:59,999", "00:00:59.999", 59.999),
        (60_000, "00:01:00,000", "00:01:00.000", 60.0),
        (1_999, "00:00:01,999", "00:00:01.999", 1.999),
        (2_000, "00:00:02,000", "00:00:02.000", 2.0),
        (3_599_999, "00:59:59,999", "00:59:59.999", 3599.999),
        (3_600_000, "01:00:00,000", "01:00:00.000", 3600.0),
    ],
)
def test_timestamps_at_rounding_boundaries(ms: int, srt_stamp: str, vtt_stamp: str, seconds: float) -> None:
    result = make_result([("x", ms, ms + 1, None, M)], [Cue(0, ms, ms + 1, ("x",), None, (0,))], duration_ms=ms + 1)
    assert render_srt(result, CaptionOptions()).split("\n")[1].startswith(f"{srt_stamp} --> ")
    assert render_vtt(result, CaptionOptions()).split("\n")[3].startswith(f"{vtt_stamp} --> ")
    document = json.loads(render_json(result, CaptionOptions()))
    assert document["cues"][0]["start"] == seconds and document["words"][0]["start"] == seconds
    assert timecode.seconds_to_ms(document["cues"][0]["start"]) == ms


@pytest.mark.parametrize(
    ("seconds", "stamp"),
    [(59.9995, "00:01:00,000"), (59.9994, "00:00:59,999"), (7.9995, "00:00:08,000"), (7.9996, "00:00:08,000")],
)
def test_float_seconds_round_once_to_ms_before_formatting(seconds: float, stamp: str) -> None:
    ms = timecode.seconds_to_ms(seconds)
    result = make_result(
        [("x", ms, ms + 500, None, M)], [Cue(0, ms, ms + 500, ("x",), None, (0,))], duration_ms=ms + 500
    )
    assert srt_ms(next(srt.parse(render_srt(result, CaptionOptions()))).start) == ms
    assert render_srt(result, CaptionOptions()).split("\n")[1].startswith(stamp)


# ---------------------------------------------------------------------------------------------
# JSON and its schema


def test_json_validates_against_the_shipped_schema() -> None:
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    validator.validate(json.loads(render_json(golden_result(), CaptionOptions())))
    for seed in range(20):
        validator.validate(json.loads(render_json(random_result(seed), CaptionOptions())))


def test_json_round_trips_times_to_the_millisecond() -> None:
    for result in [golden_result(), *(random_result(seed) for seed in range(20))]:
        document = json.loads(render_json(result, CaptionOptions()))
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
    document = json.loads(render_json(golden_result(), CaptionOptions()))
    assert document["schema_version"] == SCHEMA_VERSION == "1.1.0"
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
    document = json.loads(render_json(golden_result(), CaptionOptions()))

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object":
                assert node.get("additionalProperties") is False, path
                assert set(node["required"]) == set(node["properties"]), path
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


def test_json_refuses_nan() -> None:
    result = golden_result()
    words = list(result.words)
    words[1] = TimedWord(words[1].token, 2600, 3000, M, float("nan"))
    broken = dataclasses.replace(result, words=tuple(words))
    with pytest.raises(ValueError, match="confidence"):
        render_json(broken, CaptionOptions())


def test_json_keeps_non_ascii_and_ends_with_a_newline() -> None:
    text = render_json(golden_result(), CaptionOptions())
    assert "Zoë" in text and "\\u" not in text and text.endswith("}\n")


# ---------------------------------------------------------------------------------------------
# Golden files


@pytest.mark.parametrize("fmt", ["srt", "vtt", "json"])
def test_golden_file(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aligner, "__version__", "0.1.0")  # the golden JSON names this version
    rendered = FORMATS[fmt].render(golden_result(), CaptionOptions())
    path = EXPECTED / f"two_speakers_notes_markup.{fmt}"
    if UPDATE_GOLDEN:
        path.write_text(rendered, encoding="utf-8", newline="\n")
    assert rendered == path.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# write_outputs


def test_write_outputs_writes_every_format(tmp_path: Path) -> None:
    paths = write_outputs(
        golden_result(), out_dir=tmp_path, stem="ep 12", formats=["srt", "vtt", "json", "srt"], options=CaptionOptions()
    )
    assert paths == [tmp_path / "ep 12.srt", tmp_path / "ep 12.vtt", tmp_path / "ep 12.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ep 12.json", "ep 12.srt", "ep 12.vtt"]
    assert (tmp_path / "ep 12.srt").read_bytes() == render_srt(golden_result(), CaptionOptions()).encode("utf-8")


def test_write_outputs_with_no_format_writes_nothing(tmp_path: Path) -> None:
    assert (
        write_outputs(golden_result(), out_dir=tmp_path / "out", stem="ep", formats=[], options=CaptionOptions()) == []
    )
    assert not (tmp_path / "out").exists()


def test_write_outputs_replaces_existing_files(tmp_path: Path) -> None:
    (tmp_path / "ep.srt").write_text("old")
    write_outputs(golden_result(), out_dir=tmp_path, stem="ep", formats=["srt"], options=CaptionOptions())
    assert (tmp_path / "ep.srt").read_text(encoding="utf-8") == render_srt(golden_result(), CaptionOptions())


def test_write_outputs_creates_the_output_folder_but_not_its_parents(tmp_path: Path) -> None:
    write_outputs(golden_result(), out_dir=tmp_path / "out", stem="ep", formats=["vtt"], options=CaptionOptions())
    assert (tmp_path / "out" / "ep.vtt").is_file()
    with pytest.raises(OutputError, match="cannot create output folder"):
        write_outputs(
            golden_result(), out_dir=tmp_path / "a" / "b", stem="ep", formats=["vtt"], options=CaptionOptions()
        )
    assert not (tmp_path / "a").exists()


def test_unknown_format_is_refused_and_nothing_written(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as caught:
        write_outputs(golden_result(), out_dir=tmp_path, stem="ep", formats=["srt", "ass"], options=CaptionOptions())
    assert str(caught.value) == (
        "unknown output format 'ass'; known formats: audacity, chapters, html, json, podcast, srt, textgrid, vtt"
    )
    assert list(tmp_path.iterdir()) == []


def test_output_folder_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a folder")
    with pytest.raises(OutputError, match="out: output folder is not a folder"):
        write_outputs(golden_result(), out_dir=tmp_path / "out", stem="ep", formats=["srt"], options=CaptionOptions())
    assert (tmp_path / "out").read_text() == "not a folder"


def test_output_path_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "ep.vtt").mkdir()
    with pytest.raises(OutputError, match=r"ep\.vtt: is a folder"):
        write_outputs(golden_result(), out_dir=tmp_path, stem="ep", formats=["srt", "vtt"], options=CaptionOptions())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ep.vtt"]


@pytest.mark.parametrize("stem", ["../ep", "..", "a/b", "a\\b", "", ".", "/abs", "..\\ep"])
def test_stem_with_path_parts_is_refused(tmp_path: Path, stem: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(OutputError, match="invalid output name"):
        write_outputs(golden_result(), out_dir=out, stem=stem, formats=["srt"], options=CaptionOptions())
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["out"]


def test_stem_with_dots_but_no_folder_is_fine(tmp_path: Path) -> None:
    paths = write_outputs(
        golden_result(), out_dir=tmp_path, stem="Wait... what", formats=["srt"], options=CaptionOptions()
    )
    assert paths == [tmp_path / "Wait... what.srt"] and paths[0].is_file()


def test_failing_render_leaves_existing_outputs_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ep.srt").write_text("previous srt")

    def broken(result: Result, options: CaptionOptions, *output: object) -> str:
        raise RuntimeError("renderer bug")

    monkeypatch.setitem(FORMATS, "json", Writer("json", broken))
    with pytest.raises(RuntimeError, match="renderer bug"):
        write_outputs(
            golden_result(), out_dir=tmp_path, stem="ep", formats=["srt", "vtt", "json"], options=CaptionOptions()
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ep.srt"]
    assert (tmp_path / "ep.srt").read_text() == "previous srt"


def test_failing_write_leaves_existing_outputs_untouched_and_no_temp_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aligner import writers

    (tmp_path / "ep.srt").write_text("previous srt")
    real = writers._write_synced
    calls = []

    def flaky(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device", str(path))
        real(path, data)

    monkeypatch.setattr(writers, "_write_synced", flaky)
    with pytest.raises(OutputError) as caught:
        write_outputs(
            golden_result(), out_dir=tmp_path, stem="ep", formats=["srt", "vtt", "json"], options=CaptionOptions()
        )
    assert str(caught.value) == f"{tmp_path / 'ep.json'}: cannot write output: No space left on device"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ep.srt"]
    assert (tmp_path / "ep.srt").read_text() == "previous srt"


def test_failing_replace_removes_the_temp_files_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_replace = os.replace

    def failing_replace(src: Any, dst: Any) -> None:
        if str(dst).endswith(".vtt"):
            raise OSError(13, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OutputError, match=r"ep\.vtt: cannot replace output: Permission denied"):
        write_outputs(
            golden_result(), out_dir=tmp_path, stem="ep", formats=["srt", "vtt", "json"], options=CaptionOptions()
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ep.srt"]  # documented: earlier replaces stand
