"""Praat TextGrid (.TextGrid) with a word tier and a speaker tier.

Praat, and the phonetics tools built on it (Montreal Forced Aligner, praatio,
ELAN's import), read word timings as a TextGrid: interval tiers that each
tile the whole file, ``xmin`` to ``xmax``, with no gaps or overlaps; silence
is an interval with empty text. We write Praat's long text format, which
every reader accepts, with two interval tiers:

- ``words``: each timed transcript word (notes are not words), with
  empty intervals between;
- ``speakers``: each turn, from its first timed word's start to its last
  one's end, labelled with the speaker's name (turns with no named speaker
  stay empty).

Times are seconds with three decimals, from integer milliseconds. Recognizer
times may overlap or be zero-length, which a tier cannot hold, so an
interval starts no earlier than the one before it ends, and one that would
be empty gets 1 ms (taken from what follows) or, at the very end of the
file, is merged into the interval before it. Text is quoted Praat's way
(``"`` doubled) with line breaks as spaces.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from aligner.options import OutputOptions
from aligner.timecode import format_seconds
from aligner.types import Result, TimedWord, TokenKind

__all__ = ["render_textgrid", "tile_intervals"]


Interval = tuple[int, int, str]


def tile_intervals(spans: Iterable[Interval], duration_ms: int) -> list[Interval]:
    """Intervals that tile ``[0, duration_ms]``: the labelled spans in order, empty ones between.

    >>> tile_intervals([(100, 200, "a"), (150, 150, "b")], 400)
    [(0, 100, ''), (100, 200, 'a'), (200, 201, 'b'), (201, 400, '')]
    """
    out: list[Interval] = []
    cursor = 0
    for start, end, text in spans:
        start = min(max(start, cursor), duration_ms)
        end = min(max(end, start + 1), duration_ms)
        if end <= start:  # no room left at the end of the file
            if out:
                previous = out[-1]
                out[-1] = (previous[0], previous[1], f"{previous[2]} {text}".strip())
            continue
        if start > cursor:
            out.append((cursor, start, ""))
        out.append((start, end, text))
        cursor = end
    if cursor < duration_ms:
        out.append((cursor, duration_ms, ""))
    return out


def _word_spans(words: Sequence[TimedWord]) -> list[Interval]:
    return [
        (w.start_ms, w.end_ms, w.token.text)
        for w in words
        if w.token.kind is TokenKind.WORD and w.start_ms is not None and w.end_ms is not None
    ]


def _turn_spans(words: Sequence[TimedWord]) -> list[Interval]:
    spans: list[Interval] = []
    for w in words:
        if w.token.kind is not TokenKind.WORD or w.start_ms is None or w.end_ms is None:
            continue
        speaker = " ".join((w.token.speaker or "").split())
        if spans and spans[-1][2] == speaker:
            spans[-1] = (spans[-1][0], max(spans[-1][1], w.end_ms), speaker)
        else:
            spans.append((w.start_ms, w.end_ms, speaker))
    return [span for span in spans if span[2]]


def _quote(text: str) -> str:
    return '"' + " ".join(text.split()).replace('"', '""') + '"'


def _tier(lines: list[str], number: int, name: str, intervals: Sequence[Interval], duration_ms: int) -> None:
    lines += [
        f"    item [{number}]:",
        '        class = "IntervalTier" ',
        f"        name = {_quote(name)} ",
        f"        xmin = {format_seconds(0)} ",
        f"        xmax = {format_seconds(duration_ms)} ",
        f"        intervals: size = {len(intervals)} ",
    ]
    for k, (start, end, text) in enumerate(intervals, start=1):
        lines += [
            f"        intervals [{k}]:",
            f"            xmin = {format_seconds(start)} ",
            f"            xmax = {format_seconds(end)} ",
            f"            text = {_quote(text)} ",
        ]


def render_textgrid(result: Result, output: OutputOptions = OutputOptions()) -> str:
    """Render the word and speaker tiers as a long-format TextGrid.

    Args:
        result: the timed words and the audio's duration (the grid's extent).
        output: unused; the TextGrid has no options.
    """
    duration = max(result.duration_ms, 1)  # Praat needs xmax > xmin
    lines = [
        'File type = "ooTextFile"',
        'Object class = "TextGrid"',
        "",
        f"xmin = {format_seconds(0)} ",
        f"xmax = {format_seconds(duration)} ",
        "tiers? <exists> ",
        "size = 2 ",
        "item []: ",
    ]
    _tier(lines, 1, "words", tile_intervals(_word_spans(result.words), duration), duration)
    _tier(lines, 2, "speakers", tile_intervals(_turn_spans(result.words), duration), duration)
    return "\n".join(lines) + "\n"
