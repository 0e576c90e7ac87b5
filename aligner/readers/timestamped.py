"""Transcripts whose speaker lines carry a time: what transcription services export.

The forms read (a name is what a Markdown label takes: 1-4 capitalised words,
"Speaker 2"; the time is ``H:MM:SS``, ``HH:MM:SS``, ``M:SS`` or ``MM:SS``,
optionally with a fraction)::

    Jane Miller (00:01:02): Hello and welcome.     name, time in () or [], colon
    Jane Miller (00:01:02)                         the same with the text below
    Jane Miller  0:01:02                           name and time alone on a line
    [00:01:02] Jane Miller: Hello and welcome.     time first, in [] or ()
    00:01:02 Jane Miller: Hello and welcome.       bare time first

The text of a turn runs from its label to the next label; blank lines split it
into paragraphs. A line starting with a bracketed time and no name
(``[00:01:30] And then...``) starts a new paragraph of the same speaker and
times it. ``**`` or ``__`` around the name or the label are allowed, so a
Markdown file written this way reads too; its text is then read as Markdown
(emphasis, links), and ``#`` heading lines are headings.

As in a Markdown file with labels, everything before the first label is
heading matter (title, byline: aligned but expected absent, speaker None),
and so is everything after a final ``---`` divider that no label follows.

Each label's time becomes a :class:`~aligner.types.Stamp` on the turn's first
token: a hint to the aligner, which never trusts it over clear word matches.
Spans index the decoded file, as for Markdown.
"""

from __future__ import annotations

import re

from aligner.errors import TranscriptError
from aligner.readers.build import Paragraph, build_transcript
from aligner.readers.markdown import speaker_name, split_lines, tokenize_spans
from aligner.timecode import parse_clock
from aligner.types import Transcript

__all__ = ["count_stamped_labels", "parse_timestamped_text"]

_TIME = r"(?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)"
_NAME = r"[*_]{0,2}(?P<name>[^\s:\[\]()*_#][^:\[\]()*_\n]{0,39}?)[*_]{0,2}"
_LEAD = r"^[ \t]{0,3}"

# Jane Miller (00:01:02): text   /   Jane Miller [1:02]   (colon optional only when nothing follows)
_NAME_THEN_BRACKETED = re.compile(
    _LEAD + _NAME + r"[ \t]*[(\[]" + _TIME + r"[)\]][*_]{0,2}[ \t]*(?P<colon>:?)[*_]{0,2}(?=\s|$)"
)
# Jane Miller  0:01:02   (alone on its line)
_NAME_THEN_TIME_ALONE = re.compile(_LEAD + _NAME + r"[ \t]+" + _TIME + r"[ \t]*$")
# [00:01:02] Jane Miller: text   /   (1:02) **Jane:** text
_BRACKETED_THEN_NAME = re.compile(
    _LEAD + r"[*_]{0,2}[(\[]" + _TIME + r"[)\]][*_]{0,2}[ \t]*" + _NAME + r"[ \t]*:[*_]{0,2}(?=\s|$)"
)
# 00:01:02 Jane Miller: text
_TIME_THEN_NAME = re.compile(_LEAD + _TIME + r"[ \t]+" + _NAME + r"[ \t]*:[*_]{0,2}(?=\s|$)")
# [00:01:30] text of the same speaker
_BRACKETED_TIME = re.compile(_LEAD + r"[(\[]" + _TIME + r"[)\]](?=\s|$)")

_DIVIDER = re.compile(r"^[ \t]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_ATX = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(?P<content>.*?)(?:[ \t]+#+)?[ \t]*$")


def _label(line: str) -> tuple[str, str, int] | None:
    """(speaker, time text, offset where the turn's text starts) for a stamped label line."""
    for pattern in (_NAME_THEN_BRACKETED, _NAME_THEN_TIME_ALONE, _BRACKETED_THEN_NAME, _TIME_THEN_NAME):
        match = pattern.match(line)
        if not match:
            continue
        rest = line[match.end() :]
        if pattern is _NAME_THEN_BRACKETED and not match.group("colon") and rest.strip():
            continue  # "Jane (1:02) said" is a sentence, not a label
        name = speaker_name(match.group("name"))
        if name is None:
            continue
        return name, match.group("time"), match.end()
    return None


def count_stamped_labels(text: str) -> int:
    """How many lines of ``text`` are stamped speaker labels; format detection asks this."""
    return sum(1 for start, end in split_lines(text) if _label(text[start:end]) is not None)


def _ms(time: str, path: str, line: int) -> int:
    try:
        return parse_clock(time)
    except ValueError:
        raise TranscriptError(path, f"bad time {time!r} in a speaker line", line=line) from None


def parse_timestamped_text(text: str, *, path: str = "<string>", markdown: bool = False) -> Transcript:
    """Parse a transcript with stamped speaker lines.

    Args:
        text: the decoded transcript; spans index it.
        path: the name used in errors and recorded on the result.
        markdown: read the turns' text as Markdown (for ``.md`` files).

    Returns:
        The transcript, with one stamp per stamped label or paragraph.

    Raises:
        TranscriptError: no stamped speaker line at all (then this is not the
            format), a time with minutes or seconds over 59 (with its line),
            or no words.
    """
    # Pass one: paragraphs as (kind, start, end, speaker, ms).
    found: list[tuple[str, int, int, str | None, int | None]] = []
    speakers: list[str] = []
    speaker: str | None = None
    open_para: list[int] = []  # [start, end] of the paragraph being read
    pending_ms: int | None = None
    first_label: int | None = None  # index in found where the first turn starts
    closing: int | None = None  # index in found after a divider that no label has followed yet

    def close() -> None:
        nonlocal pending_ms
        if open_para:
            found.append(("text", open_para[0], open_para[1], speaker, pending_ms))
            pending_ms = None
            open_para.clear()

    for number, (start, end) in enumerate(split_lines(text), start=1):
        line = text[start:end]
        label = _label(line)
        if label is not None:
            close()
            speaker, time, content = label
            speakers.append(speaker)
            closing = None
            if first_label is None:
                first_label = len(found)
            pending_ms = _ms(time, path, number)
            if line[content:].strip():
                open_para.extend((start + content, end))
            continue
        if not line.strip():
            close()
            continue
        if _DIVIDER.match(line):
            close()
            if first_label is not None and len(found) > first_label:  # body text before it
                closing = len(found)
            continue
        heading = _ATX.match(line) if markdown else None
        if heading:
            close()
            found.append(("heading", start + heading.start("content"), start + heading.end("content"), None, None))
            continue
        stamp = _BRACKETED_TIME.match(line)
        if stamp and first_label is not None:
            close()
            pending_ms = _ms(stamp.group("time"), path, number)
        if open_para:
            open_para[1] = end
        else:
            open_para.extend((start, end))
    close()
    if first_label is None:
        raise TranscriptError(path, "has no timestamped speaker lines ('Name (00:01:02):', '[00:01:02] Name:', ...)")

    if closing is None:
        closing = len(found)
    raws = tokenize_spans(text, [(s, e) for _, s, e, _, _ in found], markdown=markdown, path=path)
    paragraphs = []
    for index, ((kind, _, _, who, ms), tokens) in enumerate(zip(found, raws, strict=True)):
        outside = index < first_label or index >= closing
        paragraphs.append(
            Paragraph(
                speaker=None if outside else who,
                tokens=tuple(tokens),
                stamps=((0, ms),) if ms is not None else (),
                is_heading=outside or kind == "heading",
                is_section_title=kind == "heading",
            )
        )
    return build_transcript(path, paragraphs, speakers)
