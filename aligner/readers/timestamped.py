"""Transcripts whose speaker lines carry a time: what transcription services export.

The forms read (a name is what a Markdown label takes: 1-4 capitalised words,
"Speaker 2"; the time is ``H:MM:SS``, ``HH:MM:SS``, ``M:SS`` or ``MM:SS``,
optionally with a fraction)::

    Jane Miller (00:01:02): Hello and welcome.     name, time in () or [], colon
    Jane Miller (00:01:02)                         the same with the text below
    Jane Miller  0:01:02                           name and time alone on a line
    [00:01:02] Jane Miller: Hello and welcome.     time first, in [] or ()
    00:01:02 Jane Miller: Hello and welcome.       bare time first
    Casey (caller) (00:01:02): Hi, long-time ...   a role, as in Markdown
    [00:01:02] Priya Mehta, host: Welcome back.

The text of a turn runs from its label to the next label; blank lines split it
into paragraphs. A line starting with a bracketed time and no name
(``[00:01:30] And then...``) starts a new paragraph of the same speaker and
times it. A role after the name, in parentheses or after a comma
(:func:`aligner.readers.speakers.speaker_label`), is kept apart from it: the
speaker is "Casey", with the role "caller". ``**`` or ``__`` around the name
or the label are allowed, so a Markdown file written this way reads too; its
text is then read as Markdown (emphasis, links). ``#`` heading lines (marks, a
space, then text) are headings in both, as plain text exported from a
Markdown editor keeps them; a line of bare ``#`` marks stays text.

As in a Markdown file with labels, everything before the first label is
heading matter (title, byline: aligned but expected absent, speaker None),
and so is everything after a final ``---`` divider that no label follows
(:func:`aligner.readers.build.closing_start`; here any paragraph of a turn
before the divider is body, even one of notes only).

Each label's time becomes a :class:`~aligner.types.Stamp` on the turn's first
token: a hint to the aligner, which never trusts it over clear word matches.
Spans index the decoded file, as for Markdown.
"""

from __future__ import annotations

import re

from aligner.errors import TranscriptError
from aligner.readers.build import Paragraph, Part, build_transcript, closing_start
from aligner.readers.inline import tokenize_spans
from aligner.readers.speakers import Label, speaker_label
from aligner.readers.text import ATX_HEADING, DIVIDER, split_lines
from aligner.timecode import parse_clock
from aligner.types import Transcript

__all__ = ["MIN_STAMPED_LABELS", "count_stamped_labels", "parse_timestamped_text"]

MIN_STAMPED_LABELS = 2
"""Stamped speaker lines a text needs before it is taken for this format (one could be a sentence)."""

_TIME = r"(?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)"
_NAME = r"[*_]{0,2}(?P<name>[^\s:\[\]()*_#][^:\[\]()*_\n]{0,39}?(?:[ \t]*\([^:\[\]()*_\n]{1,30}\))?)[*_]{0,2}"
"""A label's name, with any role: "Jane Miller", "Casey (caller)", "Priya Mehta, host" (speaker_label splits them)."""
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


def _label(line: str) -> tuple[Label, str, int] | None:
    """(speaker and role, time text, offset where the turn's text starts) for a stamped label line."""
    for pattern in (_NAME_THEN_BRACKETED, _NAME_THEN_TIME_ALONE, _BRACKETED_THEN_NAME, _TIME_THEN_NAME):
        match = pattern.match(line)
        if not match:
            continue
        rest = line[match.end() :]
        if pattern is _NAME_THEN_BRACKETED and not match.group("colon") and rest.strip():
            continue  # "Jane (1:02) said" is a sentence, not a label
        label = speaker_label(match.group("name"))
        if label is None:
            continue
        return label, match.group("time"), match.end()
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
    # Pass one: blocks as (part, start, end, speaker, ms); labels and dividers have no text.
    found: list[tuple[Part, int, int, str | None, int | None]] = []
    speakers: list[str] = []
    roles: list[tuple[str, str]] = []
    speaker: str | None = None
    open_para: list[int] = []  # [start, end] of the paragraph being read
    pending_ms: int | None = None

    def close() -> None:
        nonlocal pending_ms
        if open_para:
            found.append((Part.TEXT, open_para[0], open_para[1], speaker, pending_ms))
            pending_ms = None
            open_para.clear()

    for number, (start, end) in enumerate(split_lines(text), start=1):
        line = text[start:end]
        label = _label(line)
        if label is not None:
            close()
            named, time, content = label
            speaker = named.name
            speakers.append(speaker)
            if named.role is not None:
                roles.append((speaker, named.role))
            found.append((Part.LABEL, start, start + content, speaker, None))
            pending_ms = _ms(time, path, number)
            if line[content:].strip():
                open_para.extend((start + content, end))
            continue
        if not line.strip():
            close()
            continue
        if DIVIDER.match(line):
            close()
            found.append((Part.DIVIDER, start, end, None, None))
            continue
        heading = ATX_HEADING.match(line)
        if heading and heading.end(1) < len(line) and (markdown or heading.group(2)):  # bare "#" marks stay text
            close()
            found.append((Part.HEADING, start + heading.start(2), start + heading.end(2), None, None))
            continue
        stamp = _BRACKETED_TIME.match(line)
        if stamp and speakers:
            close()
            pending_ms = _ms(stamp.group("time"), path, number)
        if open_para:
            open_para[1] = end
        else:
            open_para.extend((start, end))
    close()
    parts = [part for part, _, _, _, _ in found]
    if Part.LABEL not in parts:
        raise TranscriptError(path, "has no timestamped speaker lines ('Name (00:01:02):', '[00:01:02] Name:', ...)")

    first_label = parts.index(Part.LABEL)
    is_body = [i > first_label and part in (Part.TEXT, Part.HEADING) for i, part in enumerate(parts)]
    closing = closing_start(parts, is_body)
    if closing is None:
        closing = len(found)
    blocks = [(i, block) for i, block in enumerate(found) if block[0] in (Part.TEXT, Part.HEADING)]
    raws = tokenize_spans(text, [(s, e) for _, (_, s, e, _, _) in blocks], markdown=markdown, path=path)
    paragraphs = []
    for (index, (part, _, _, who, ms)), tokens in zip(blocks, raws, strict=True):
        outside = index < first_label or index >= closing
        paragraphs.append(
            Paragraph(
                speaker=None if outside else who,
                tokens=tuple(tokens),
                stamps=((0, ms),) if ms is not None else (),
                is_heading=outside or part is Part.HEADING,
                is_section_title=part is Part.HEADING,
            )
        )
    return build_transcript(path, paragraphs, speakers, roles)
