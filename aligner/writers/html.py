"""The review page (.html): the transcript beside the audio, and where they disagree.

One self-contained file for a producer to check an alignment before
publishing: inline CSS and JavaScript (``aligner/assets/review.css`` and
``review.js``), no fonts, images or scripts from anywhere, and a
Content-Security-Policy that allows only those two inline blocks (by hash)
and the audio. It shows

- an audio player whose source is the episode, by a path relative to the
  page (``OutputOptions.audio_href``, filled in by ``write_outputs``), so the
  page works opened from disk or served beside the audio;
- the transcript in speaker turns, every token (words, notes, the title and
  byline) one ``<span class="w">`` that seeks the player when clicked: to its
  start if it has a time, else to the end of the last timed word before it
  (where the missing text would have been);
- each word coloured by status: ``interpolated``, ``not-in-audio`` and
  ``low`` (timed, but with confidence under
  :data:`aligner.report.LOW_CONFIDENCE`), with the time, status,
  confidence and what the recognizer heard in its tooltip;
- the word being spoken highlighted during playback (the page finds it by
  binary search over the start times on each ``timeupdate`` and animation
  frame);
- a list of the disagreements, in transcript order: text not found in the
  audio (``Result.missing``) and speech not in the transcript
  (``Result.audio_only``), each a link that seeks there and scrolls the
  transcript to the place; the latter are also marked inside the transcript;
- what ``aligner cut`` would remove with its defaults (fillers, false starts,
  cut sentences: :func:`aligner.cut.plan.removable_gaps`), each a link that
  seeks there, so the cuts can be checked before they are made.

Everything from the transcript, the file names and the recognizer is
HTML-escaped, so a transcript containing ``<script>`` shows it as text, and
the CSP would block it even if escaping failed.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources

from aligner.options import OutputOptions
from aligner.report import LOW_CONFIDENCE
from aligner.timecode import format_clock, ms_to_seconds
from aligner.types import AudioOnlyRegion, Result, TimedWord, TokenKind, WordStatus

__all__ = ["render_html", "word_classes"]


def _asset(name: str) -> str:
    return resources.files("aligner").joinpath(f"assets/{name}").read_text(encoding="utf-8")


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _seconds(ms: int) -> str:
    return repr(ms_to_seconds(ms))


def word_classes(word: TimedWord) -> list[str]:
    """The CSS classes of a token's element: ``w``, its status, ``low`` and ``note`` as they apply."""
    classes = ["w", word.status.value.replace("_", "-")]
    if word.status is not WordStatus.NOT_IN_AUDIO and word.confidence < LOW_CONFIDENCE:
        classes.append("low")
    if word.token.kind is TokenKind.NOTE:
        classes.append("note")
    return classes


def _tooltip(word: TimedWord) -> str:
    parts = []
    if word.start_ms is not None and word.end_ms is not None:
        parts.append(f"{_clock_ms(word.start_ms)}–{_clock_ms(word.end_ms)}")
    parts.append(word.status.value.replace("_", " "))
    if word.status is not WordStatus.NOT_IN_AUDIO:
        parts.append(f"confidence {word.confidence:.2f}")
    if word.heard is not None and word.heard.strip() != word.token.text:
        parts.append(f"heard “{word.heard.strip()}”")
    return " · ".join(parts)


def _clock_ms(ms: int) -> str:
    """``M:SS.mmm``: word times need finer steps than the summary's ``M:SS``."""
    return f"{format_clock(ms)}.{ms % 1000:03d}"


def _seek_points(words: Sequence[TimedWord]) -> list[int]:
    """For each token, where clicking it seeks: its start, else the end of the last timed token before it."""
    points: list[int] = []
    last: int | None = None
    for word in words:
        if word.start_ms is not None:
            points.append(word.start_ms)
            last = word.end_ms if word.end_ms is not None else word.start_ms
        else:
            points.append(-1 if last is None else last)
    first = next((p for p in points if p >= 0), 0)
    return [first if p < 0 else p for p in points]


def _word_html(index: int, word: TimedWord, seek_ms: int) -> str:
    attributes = [f'id="w{index}"', f'class="{" ".join(word_classes(word))}"', f'data-i="{index}"']
    if word.start_ms is not None and word.end_ms is not None:
        attributes.append(
            f'data-start="{_seconds(word.start_ms)}" data-end="{_seconds(max(word.end_ms, word.start_ms))}"'
        )
    else:
        attributes.append(f'data-seek="{_seconds(seek_ms)}"')
    attributes.append(f'title="{_e(_tooltip(word))}"')
    return f"<span {' '.join(attributes)}>{_e(word.token.text)}</span>"


@dataclass(frozen=True, slots=True)
class _Paragraph:
    indices: tuple[int, ...]
    speaker: str | None
    is_heading: bool
    is_section_title: bool


def _paragraphs(words: Sequence[TimedWord]) -> Iterator[_Paragraph]:
    run: list[int] = []
    for i, word in enumerate(words):
        if run and word.token.paragraph != words[run[-1]].token.paragraph:
            yield _paragraph(words, run)
            run = []
        run.append(i)
    if run:
        yield _paragraph(words, run)


def _paragraph(words: Sequence[TimedWord], run: list[int]) -> _Paragraph:
    token = words[run[0]].token
    return _Paragraph(tuple(run), token.speaker, token.is_heading, token.is_section_title)


def _gap_html(region: AudioOnlyRegion, number: int) -> str:
    when = f"{format_clock(region.start_ms)}–{format_clock(region.end_ms)}"
    heard = region.text if len(region.text) <= 80 else region.text[:77] + "..."
    return (
        f'<span class="gap" id="a{number}">speech not in the transcript, '
        f'<a href="#a{number}" data-seek="{_seconds(region.start_ms)}">{_e(when)}</a>: “{_e(heard)}”</span> '
    )


def _gap_positions(words: Sequence[TimedWord], regions: Sequence[AudioOnlyRegion]) -> dict[int, list[int]]:
    """For each audio-only region, the token it is shown before: the first timed token starting at or after it."""
    positions: dict[int, list[int]] = {}
    for number, region in enumerate(regions):
        at = next(
            (i for i, w in enumerate(words) if w.start_ms is not None and w.start_ms >= region.start_ms), len(words)
        )
        positions.setdefault(at, []).append(number)
    return positions


def _transcript_html(result: Result) -> str:
    words = result.words
    seeks = _seek_points(words)
    gaps = _gap_positions(words, result.audio_only)
    out: list[str] = []
    turn_open = False
    turn_speaker: object = object()  # no speaker yet

    def open_turn(speaker: str | None, is_front: bool, first: int) -> None:
        nonlocal turn_open, turn_speaker
        if turn_open:
            out.append("</div>\n")
        turn_open, turn_speaker = True, speaker
        if is_front or speaker is None:
            out.append('<div class="turn front">\n')
            return
        out.append(f'<div class="turn" data-speaker="{_e(speaker)}">\n')
        timed = next((i for i in range(first, len(words)) if words[i].start_ms is not None), None)
        link = ""
        if timed is not None:
            start = words[timed].start_ms or 0
            link = f' <a href="#w{timed}" data-seek="{_seconds(start)}">{format_clock(start)}</a>'
        out.append(f"<h2>{_e(speaker)}{link}</h2>\n")

    for paragraph in _paragraphs(words):
        speaker = None if paragraph.is_heading else paragraph.speaker
        if not turn_open or speaker != turn_speaker:
            open_turn(speaker, paragraph.is_heading, paragraph.indices[0])
        pieces: list[str] = []
        for i in paragraph.indices:
            pieces.extend(_gap_html(result.audio_only[n], n) for n in gaps.get(i, []))
            pieces.append(_word_html(i, words[i], seeks[i]))
        tag = "h3" if paragraph.is_section_title else "p"
        css = ' class="section"' if paragraph.is_section_title else ""
        out.append(
            f'<{tag}{css} data-paragraph="{words[paragraph.indices[0]].token.paragraph}">{" ".join(pieces)}</{tag}>\n'
        )
    trailing = gaps.get(len(words), [])
    if trailing:
        if not turn_open:
            open_turn(None, True, len(words))
        out.append("<p>" + "".join(_gap_html(result.audio_only[n], n) for n in trailing) + "</p>\n")
    if turn_open:
        out.append("</div>\n")
    return "".join(out)


def _issues_html(result: Result) -> str:
    """The disagreements in transcript order: missing passages and audio-only speech."""
    words = result.words
    gaps = _gap_positions(words, result.audio_only)
    seeks = _seek_points(words)
    entries: list[tuple[int, int, str]] = []  # (token position, kind order, html)
    for passage in result.missing:
        after = passage.after_ms
        where = "at the start" if after is None else f"after {format_clock(after)}"
        seek = after if after is not None else seeks[passage.first_word]
        text = passage.text if len(passage.text) <= 160 else passage.text[:157] + "..."
        item = (
            f'<li class="missing"><span class="kind">Not in the audio</span>'
            f'<a href="#w{passage.first_word}" data-seek="{_seconds(seek)}">{_e(where)}</a>'
            f"<q>{_e(text)}</q></li>"
        )
        entries.append((passage.first_word, 0, item))
    for at, numbers in gaps.items():
        for n in numbers:
            region = result.audio_only[n]
            when = f"{format_clock(region.start_ms)}–{format_clock(region.end_ms)}"
            text = region.text if len(region.text) <= 160 else region.text[:157] + "..."
            item = (
                f'<li class="audio-only"><span class="kind">Speech not in the transcript</span>'
                f'<a href="#a{n}" data-seek="{_seconds(region.start_ms)}">{_e(when)}</a>'
                f" ({region.word_count} words heard)<q>{_e(text)}</q></li>"
            )
            entries.append((at, 1, item))
    entries.sort(key=lambda entry: (entry[0], entry[1]))
    items = "\n".join(entry[2] for entry in entries) or '<li class="none">None: every word was found in the audio.</li>'
    return (
        f'<aside class="issues" aria-label="Disagreements">\n<h2>Disagreements ({len(entries)})</h2>\n<ol>\n{items}\n</ol>\n'
        f"{_cuts_html(result)}</aside>\n"
    )


def _cuts_html(result: Result) -> str:
    """What ``aligner cut`` would remove with its defaults (aligner.cut.plan), so a producer sees it first.

    The stretches only, from the alignment (the exact edges also need the
    audio's quiet points, which the page does not have).
    """
    from aligner.cut.plan import removable_gaps
    from aligner.options import CutOptions

    gaps = [g for g in removable_gaps(result, CutOptions()) if g.words]
    items = []
    for gap in gaps:
        start, end = gap.words[0].start_ms, gap.words[-1].end_ms
        heard = " ".join(w.text for w in gap.words)
        heard = heard if len(heard) <= 160 else heard[:157] + "..."
        items.append(
            f'<li class="cut"><span class="kind">{_e(gap.kind)}</span>'
            f'<a href="#w{gap.after.token.index}" data-seek="{_seconds(start)}">'
            f"{_e(format_clock(start))}–{_e(format_clock(end))}</a>"
            f"<q>{_e(heard)}</q></li>"
        )
    total = sum(g.words[-1].end_ms - g.words[0].start_ms for g in gaps) / 1000
    body = "\n".join(items) or '<li class="none">Nothing: the audio holds no filler, false start or cut sentence.</li>'
    return f'<h2>What <code>aligner cut</code> would cut ({len(gaps)}, about {total:.1f} s)</h2>\n<ol class="cuts">\n{body}\n</ol>\n'


def _summary_html(result: Result) -> str:
    s = result.summary
    return (
        '<p class="summary">'
        f"<span>{s.words} words</span>"
        f"<span>{s.matched} matched</span>"
        f'<span class="key interpolated">{s.interpolated} interpolated</span>'
        f'<span class="key not-in-audio">{s.not_in_audio} not in audio</span>'
        f'<span class="key low">{s.low_confidence} low confidence</span>'
        '<label><input type="checkbox" id="follow" checked> follow playback</label>'
        "</p>"
    )


def render_html(result: Result, output: OutputOptions = OutputOptions()) -> str:
    """Render the review page (see the module docstring).

    Args:
        result: everything the page shows.
        output: ``audio_href``, the audio's URL as the page should load it;
            None uses the audio's path as recorded in the result.
    """
    css = _asset("review.css")
    js = _asset("review.js")
    href = output.audio_href if output.audio_href is not None else result.audio_path
    csp = (
        "default-src 'none'; "
        f"style-src {_hash(css)}; script-src {_hash(js)}; "
        "media-src * data: blob:; base-uri 'none'; form-action 'none'"
    )
    audio_name = os.path.basename(result.audio_path)
    transcript_name = os.path.basename(result.transcript_path)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_e(result.language or "en")}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">\n'
        f"<title>Review: {_e(audio_name)}</title>\n"
        f"<style>{css}</style>\n</head>\n<body>\n"
        '<header class="bar">\n'
        f'<h1>{_e(audio_name)}<span class="vs">and</span>{_e(transcript_name)}</h1>\n'
        f'<audio id="player" controls preload="metadata" src="{_e(href)}"></audio>\n'
        f"{_summary_html(result)}\n</header>\n"
        '<main>\n<section id="transcript" aria-label="Transcript">\n'
        f"{_transcript_html(result)}</section>\n"
        f"{_issues_html(result)}</main>\n"
        f"<script>{js}</script>\n</body>\n</html>\n"
    )
