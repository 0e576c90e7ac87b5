"""Markup never reaches a caption: tags, entities, RTF control words and speaker labels.

The same generated turns (speaker labels, words, curly apostrophes, notes)
are written as Markdown, as an HTML page and as RTF, read by
``aligner.read_transcript``, timed evenly and rendered as SRT and WebVTT
captions. Whatever the format, the captions hold the turns' words in order
and nothing else: no ``<tag>``, no ``&entity;``, no ``\\rtf`` control word or
brace, and no ``Name:`` label (SRT's own ``Name: `` prefix aside, which is
removed before the check, as a viewer reads it as the speaker).
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner import CaptionOptions, OutputOptions, Result, Summary, TimedWord, WordStatus, read_transcript, render
from aligner.cues import build_cues
from aligner.types import TokenKind

NAMES = ("Jane Miller", "Sam Carter", "Casey")
MARKUP = re.compile(r"<[^>]*>|&[#\w]+;|\\[a-z]+|[{}]")
_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)


@st.composite
def turns(draw: st.DrawFn) -> list[tuple[str, list[str]]]:
    """Turns of two or more speakers: (name, words); some words carry a curly apostrophe (I’m)."""
    out = []
    for k in range(draw(st.integers(2, 6))):
        name = NAMES[k % 2] if k < 4 else draw(st.sampled_from(NAMES))
        words = [w.capitalize() if i == 0 else w for i, w in enumerate(draw(st.lists(_WORD, min_size=1, max_size=12)))]
        if draw(st.booleans()):
            words.insert(draw(st.integers(0, len(words))), "I\u2019m")
        out.append((name, words))
    return out


def as_markdown(turns: list[tuple[str, list[str]]]) -> str:
    return "".join(f"**{name}:** {' '.join(words).replace('’', '&rsquo;')}.\n\n" for name, words in turns)


def as_html(turns: list[tuple[str, list[str]]]) -> str:
    body = "".join(
        f'<p><span class="speaker">{name}</span> <i>{" ".join(words).replace("’", "&rsquo;")}</i>.</p>\n'
        for name, words in turns
    )
    return f"<!doctype html><html><head><style>p {{ margin: 0 }}</style><script>var x = '<b>';</script></head><body>{body}</body></html>"


def as_rtf(turns: list[tuple[str, list[str]]]) -> str:
    body = "".join(
        f"{{\\b {name}:}} {' '.join(words).replace('’', chr(92) + chr(39) + '92')}.\\par\n" for name, words in turns
    )
    return "{\\rtf1\\ansi\\ansicpg1252{\\fonttbl\\f0\\fswiss Helvetica;}\\f0\\fs24 " + body + "}"


def captions(path: Path, output: OutputOptions) -> dict[str, str]:
    transcript = read_transcript(path)
    words, ms = [], 0
    for token in transcript.tokens:
        words.append(TimedWord(token, ms, ms + 300, WordStatus.MATCHED, 0.9))
        ms += 330
    cues = build_cues(tuple(words), duration_ms=ms + 1000, options=CaptionOptions())
    result = Result(
        audio_path="episode.mp3",
        transcript_path=str(path),
        duration_ms=ms + 1000,
        model="test",
        language="en",
        speakers=transcript.speakers,
        words=tuple(words),
        cues=cues,
        audio_only=(),
        missing=(),
        summary=Summary(words=len(words), matched=len(words), interpolated=0, not_in_audio=0, low_confidence=0),
    )
    assert all(token.kind is TokenKind.WORD for token in transcript.tokens)
    return {name: render(result, name, output) for name in ("srt", "vtt")}


def shown_words(text: str, fmt: str) -> list[str]:
    """The words a viewer sees, cue by cue: SRT's "Name: " prefix and WebVTT's tags and timings left out."""
    words = []
    for block in text.strip().split("\n\n"):
        lines = block.splitlines()
        if fmt == "vtt":
            if lines[0] == "WEBVTT":
                continue
            lines = [re.sub(r"</?v[^>]*>", "", line) for line in lines[1:] if "-->" not in line]
        else:
            lines = lines[2:]
            for name in NAMES:
                if lines and lines[0].startswith(f"{name}: "):
                    lines[0] = lines[0][len(name) + 2 :]
        for line in lines:
            assert not MARKUP.search(line), (fmt, line)
            assert not any(line.startswith(f"{name}:") for name in NAMES), (fmt, line)
            words.extend(line.split())
    return words


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(turns=turns(), fmt=st.sampled_from(["md", "html", "rtf"]), prefix=st.booleans())
def test_captions_show_the_words_and_no_markup(
    tmp_path: Path, turns: list[tuple[str, list[str]]], fmt: str, prefix: bool
) -> None:
    writer = {"md": as_markdown, "html": as_html, "rtf": as_rtf}[fmt]
    path = tmp_path / f"episode.{fmt}"
    path.write_text(writer(turns), encoding="utf-8")
    expected = [word for _, words in turns for word in [*words[:-1], words[-1] + "."]]
    for name, text in captions(path, OutputOptions(srt_speaker_prefix=prefix)).items():
        assert shown_words(text, name) == expected, (fmt, name)
