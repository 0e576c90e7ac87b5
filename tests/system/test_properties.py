"""Properties under generated input: parser, matching, timing and captions.

Hypothesis generates transcripts (Markdown with labels, notes, markup and
odd characters) and recognizer output derived from them with the edits real
audio brings: words dropped, inserted, substituted, two heard as one, long
pauses, or speech that has nothing to do with the text. Whatever comes in:

- the parser returns a transcript or raises TranscriptError, nothing else;
- every transcript token gets exactly one TimedWord, with one status;
- times never decrease and stay inside the audio; untimed means not_in_audio;
- cues lie inside the audio, do not overlap and keep their limits;
- the cue texts joined back are the timed transcript words, in order.

Profiles: ``ci`` (default; derandomized, so every run tries the same few
hundred examples, under a minute on two cores) and ``long`` (thousands of
random examples): ``ALIGNER_HYPOTHESIS_PROFILE=long python -m pytest tests/system/test_properties.py``.
"""

from __future__ import annotations

import itertools
import os

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aligner.cues import build_cues
from aligner.errors import AlignerError, TranscriptError
from aligner.match import align_tokens, is_alignable
from aligner.options import CaptionOptions
from aligner.readers.markdown import parse_text
from aligner.report import matched_share
from aligner.timing import assign_times
from aligner.types import AsrWord, OpKind, Recognition, SpeechRegion, TokenKind, WordStatus

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
PROFILE = settings.get_profile(os.environ.get("ALIGNER_HYPOTHESIS_PROFILE", "ci"))
"""Applied per test (not loaded globally), so other Hypothesis tests keep their own settings."""

# --- transcripts ------------------------------------------------------------------------------------

VOCABULARY = (
    "the a of and to brain model learning dog child question memory machines people test study "
    "Hello Sam, Jane. It's can't don't I'm we're 193 2024 40% $5 1990s 21st neuro-science well-known "
    "Yes. No! really? “quoted” (aside) U.S. e.g. Dr. — – -- & ... don’t café naïve Zoë 東京 שלום 😀 "
    "x y z um uh"
).split()
MARKUP = ["*", "**", "_", "`", "[", "]", "(", ")", "<b>", "</b>", "<!-- c -->", "-->", "\\*", "#", ">", "|", "\u200b"]
NOTES = ["[music]", "[laughs]", "(laughs)", "[crosstalk]", "[inaudible]", "[00:01:02]"]
NAMES = ["Jane Miller", "Sam Carter", "PAUL", "Speaker 2", "Kim"]


@st.composite
def paragraphs(draw) -> str:
    words = draw(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=25))
    pieces = []
    for word in words:
        roll = draw(st.integers(0, 19))
        if roll == 0:
            pieces.append(draw(st.sampled_from(MARKUP)) + word)
        elif roll == 1:
            pieces.append(word + draw(st.sampled_from(MARKUP)))
        elif roll == 2:
            pieces.append(draw(st.sampled_from(NOTES)))
            pieces.append(word)
        elif roll == 3:
            pieces.append(f"*{word}*")
        elif roll == 4:
            pieces.append(f"[{word}](http://example.org/{word})")
        else:
            pieces.append(word)
    joiner = draw(st.sampled_from([" ", " ", " ", "  ", "\n", " \t"]))
    return joiner.join(pieces)


@st.composite
def transcripts(draw) -> str:
    blocks = []
    if draw(st.booleans()):
        blocks += ["# Episode 12: a title", "By JANE MILLER | 12 March 2024", "---"]
    for _ in range(draw(st.integers(1, 6))):
        label = draw(st.sampled_from(["", "### {}", "**{}**", "{}:", "#### **{}**"]))
        name = draw(st.sampled_from(NAMES))
        text = draw(paragraphs())
        if label == "{}:":
            blocks.append(f"{name}: {text}")
        elif label:
            blocks += [label.format(name), text]
        else:
            blocks.append(text)
    if draw(st.booleans()):
        blocks += ["---", "Subscribe to the show."]
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return (newline * 2).join(blocks) + newline


# --- recognizer output --------------------------------------------------------------------------------


@st.composite
def recognitions(draw, words: list[str]) -> Recognition:
    """What a recognizer might hear for these transcript words, with the usual edits."""
    heard: list[str] = []
    if draw(st.integers(0, 9)) == 0:  # speech unrelated to the text (another episode, an ad)
        heard = draw(st.lists(st.sampled_from(VOCABULARY), max_size=40))
    else:
        i = 0
        while i < len(words):
            roll = draw(st.integers(0, 19))
            word = words[i].strip("*_[]()“”\"'.,!?").lower() or "x"
            if roll == 0:
                pass  # the producer added it: never spoken
            elif roll == 1:
                heard.append(draw(st.sampled_from(VOCABULARY)))  # misheard
            elif roll == 2:
                heard += [word, draw(st.sampled_from(["um", "uh", "you", "know", "like"]))]  # inserted
            elif roll == 3 and i + 1 < len(words):
                heard.append(word + words[i + 1].lower().strip(".,"))  # two heard as one
                i += 1
            elif roll == 4 and len(word) > 3:
                heard += [word[: len(word) // 2], word[len(word) // 2 :]]  # one heard as two
            else:
                heard.append(word)
            i += 1
    asr: list[AsrWord] = []
    clock = draw(st.integers(0, 3000))
    for text in heard:
        clock += draw(st.sampled_from([0, 0, 50, 120, 300, 900, 2500, 12000]))  # pauses, some long
        length = draw(st.integers(0, 900))
        asr.append(AsrWord(text, clock, clock + length, draw(st.floats(0.05, 1.0))))
        clock += length
    duration = clock + draw(st.integers(1, 4000))
    speech: list[SpeechRegion] = []
    for word in asr:
        start, end = max(0, word.start_ms - 200), min(duration, word.end_ms + 200)
        if speech and start <= speech[-1].end_ms + 1000:
            speech[-1] = SpeechRegion(speech[-1].start_ms, max(end, speech[-1].end_ms))
        else:
            speech.append(SpeechRegion(start, end))
    if draw(st.integers(0, 4)) == 0:  # VAD heard speech the recognizer did not write down
        start = draw(st.integers(0, duration - 1))
        speech.append(SpeechRegion(start, draw(st.integers(start, duration))))
        speech.sort(key=lambda r: r.start_ms)
    return Recognition(tuple(asr), tuple(speech), duration, "generated", "en")


caption_options = st.builds(
    CaptionOptions,
    max_line_chars=st.integers(10, 60),
    max_lines=st.integers(1, 3),
    min_duration_ms=st.integers(0, 1500),
    max_duration_ms=st.integers(1500, 10000),
    max_chars_per_second=st.floats(5, 40),
    max_gap_ms=st.integers(100, 3000),
)


# --- properties -----------------------------------------------------------------------------------


@PROFILE
@given(st.one_of(transcripts(), st.text(max_size=400)))
def test_parser_returns_tokens_or_its_own_error(text):
    try:
        transcript = parse_text(text, path="generated.md")
    except TranscriptError:
        return
    tokens = transcript.tokens
    assert any(t.kind is TokenKind.WORD for t in tokens)
    previous_end = 0
    for i, token in enumerate(tokens):
        assert token.index == i
        assert token.text and token.text == token.text.strip()
        assert 0 <= token.start_char < token.end_char <= len(text)
        assert token.start_char >= previous_end  # in order, never overlapping
        previous_end = token.end_char
        assert token.speaker is None or token.speaker in transcript.speakers
    assert sorted({t.paragraph for t in tokens}) == list(range(tokens[-1].paragraph + 1))
    assert [t.paragraph for t in tokens] == sorted(t.paragraph for t in tokens)


@PROFILE
@given(st.binary(max_size=300))
def test_any_bytes_decode_or_fail_with_the_projects_error(tmp_path_factory, data):
    from aligner.readers import read_transcript

    path = tmp_path_factory.mktemp("bytes") / "generated.md"
    path.write_bytes(data)
    try:
        read_transcript(path, transcript_format="markdown")
    except TranscriptError as error:
        assert str(path) in str(error) and "\n" not in str(error)


@st.composite
def aligned_inputs(draw):
    text = draw(transcripts())
    try:
        transcript = parse_text(text, path="generated.md")
    except TranscriptError:
        assume(False)
    words = [t.text for t in transcript.tokens if is_alignable(t)]
    return transcript, draw(recognitions(words)), draw(caption_options)


@PROFILE
@given(aligned_inputs())
def test_alignment_pairs_every_word_once_in_order(inputs):
    transcript, recognition, _ = inputs
    tokens = transcript.tokens
    ops = align_tokens(tokens, recognition.words)
    seen_tokens = [i for op in ops for i in op.token_indices]
    seen_words = [j for op in ops for j in op.asr_indices]
    assert sorted(seen_tokens) == [t.index for t in tokens if is_alignable(t)]
    assert sorted(seen_words) == list(range(len(recognition.words)))
    matches = [op for op in ops if op.kind is OpKind.MATCH]
    for a, b in itertools.pairwise(matches):
        assert a.token_indices[-1] < b.token_indices[0] and a.asr_indices[-1] < b.asr_indices[0]


@PROFILE
@given(aligned_inputs())
def test_timing_and_captions_keep_every_promise(inputs):
    transcript, recognition, options = inputs
    tokens = transcript.tokens
    duration = recognition.duration_ms
    try:
        ops = align_tokens(tokens, recognition.words)
        timing = assign_times(tokens, recognition, ops)
        cues = build_cues(timing.words, duration_ms=duration, options=options)
    except AlignerError:
        return  # the project's own error is allowed; anything else fails the test

    # Exactly one status per token, in token order; untimed means not in the audio.
    words = timing.words
    assert [w.token for w in words] == list(tokens)
    # The pipeline refuses a transcript of other audio from the alignment alone: the share timing gives.
    body = [w for w in words if w.token.kind is TokenKind.WORD and not w.token.is_heading and is_alignable(w.token)]
    matched = sum(w.status is WordStatus.MATCHED for w in body)
    assert matched_share(tokens, ops) == (matched / len(body) if body else 0.0)
    last_start = 0
    for word in words:
        assert isinstance(word.status, WordStatus)
        assert 0.0 <= word.confidence <= 1.0
        if word.start_ms is None:
            assert word.end_ms is None and word.status is WordStatus.NOT_IN_AUDIO
            continue
        assert 0 <= word.start_ms <= word.end_ms <= duration, word
        if word.token.kind is TokenKind.WORD:
            assert word.start_ms >= last_start, word
            last_start = word.start_ms
    for region in timing.audio_only:
        assert 0 <= region.start_ms <= region.end_ms <= duration

    # Cues: inside the audio, in order, one speaker's never overlapping, within the limits.
    starts = [min(max(w.start_ms, 0), duration - 1) for w in words if w.start_ms is not None]
    previous_end: dict[str | None, int] = {}
    for k, cue in enumerate(cues):
        assert 0 <= cue.start_ms < cue.end_ms <= duration, cue
        assert k == 0 or cue.start_ms > cues[k - 1].start_ms, cue
        assert cue.start_ms >= max(previous_end.get(cue.speaker, 0), previous_end.get(None, 0)), (cue, previous_end)
        key = cue.speaker if cue.speaker and not cue.is_note else None
        if key is None:  # a note or unnamed cue: nothing may be up over it
            assert all(cue.start_ms >= end for end in previous_end.values()), (cue, previous_end)
        previous_end[key] = cue.end_ms
        assert cue.end_ms - cue.start_ms <= options.max_duration_ms
        shown = [words[i].token for i in cue.word_indices]
        if len(cue.lines) > options.max_lines and not cue.is_note:
            # Only tokens starting at the same instant can force a cue over the limit: no cue
            # can start between them (cues last at least 1 ms and never overlap).
            assert any(a == b for a, b in itertools.pairwise(starts)), (cue, starts)
        longest = max(len(t.text) if t.kind is TokenKind.WORD else len(" ".join(t.text.split())) for t in shown)
        for line in cue.lines:
            # a line may overflow only when it holds one token longer than the line
            assert len(line) <= max(options.max_line_chars, longest), (line, options.max_line_chars)
        assert " ".join(cue.lines).split() == " ".join(t.text for t in shown).split()

    # The cue texts joined back are the timed transcript words, in order (notes aside).
    shown_words = [i for cue in cues for i in cue.word_indices if words[i].token.kind is TokenKind.WORD]
    timed_words = [w.token.index for w in words if w.start_ms is not None and w.token.kind is TokenKind.WORD]
    assert shown_words == timed_words


@given(st.integers(min_value=0, max_value=100 * 3600 * 1000))
def test_json_seconds_are_milliseconds_to_three_decimals(ms):
    from aligner.timecode import ms_to_seconds

    assert ms_to_seconds(ms) == round(ms / 1000, 3)
    assert round(ms_to_seconds(ms) * 1000) == ms
