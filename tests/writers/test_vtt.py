"""WebVTT output (aligner.writers.vtt), read back by webvtt-py; word timestamps ("karaoke") too.

The browser reads both as well (tests/system/test_in_browser.py).
"""

from __future__ import annotations

import dataclasses
import html
import io
import re

import pytest
import webvtt
from support.handmade import M, make_cue_result, make_result, random_result, tricky_result

from aligner.options import OutputOptions
from aligner.timecode import format_vtt, parse_timestamp
from aligner.types import Cue
from aligner.writers.vtt import escape, render_vtt, word_timed_lines

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
