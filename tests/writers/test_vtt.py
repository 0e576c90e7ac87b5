"""WebVTT output (aligner.writers.vtt), read back by webvtt-py; word timestamps ("karaoke") too.

The browser reads both as well (tests/system/test_in_browser.py).
"""

from __future__ import annotations

import dataclasses
import html
import io
import re

import pytest
import srt
import webvtt
from support.handmade import M, make_cue_result, make_result, random_result, tricky_result

from aligner.options import OutputOptions
from aligner.readers import read_transcript
from aligner.timecode import format_vtt, parse_timestamp
from aligner.types import Cue
from aligner.writers.srt import render_srt
from aligner.writers.vtt import escape, holds_only_notes, render_vtt, word_timed_lines

# ---------------------------------------------------------------------------------------------
# Generated cues: the real parser reads back what we wrote


@pytest.mark.parametrize("seed", range(60))
def test_vtt_parses_back_to_the_same_times_text_and_voice(seed: int) -> None:
    result = random_result(seed)
    rendered = render_vtt(result, OutputOptions())
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
    result = make_cue_result(
        [("x&y", 0, 500, "Dr <Who> & Co", M)],
        [Cue(0, 0, 900, ("x&y <i>-->",), "Dr <Who> & Co", (0,))],
        duration_ms=1000,
    )
    assert render_vtt(result, OutputOptions()) == (
        "WEBVTT\n\n1\n00:00:00.000 --> 00:00:00.900\n<v Dr &lt;Who&gt; &amp; Co>x&amp;y &lt;i&gt;--&gt;\n\n"
    )


# --- word-timed WebVTT -------------------------------------------------------------------------


def test_vtt_words_puts_a_timestamp_before_each_later_word_and_parses_with_webvtt_py(tmp_path):
    result = tricky_result()
    text = render_vtt(result, OutputOptions(vtt_words=True))
    path = tmp_path / "words.vtt"
    path.write_text(text, encoding="utf-8")
    captions = webvtt.read(str(path)).captions
    assert len(captions) == len(result.cues)
    for caption, cue in zip(captions, result.cues):
        stamps = [parse_timestamp(s) for s in re.findall(r"<(\d\d:\d\d:\d\d\.\d\d\d)>", caption.raw_text)]
        later = [result.words[i].start_ms for i in cue.word_indices[1:]]
        assert stamps == later  # every word after the first starts later than the one before it here
        assert all(cue.start_ms < s < cue.end_ms for s in stamps)
    plain = render_vtt(result, OutputOptions())
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
    text = render_vtt(dataclasses.replace(result, cues=(odd,)), OutputOptions(vtt_words=True))
    assert "not the words" in text and "<00:" not in text


# --- notes are nobody's speech -------------------------------------------------------------------


def test_a_cue_of_notes_alone_is_in_no_voice_and_gets_no_srt_prefix(tmp_path):
    """``[music]`` in Jane's paragraph is her transcript's note, not her speech (issue 13, item 9)."""
    rows = [
        ("Hello", "Jane Miller", M, 0, 400, 0, False, False),
        ("there.", "Jane Miller", M, 420, 900, 0, False, False),
        ("[music]", "Jane Miller", M, 3000, 6000, 0, False, False),  # long: a note cue of its own
        ("Welcome", "Jane Miller", M, 8000, 8400, 0, False, False),
        ("back.", "Jane Miller", M, 8420, 8900, 0, False, False),
        ("[laughs]", "Sam Carter", M, 11000, 11300, 1, False, False),  # short: shown with the next word
        ("Thanks.", "Sam Carter", M, 11300, 11900, 1, False, False),
    ]
    result = make_result(rows, duration_ms=13000)
    assert [(cue.lines, cue.speaker, cue.is_note) for cue in result.cues] == [
        (("Hello there.",), "Jane Miller", False),
        (("[music]",), "Jane Miller", True),
        (("Welcome back.",), "Jane Miller", False),
        (("[laughs] Thanks.",), "Sam Carter", False),
    ]
    rendered = render_vtt(result, OutputOptions())
    assert "<v Jane Miller>[music]" not in rendered and "\n[music]\n" in rendered
    voices = [caption.voice for caption in webvtt.from_buffer(io.StringIO(rendered), strict=True).captions]
    assert voices == ["Jane Miller", None, "Jane Miller", "Sam Carter"]
    assert "<v Sam Carter>[laughs] Thanks." in rendered  # a note with words: the words are the speaker's
    path = tmp_path / "notes.vtt"
    path.write_text(rendered, encoding="utf-8")
    read = [(token.text, token.speaker) for token in read_transcript(path).tokens]
    assert ("[music]", None) in read and ("Welcome", "Jane Miller") in read
    # SubRip: a note cue gets no "Name: " and does not change whose turn it is, so "Welcome back." has none.
    contents = [s.content for s in srt.parse(render_srt(result, OutputOptions(srt_speaker_prefix=True)))]
    assert contents == ["Jane Miller: Hello there.", "[music]", "Welcome back.", "Sam Carter: [laughs] Thanks."]


def test_holds_only_notes_looks_at_the_tokens_of_a_hand_made_cue():
    result = make_cue_result(
        [("[applause]", 0, 900, "Ann", M), ("[laughs]", 1000, 1200, "Ann", M), ("Yes.", 1200, 1500, "Ann", M)],
        [Cue(0, 0, 900, ("[applause]",), "Ann", (0,)), Cue(1, 1000, 1900, ("[laughs] Yes.",), "Ann", (1, 2))],
        duration_ms=2000,
    )
    assert [holds_only_notes(cue, result.words) for cue in result.cues] == [True, False]
    assert render_vtt(result, OutputOptions()).split("\n")[4:9] == [
        "[applause]",
        "",
        "2",
        "00:00:01.000 --> 00:00:01.900",
        "<v Ann>[laughs] Yes.",
    ]
