"""Edited transcript (Markdown or plain text) -> :class:`~aligner.types.Transcript`.

Published transcripts are Markdown written for readers: a title, a byline, an
italic disclaimer, speaker names as headings or bold lines, links, emphasis and
stage notes such as ``[laughs]``. The aligner needs the words a listener hears,
each with its speaker and its place in the source. Parsing takes two passes,
as webvtt-py does: lines are grouped into blank-line separated blocks and each
line is classed (heading, speaker label, divider, text); then each paragraph is
tokenized by :mod:`aligner.readers.inline` (token text, notes, dashes, lone
punctuation) and the blocks become a transcript through
:mod:`aligner.readers.build`. Plain text is read by the same passes with only
``Name:`` labels, notes and dividers given meaning.

Decisions worth knowing (each was a choice between readings):

- **Speaker labels**: ``### Name``, ``#### **Name**``, ``**Name**`` alone on a
  line, and ``Name:`` / ``**Name:**`` at the start of a line, where the name
  passes :func:`aligner.readers.speakers.speaker_name` (1-4 capitalised words,
  "Speaker 2" too). Any of them may carry a role or note
  (:func:`aligner.readers.speakers.speaker_label`: ``Casey (caller):``,
  ``**Dr. Lee (guest)**``, ``Priya Mehta, host:``), kept apart from the name;
  and a line holding only a bracketed role (``[caller]``,
  :func:`aligner.readers.speakers.role_label`) opens a turn by the speaker
  "Caller". Bold, level-3+ heading and role-only labels are labels on sight.
  Ordinary lines often look like the other forms ("Remember: ...", "# Brain
  Inspired"), so a level-1/2 heading is a label only if its name is used as a
  label at least twice in the file, and a ``Name:`` needs evidence
  (:func:`_accepted_labels`): the name used twice; or the file has other
  labels and the name is distinctive (several words, capitals or a role:
  "Paul Middlebrooks:", "PAUL:", "Casey (caller):"); or the transcript's
  structure: it *opens a turn* (starts a paragraph, or follows a one-line
  turn) where the transcript's accepted labels are ``Name:`` lines opening
  turns too (a caller's single ``Casey:`` among the host's), or, in a file
  with no other labels, such ``Name:`` openings name two or more speakers
  and open at least half of the paragraphs from the first of them on (two
  speakers who talk once each). "Remember:" inside a turn's paragraph, or
  opening one in a file whose labels are bold, stays text, and sentence
  openers ("Remember", "Note", "So") are never names
  (:data:`aligner.readers.speakers.NOT_NAMES`).
- **Plain text** reads ``#`` headings too (``# Title``, ``## Part two``: marks
  and a space, then text), because plain text exported from a Markdown
  editor keeps them; a line of bare marks (``#``) or ``#1`` stays text.
- **Heading matter** (``is_heading=True``: aligned, but not expected in the
  audio, and spoken by no one, so its speaker is None): headings that are not
  labels; when the file has labels, everything before the first one; without
  labels, a leading title block (a heading through a divider among the next
  few blocks) followed by any run of headings, bylines, dividers and wholly
  italic paragraphs (unless that would leave no body); and everything after
  the last divider when no label follows it and body text precedes it (the
  closing "Subscribe..." line; :func:`aligner.readers.build.closing_start`).
- **Only headings**: a file whose only words are headings parses (title words
  are words; the aligner reports them as not found in the audio). A file with
  no word tokens at all (empty, or only notes and dividers) is an error.
- ``paragraph`` numbers the paragraphs that hold tokens 0, 1, 2...: every
  heading, byline, text block and speaker turn starts a new one.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from aligner.readers.build import Paragraph, Part, build_transcript, closing_start
from aligner.readers.inline import RawToken, mask, tokenize
from aligner.readers.speakers import Label, is_distinctive, role_label, speaker_label
from aligner.readers.text import ATX_HEADING, DIVIDER, split_lines
from aligner.types import TokenKind, Transcript

__all__ = ["parse_text"]

# --- line classes -----------------------------------------------------------

_SETEXT_UNDERLINE = re.compile(r"^[ \t]{0,3}=+[ \t]*$")
_BOLD_LABEL = re.compile(r"^[ \t]{0,3}(\*\*|__)(?!\s)(.+?)(?<!\s)\1[ \t]*:?[ \t]*$")
_COLON_LABEL_MD = re.compile(
    r"^[ \t]{0,3}(?:(\*\*|__)(?P<bold>[^*_\n:]{1,72}?)(?::\1|\1:)|(?P<plain>[^\s*_:\[\]()#>][^:\n]{0,71}?):)(?=\s|$)"
)
_COLON_LABEL_TXT = re.compile(r"^[ \t]*(?P<plain>[^\s:\[\]()][^:\n]{0,71}?):(?=\s|$)")
_ROLE_LINE = re.compile(r"^[ \t]{0,3}\[(?P<role>[^\[\]\n]{1,30})\][ \t]*$")
_ON_SIGHT = frozenset({"bold", "heading", "role"})
"""Label forms that exist only to name speakers: no evidence needed."""
_REF_DEFINITION = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S")
_LINE_MARKERS = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+|^[ \t]*[-*+][ \t]+(?=\S)")

# --- front matter -----------------------------------------------------------

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DATE = re.compile(
    rf"(?i)\b(?:\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+\d{{4}}|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}})\b"
)
_BY = re.compile(r"(?i)^(?:written |posted |hosted |interview |interviewed )?by\s+\S|\|\s*by\s+\S")
_TITLE_BLOCK_PARTS = 6  # a title, dek, byline and divider sit within this many blocks


class _Line(enum.Enum):
    BLANK = "blank"  # separates blocks
    HIDDEN = "hidden"  # a comment or link definition: dropped, separates nothing
    DIVIDER = "divider"
    SETEXT = "setext"  # "===" under text: that text is a heading
    HEADING = "heading"
    BOLD_LABEL = "bold label"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class _LineInfo:
    """One source line and what pass one made of it.

    ``start``/``end`` bound the line without its terminator; ``content`` is the
    offset where its text starts (after ``#`` marks or a ``Name:`` label).
    ``name`` is a label candidate's speaker name, ``role`` the role its label
    gives, ``form`` how it was written; ``has_text``: a ``Name:`` line with
    speech after the label (a one-line turn).
    """

    number: int
    start: int
    end: int
    kind: _Line
    content: int
    content_end: int
    name: str | None = None
    form: str | None = None  # "heading12", "heading", "bold", "role" or "colon"
    role: str | None = None
    has_text: bool = False


@dataclass(frozen=True, slots=True)
class _Block:
    """A heading, label, divider or text paragraph from pass two."""

    kind: Part
    start: int
    end: int
    line: int
    name: str | None = None
    role: str | None = None


def parse_text(text: str, *, path: str = "<string>", markdown: bool = True) -> Transcript:
    """Parse transcript text already in memory.

    Args:
        text: the decoded transcript. Token spans index this string; a leading
            BOM is ignored but kept, so spans still index ``text``.
        path: the name used in errors and recorded on the result.
        markdown: read Markdown syntax; False for plain text.

    Returns:
        The transcript's tokens, in order, and its speakers in order of first
        label.

    Raises:
        TranscriptError: an HTML comment is never closed (with its line), or
            the text holds no word tokens.
    """
    work = mask(text, markdown=markdown, path=path)
    lines = _classify_lines(work, markdown=markdown)
    accepted = _accepted_labels(lines)
    blocks, work = _build_blocks(work, lines, accepted, markdown=markdown)
    raws = [
        tokenize(text, work, block.start, block.end, markdown=markdown)
        if block.kind in (Part.HEADING, Part.TEXT)
        else []
        for block in blocks
    ]
    heading = _heading_matter(text, blocks, raws)
    paragraphs: list[Paragraph] = []
    speakers: list[str] = []
    roles: list[tuple[str, str]] = []
    speaker: str | None = None
    for block, block_raws, is_heading in zip(blocks, raws, heading, strict=True):
        if block.kind is Part.LABEL and block.name is not None:
            speaker = block.name
            speakers.append(speaker)
            if block.role is not None:
                roles.append((speaker, block.role))
            continue
        paragraphs.append(
            Paragraph(
                speaker=speaker,
                tokens=tuple(block_raws),
                is_heading=is_heading,
                is_section_title=block.kind is Part.HEADING,
            )
        )
    return build_transcript(path, paragraphs, speakers, roles)


# --- pass one: lines ----------------------------------------------------------


def _classify_lines(work: str, *, markdown: bool) -> list[_LineInfo]:
    infos = []
    for number, (start, end) in enumerate(split_lines(work), start=1):
        infos.append(_classify_line(work[start:end], number, start, end, markdown=markdown))
    return infos


def _classify_line(line: str, number: int, start: int, end: int, *, markdown: bool) -> _LineInfo:
    def info(
        kind: _Line, content: int = 0, content_end: int | None = None, label: Label | None = None, form: str = ""
    ) -> _LineInfo:
        stop = end if content_end is None else start + content_end
        if label is None:
            return _LineInfo(number, start, end, kind, start + content, stop)
        has_text = form == "colon" and bool(line[content:].strip())
        return _LineInfo(number, start, end, kind, start + content, stop, label.name, form, label.role, has_text)

    if not line.strip():
        return info(_Line.BLANK)
    if DIVIDER.match(line):
        return info(_Line.DIVIDER)
    if markdown:
        if _REF_DEFINITION.match(line) or (line.lstrip().startswith("[^") and "]:" in line):
            return info(_Line.HIDDEN)
        if _SETEXT_UNDERLINE.match(line):
            return info(_Line.SETEXT)
    atx = ATX_HEADING.match(line)
    if atx and (markdown or atx.group(2)):  # plain text: "# Title", never a bare "#"
        level = len(atx.group(1))
        label = speaker_label(_unwrap(atx.group(2)))
        return info(_Line.HEADING, atx.start(2), atx.end(2), label, "heading12" if level <= 2 else "heading")
    role = _ROLE_LINE.match(line)
    label = role_label(role.group("role")) if role else None
    if label:
        return info(_Line.BOLD_LABEL, label=label, form="role")
    if markdown:
        bold = _BOLD_LABEL.match(line)
        label = speaker_label(bold.group(2).rstrip(":")) if bold else None
        if label:
            return info(_Line.BOLD_LABEL, label=label, form="bold")
    colon = (_COLON_LABEL_MD if markdown else _COLON_LABEL_TXT).match(line)
    if colon:
        label = speaker_label(colon.group("bold") if colon.groupdict().get("bold") else colon.group("plain"))
        if label:
            return info(_Line.TEXT, colon.end(), label=label, form="colon")
    return info(_Line.TEXT)


def _unwrap(text: str) -> str:
    """Heading text without emphasis wrapped round all of it and without a final colon."""
    text = text.strip()
    changed = True
    while changed:
        changed = False
        for mark in ("**", "__", "*", "_"):
            if len(text) > 2 * len(mark) and text.startswith(mark) and text.endswith(mark):
                text = text[len(mark) : -len(mark)].strip()
                changed = True
    return text.rstrip(":").strip()


def _accepted_labels(lines: list[_LineInfo]) -> frozenset[tuple[str, str]]:
    """The (name, form) label candidates that really are speaker labels.

    A name alone in bold or in a level-3+ heading, and a role alone in
    brackets, are labels on sight: those lines exist to name speakers.
    ``Name:`` lines and level-1/2 headings are common in ordinary text
    ("Remember: ...", "# Brain Inspired"), so they need evidence:

    1. the name is used as a label at least twice in the file;
    2. for ``Name:``, the file already has labels and the label does not look
       like a capitalised word opening a sentence (several words, "Paul
       Middlebrooks", "Speaker 2"; capitals, "PAUL"; a role, "Casey (caller)");
    3. for ``Name:``, the structure (:func:`_by_structure`).

    Worked example (a call-in)::

        Host: Welcome back.           <- "Host" twice: rule 1

        Casey: Hi, I've been ...      <- once, one word: rule 3, it opens a
                                         paragraph as the host's labels do
        Host: Thanks, Casey.
        Remember: it airs at noon.    <- "Remember" is never a name
    """
    candidates = [line for line in lines if line.name and line.form]
    counts: dict[str, int] = {}
    for line in candidates:
        if line.name:
            counts[line.name] = counts.get(line.name, 0) + 1
    accepted = {
        (line.name, line.form)
        for line in candidates
        if line.name and line.form and (line.form in _ON_SIGHT or counts[line.name] >= 2)
    }
    if accepted:
        accepted.update(
            (line.name, line.form)
            for line in candidates
            if line.name and line.form == "colon" and (line.role is not None or is_distinctive(line.name))
        )
    return frozenset(accepted | _by_structure(lines, accepted))


def _by_structure(lines: list[_LineInfo], accepted: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """``Name:`` labels accepted because they open turns the way the transcript's labels do.

    A line *opens a turn* when it starts a paragraph (after a blank line, a
    divider or a section heading, or first in the file) or follows a
    one-line turn (a ``Name:`` label with its speech on the same line, as in
    "Host: Hi.\nCasey: Hello."). Where the accepted labels include a
    ``Name:`` opening a turn, every ``Name:`` candidate opening a turn is a
    label: the transcript writes its turns that way, and a name used once is
    simply a speaker who talks once (a caller). With no labels at all, the
    ``Name:`` candidates opening turns are labels when they name two or more
    speakers and open at least half of the paragraphs from the first of them
    on (each of two speakers talks once). Either way a one-word candidate
    inside a turn's paragraph stays text, and so does one in a file whose
    labels are written another way (bold, headings).
    """

    def openings(turns: set[int]) -> list[int]:
        found = []
        previous: _LineInfo | None = None
        for i, line in enumerate(lines):
            if line.kind is _Line.HIDDEN:
                continue
            after_break = previous is None or previous.kind in (_Line.BLANK, _Line.DIVIDER, _Line.SETEXT)
            after_break = after_break or (
                previous is not None
                and previous.kind is _Line.HEADING
                and (previous.name, previous.form) not in accepted
            )
            if line.kind is _Line.TEXT and (after_break or (previous is not None and previous.number in turns)):
                found.append(i)
            previous = line
        return found

    def is_candidate(line: _LineInfo) -> bool:
        return line.form == "colon" and line.name is not None

    def one_line_turns(labels: set[tuple[str, str]]) -> set[int]:
        return {
            line.number for line in lines if is_candidate(line) and line.has_text and (line.name, "colon") in labels
        }

    found: set[tuple[str, str]] = set()
    if not accepted:
        everything = {(line.name, "colon") for line in lines if is_candidate(line) and line.name}
        opening = openings(one_line_turns(everything))
        labels = [lines[i] for i in opening if is_candidate(lines[i])]
        if labels and len({line.name for line in labels}) >= 2:
            first = opening.index(next(i for i in opening if is_candidate(lines[i])))
            if 2 * len(labels) >= len(opening) - first:
                found = {(line.name, "colon") for line in labels if line.name}
    known = set(accepted) | found
    while True:  # each label found may make the line after it open a turn
        opening_labels = [lines[i] for i in openings(one_line_turns(known)) if is_candidate(lines[i])]
        if not any((line.name, "colon") in known for line in opening_labels):
            return found
        more = {(line.name, "colon") for line in opening_labels if line.name} - known
        if not more:
            return found
        found |= more
        known |= more


# --- pass two: blocks ---------------------------------------------------------


def _build_blocks(
    work: str, lines: list[_LineInfo], accepted: frozenset[tuple[str, str]], *, markdown: bool
) -> tuple[list[_Block], str]:
    """Group lines into headings, labels, dividers and text paragraphs.

    Returns the blocks and the working text with line markers (blockquote
    ``>``, list bullets, link definitions) blanked, as they are not words.
    """
    chars = list(work)
    blocks: list[_Block] = []
    para: list[int] = []  # [start, end, line] of the open paragraph

    def close() -> None:
        if para:
            blocks.append(_Block(Part.TEXT, para[0], para[1], para[2]))
            para.clear()

    def blank(start: int, end: int) -> None:
        chars[start:end] = " " * (end - start)

    for line in lines:
        is_label = line.name is not None and (line.name, line.form) in accepted
        if line.kind is _Line.BLANK:
            close()
        elif line.kind is _Line.HIDDEN:
            blank(line.start, line.end)
        elif line.kind is _Line.DIVIDER:
            close()
            blocks.append(_Block(Part.DIVIDER, line.start, line.end, line.number))
        elif line.kind is _Line.SETEXT and para:
            blocks.append(_Block(Part.HEADING, para[0], para[1], para[2]))
            para.clear()
        elif line.kind is _Line.HEADING:
            close()
            kind = Part.LABEL if is_label else Part.HEADING
            name, role = (line.name, line.role) if is_label else (None, None)
            blocks.append(_Block(kind, line.content, line.content_end, line.number, name, role))
        elif line.kind is _Line.BOLD_LABEL and is_label:
            close()
            blocks.append(_Block(Part.LABEL, line.start, line.end, line.number, line.name, line.role))
        else:
            start = line.start
            if is_label:
                close()
                blocks.append(_Block(Part.LABEL, line.start, line.content, line.number, line.name, line.role))
                start = line.content
            elif markdown:
                marker = _LINE_MARKERS.match(work[line.start : line.end])
                if marker:
                    blank(line.start, line.start + marker.end())
            if not para:
                para.extend((start, line.end, line.number))
            para[1] = line.end
    close()
    return blocks, "".join(chars)


# --- heading matter ---------------------------------------------------------------


def _heading_matter(text: str, blocks: list[_Block], raws: list[list[RawToken]]) -> list[bool]:
    """Which blocks are outside the spoken body (see the module docstring)."""
    has_words = [any(raw[0] is TokenKind.WORD for raw in block_raws) for block_raws in raws]
    heading = [block.kind is Part.HEADING for block in blocks]
    labels = [i for i, block in enumerate(blocks) if block.kind is Part.LABEL]
    if labels:
        for i in range(labels[0]):
            heading[i] = True
    else:
        front = _front_matter(text, blocks, raws)
        if all(i in front for i, words in enumerate(has_words) if words):
            front = {i for i in front if blocks[i].kind is Part.HEADING or _is_byline(text, blocks[i])}
        for i in front:
            heading[i] = True
    closing = closing_start([block.kind for block in blocks], [w and not h for w, h in zip(has_words, heading)])
    if closing is not None:
        for i in range(closing, len(blocks)):
            heading[i] = True
    return heading


def _front_matter(text: str, blocks: list[_Block], raws: list[list[RawToken]]) -> set[int]:
    """Blocks of an unlabelled file's title matter: title, dek, byline, divider, disclaimer."""
    filled = [i for i, block_raws in enumerate(raws) if block_raws or blocks[i].kind is Part.DIVIDER]
    if not filled:
        return set()
    first = filled[0]
    front: set[int] = set()
    k = first
    if blocks[first].kind is Part.HEADING:
        for j in range(first, min(first + _TITLE_BLOCK_PARTS, len(blocks))):
            if blocks[j].kind is Part.DIVIDER:
                front.update(range(first, j + 1))
                k = j + 1
                break
    while k < len(blocks):
        block = blocks[k]
        if block.kind in (Part.HEADING, Part.DIVIDER) or not raws[k]:
            pass
        elif not (_is_byline(text, block) or _is_emphasised(text, block)):
            break
        front.add(k)
        k += 1
    return front


def _is_byline(text: str, block: _Block) -> bool:
    """A one-line paragraph with a date or "by Name": "11 September 2024 | by PAUL MIDDLEBROOKS"."""
    line = text[block.start : block.end].strip().strip("*_")
    if block.kind is not Part.TEXT or "\n" in line or "\r" in line or len(line.split()) > 12:
        return False
    return bool(_DATE.search(line) or _BY.search(line))


def _is_emphasised(text: str, block: _Block) -> bool:
    """A paragraph that is one emphasis span from end to end (an italic disclaimer)."""
    body = text[block.start : block.end].strip()
    for mark in ("**", "__", "*", "_"):
        inner = body[len(mark) : -len(mark)]
        if len(body) > 2 * len(mark) and body.startswith(mark) and body.endswith(mark) and mark[0] not in inner:
            return block.kind is Part.TEXT
    return False
