"""No caption line in any output runs past the caption limits (issue 13's acceptance).

Results come from two generators: transcripts through the real parser,
matcher, timing and cue builder (the strategies of test_properties.py), and
hand-made results (support.handmade) whose speaker names and words are drawn
freely, long ones included, so that ``Name: `` and a word can fill a line
between them. Options are every preset, with random line limits over them
half the time. Each result is rendered through :func:`aligner.render`, as
the command line and :func:`aligner.write_outputs` do, and read back by
independent readers: SRT with and without the speaker prefix (cdown/srt),
WebVTT with and without word timestamps (webvtt-py; a line is the text a
viewer sees: tags gone, entities decoded), and the JSON's cue lines.

Every line holds at most ``max_line_chars`` characters, the SRT prefix
included, except a line holding a single word (or note) that does not fit
by itself; in SRT the first word of a speaker's turn counts with its
``Name: ``, as the cue builder lays it out. Every cue holds at most
``max_lines`` lines, except where tokens starting at the same instant leave
no place between them for a cue to start (test_properties.py says why).

Profiles as in test_properties.py (``ALIGNER_HYPOTHESIS_PROFILE=long`` for
thousands of examples; ``--hypothesis-show-statistics`` lists what was
generated).
"""

from __future__ import annotations

import html
import io
import itertools
import json

import srt
import webvtt
from hypothesis import assume, event, given
from hypothesis import strategies as st
from support.handmade import M, N, Row, make_result
from system.test_properties import PROFILE, recognitions, transcripts

import aligner
from aligner.cues import build_cues
from aligner.errors import AlignerError, TranscriptError
from aligner.match import align_tokens, is_alignable
from aligner.options import CaptionOptions, OutputOptions
from aligner.presets import PRESETS, preset_options
from aligner.readers.markdown import parse_text
from aligner.report import missing_passages, summarize
from aligner.timing import assign_times
from aligner.types import Result, Token, TokenKind

# --- options ---------------------------------------------------------------------------------------


@st.composite
def limits(draw) -> CaptionOptions:
    """A preset, and half the time random line limits over it (as ``--preset bbc --max-line-chars 20``)."""
    name = draw(st.sampled_from(sorted(PRESETS)))
    if draw(st.booleans()):
        return preset_options(name)
    return preset_options(
        name,
        max_line_chars=draw(st.integers(10, 60)),
        max_lines=draw(st.integers(1, 3)),
        max_duration_ms=draw(st.none() | st.integers(1500, 10_000)),
        max_gap_ms=draw(st.none() | st.integers(100, 3000)),
    )


# --- results from generated transcripts ------------------------------------------------------------


@st.composite
def pipeline_results(draw) -> tuple[Result, CaptionOptions]:
    """A generated Markdown transcript, a recognition derived from it, and the pipeline's stages after listening."""
    try:
        transcript = parse_text(draw(transcripts()), path="generated.md")
    except TranscriptError:
        assume(False)
    recognition = draw(recognitions([t.text for t in transcript.tokens if is_alignable(t)]))
    options = draw(limits())
    try:
        timing = assign_times(transcript.tokens, recognition, align_tokens(transcript.tokens, recognition.words))
        cues = build_cues(timing.words, duration_ms=recognition.duration_ms, options=options)
    except AlignerError:
        assume(False)
    result = Result(
        audio_path="generated.mp3",
        transcript_path=transcript.path,
        duration_ms=recognition.duration_ms,
        model="generated",
        language="en",
        speakers=transcript.speakers,
        words=timing.words,
        cues=cues,
        audio_only=timing.audio_only,
        missing=missing_passages(timing.words),
        summary=summarize(timing.words),
    )
    return result, options


# --- hand-made results -----------------------------------------------------------------------------

NAMES = ["Jane Miller", "Sam Carter", "Paul Middlebrooks", "Dr. Ann  Lee Smith", "Zoë", "Q"]
VOCABULARY = (
    "Hello and welcome to “Brain Talk.” This is episode 193, recorded in March 2024. So, well; yes? No! "
    "the a of I we neuroscience-inspired extraordinary (aside) — & <b> a-->b 東京 naïve Dr. e.g. done.”"
).split()
NOTES = ["[music]", "[laughs]", "[background music]"]

# A name ending in "-" is left out: the WebVTT writer's "<v Name>" then holds "-->", which WebVTT forbids in a
# cue (webvtt-py refuses the file). That is the WebVTT writer's bug to fix, not a matter of line lengths.
names = st.sampled_from(NAMES) | st.text("abcdefghij XYZé.-'", min_size=1, max_size=40).map(
    lambda s: " ".join(s.split())
).filter(lambda name: name and not name.endswith("-"))
words = st.sampled_from(VOCABULARY) | st.builds(
    str.__add__, st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=70), st.sampled_from(["", ".", ",", "?"])
)


@st.composite
def handmade_results(draw) -> tuple[Result, CaptionOptions]:
    """Speaker turns of drawn words, notes and pauses, timed in order; cues from the real cue builder."""
    options = draw(limits())
    speakers = [*draw(st.lists(names, min_size=1, max_size=4, unique=True)), None]
    rows: list[Row] = []
    t = draw(st.integers(0, 2000))
    for paragraph in range(draw(st.integers(1, 8))):
        speaker = draw(st.sampled_from(speakers))
        for _ in range(draw(st.integers(1, 30))):
            roll = draw(st.integers(0, 19))
            if roll == 0:  # a note, short (inline) or long (a cue of its own)
                length = draw(st.sampled_from([300, 2500]))
                rows.append((draw(st.sampled_from(NOTES)), speaker, M, t, t + length, paragraph, False, False))
                t += length + 50
                continue
            text = draw(words)
            if roll == 1:  # not in the audio: never shown
                rows.append((text, speaker, N, None, None, paragraph, False, False))
                continue
            length = draw(st.integers(0, 900))
            rows.append((text, speaker, M, t, t + length, paragraph, False, False))
            t += length + draw(st.sampled_from([1, 40, 120, 600, 2000]))
    return make_result(rows, duration_ms=t + draw(st.integers(1, 3000)), options=options), options


# --- the property ----------------------------------------------------------------------------------


def displayed_lines(result: Result) -> list[tuple[str, list[list[str]]]]:
    """(output, one list of displayed lines per cue) for every rendering of the cues, read back independently."""
    renderings: list[tuple[str, list[list[str]]]] = []
    for prefix in (True, False):
        text = aligner.render(result, "srt", OutputOptions(srt_speaker_prefix=prefix))
        renderings.append((f"srt prefix={prefix}", [sub.content.split("\n") for sub in srt.parse(text)]))
    for vtt_words in (False, True):
        text = aligner.render(result, "vtt", OutputOptions(vtt_words=vtt_words))
        captions = webvtt.from_buffer(io.StringIO(text), strict=True).captions
        renderings.append((f"vtt words={vtt_words}", [html.unescape(c.text).split("\n") for c in captions]))
    cues = json.loads(aligner.render(result, "json"))["cues"]
    renderings.append(("json", [cue["lines"] for cue in cues]))
    return renderings


def shown(token: Token) -> str:
    """A token as captions show it: a word as written, a note with its spaces made single (as aligner.cues does)."""
    return " ".join(token.text.split()) if token.kind is TokenKind.NOTE else token.text


def check_limits(result: Result, options: CaptionOptions) -> list[str]:
    """Assert the limits on every rendering; return what was seen (for Hypothesis' statistics)."""
    width = options.max_line_chars
    tokens = [[shown(result.words[i].token) for i in cue.word_indices] for cue in result.cues]
    starts = [min(max(w.start_ms, 0), result.duration_ms - 1) for w in result.words if w.start_ms is not None]
    same_start = any(a == b for a, b in itertools.pairwise(starts))
    seen = {f"max_line_chars {'<' if width < 30 else '>='} 30, max_lines {options.max_lines}"}
    for output, cues in displayed_lines(result):
        assert len(cues) == len(result.cues), output
        for cue, texts, lines in zip(result.cues, tokens, cues):
            assert len(lines) <= options.max_lines or same_start, (output, lines, options)
            named = output == "srt prefix=True" and cue.speaker is not None and lines[0].startswith(f"{cue.speaker}: ")
            if named:
                seen.add(
                    "an SRT cue opening with Name:" + (" on a line of its limit" if len(lines[0]) >= width - 1 else "")
                )
            for n, line in enumerate(lines):
                if len(line) <= width:
                    continue
                word = line.removeprefix(f"{cue.speaker}: ") if n == 0 and named else line
                # the one exception: a single word (or note) that does not fit by itself (with its Name:)
                assert word in texts, (output, line, len(line), width)
                seen.add("a line over the limit: one word" + (" after Name:" if word != line else ""))
    if any(len(cue.lines) > 1 for cue in result.cues):
        seen.add("a cue of several lines")
    if any(cue.is_note for cue in result.cues):
        seen.add("a note cue")
    if any(result.words[cue.word_indices[0]].token.kind is TokenKind.NOTE and not cue.is_note for cue in result.cues):
        seen.add("an inline note")
    return sorted(seen)


@PROFILE
@given(pipeline_results())
def test_no_line_of_a_generated_transcripts_captions_runs_over(inputs: tuple[Result, CaptionOptions]) -> None:
    for seen in check_limits(*inputs):
        event(seen)


@PROFILE
@given(handmade_results())
def test_no_line_of_hand_made_captions_runs_over(inputs: tuple[Result, CaptionOptions]) -> None:
    for seen in check_limits(*inputs):
        event(seen)


# --- the fixture's example, exactly ----------------------------------------------------------------


def test_a_speakers_first_line_keeps_room_for_the_srt_prefix() -> None:
    """The fixture's opening: once "Jane Miller: Hello and welcome to “Brain Talk.” This" (52 characters)."""
    text = "Hello and welcome to “Brain Talk.” This is episode 193, recorded in March 2024."
    rows: list[Row] = [
        (w, "Jane Miller", M, 1000 + 300 * k, 1250 + 300 * k, 0, False, False) for k, w in enumerate(text.split())
    ]
    result = make_result(rows, duration_ms=10_000)
    srt_lines = [sub.content.split("\n") for sub in srt.parse(aligner.render(result, "srt"))]
    assert srt_lines == [
        ["Jane Miller: Hello and welcome", "to “Brain Talk.”"],
        ["This is episode 193,", "recorded in March 2024."],
    ]
    check_limits(result, CaptionOptions())
