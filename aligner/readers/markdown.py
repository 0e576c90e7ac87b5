"""Edited transcript (Markdown or plain text) -> :class:`~aligner.types.Transcript`.

Published transcripts are Markdown written for readers: a title, a byline, an
italic disclaimer, speaker names as headings or bold lines, links, emphasis and
stage notes such as ``[laughs]``. The aligner needs the words a listener hears,
each with its speaker and its place in the source. Parsing takes two passes,
as webvtt-py does: lines are grouped into blank-line separated blocks and each
line is classed (heading, speaker label, divider, text); then each paragraph is
tokenized.

Decisions worth knowing (each was a choice between readings):

- **Token text is what captions show**: the original spelling and punctuation
  (``“Brain``, ``Inspired,”``), minus Markdown markup (``*``, ``_``, ``**``,
  backticks, link brackets and URLs). ``start_char``/``end_char`` span the
  visible characters in the decoded source, so ``source[start:end] == text``
  unless markup was removed inside the token (``*The Transmitter*.`` gives
  ``Transmitter.`` spanning ``Transmitter*.``).
- **Dashes**: a word is split after an em dash, an en dash or ``--`` that joins
  it to the next word, and the dash stays on the left-hand token
  (``it's—what`` -> ``it's—`` ``what``), the way the same files write a spaced
  break (``how-- So``) and where a caption line breaks best. An en dash between
  digits is a range (``1990–1995``) and is not split.
- **Lone punctuation** (a spaced ``—``, ``&``, ``...``) is never a token of its
  own: it joins the previous word on the same line, keeping the spaces between
  (``Yes —``), so captions read as written and every word token has a matching
  key. Opening marks (``“``, ``(``) join the next word instead. A mark with no
  word beside it on its line (or only a note) stays a token; its key is empty
  and the aligner skips it.
- **Speaker labels**: ``### Name``, ``#### **Name**``, ``**Name**`` alone on a
  line, and ``Name:`` / ``**Name:**`` at the start of a line. A name is 1-4
  capitalised words (particles such as "de" and "van", initials, hyphens and
  apostrophes allowed; "Speaker 2" too), at most 40 characters. Bold and
  level-3+ heading names are labels on sight. Ordinary lines often look like
  the other forms ("Remember: ...", "# Brain Inspired"), so a level-1/2
  heading is a label only if its name is used as a label at least twice in the
  file, and a ``Name:`` only if so or if the file has other labels and the name
  has several words or is in capitals ("Paul Middlebrooks:", "PAUL:"). A
  one-word ``Name:`` used once ("Paul:") is therefore read as text.
- **Heading matter** (``is_heading=True``: aligned, but not expected in the
  audio, and spoken by no one, so its speaker is None): headings that are not
  labels; when the file has labels, everything before the first one; without
  labels, a leading title block (a heading through a divider among the next
  few blocks) followed by any run of headings, bylines, dividers and wholly
  italic paragraphs (unless that would leave no body); and everything after
  the last divider when no label follows it and body text precedes it (the
  closing "Subscribe..." line).
- **Notes**: ``[music]``-style brackets whose text starts lowercase (or is a
  known note word such as ``[Music]``) and are not links, and ``(laughs)``-style
  parentheses of known note words, become one NOTE token each, exactly as
  written. Bracketed timestamps (``[00:12:34]``) and HTML comments are dropped.
- **Only headings**: a file whose only words are headings parses (title words
  are words; the aligner reports them as not found in the audio). A file with
  no word tokens at all (empty, or only notes and dividers) is an error.
- ``paragraph`` numbers the paragraphs that hold tokens 0, 1, 2...: every
  heading, byline, text block and speaker turn starts a new one.
"""

from __future__ import annotations

import enum
import os
import re
import string
import unicodedata
from dataclasses import dataclass

from aligner.errors import TranscriptError
from aligner.types import Token, TokenKind, Transcript

__all__ = ["decode_transcript", "parse_transcript", "parse_transcript_text", "read_transcript_bytes", "speaker_name", "split_lines", "tokenize_spans"]

_MARKDOWN_SUFFIXES = (".md", ".markdown")

# --- line classes -----------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|\n|\r")
_ATX = re.compile(r"^[ \t]{0,3}(#{1,6})(?:[ \t]+|$)(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^[ \t]{0,3}=+[ \t]*$")
_DIVIDER = re.compile(r"^[ \t]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_BOLD_LABEL = re.compile(r"^[ \t]{0,3}(\*\*|__)(?!\s)(.+?)(?<!\s)\1[ \t]*:?[ \t]*$")
_COLON_LABEL_MD = re.compile(
    r"^[ \t]{0,3}(?:(\*\*|__)(?P<bold>[^*_\n:]{1,40}?)(?::\1|\1:)|(?P<plain>[^\s*_:\[\]()#>][^:\n]{0,39}?):)(?=\s|$)"
)
_COLON_LABEL_TXT = re.compile(r"^[ \t]*(?P<plain>[^\s:\[\]()][^:\n]{0,39}?):(?=\s|$)")
_REF_DEFINITION = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S")
_LINE_MARKERS = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+|^[ \t]*[-*+][ \t]+(?=\S)")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

# --- names ------------------------------------------------------------------

_MAX_NAME_CHARS = 40
_MAX_NAME_WORDS = 4
_PARTICLES = frozenset("de da di del della der den van von du la le el al bin ibn ben dos das do ter ten y".split())
_ROLE_WORDS = frozenset("speaker guest host interviewer interviewee participant caller voice person".split())
# Name-shaped words that open ordinary lines or title sections, not turns.
_NOT_NAMES = frozenset(
    """transcript introduction intro outro summary notes contents episode chapter part conclusion
    references links credits sponsors sponsor advertisement ad acknowledgements acknowledgments note
    update correction related resources about abstract overview background music yes no ok okay so
    well now then also and but or however today here there why what how when where who important
    warning example source sources bio highlights timestamps quote disclaimer subscribe
    """.split()
) | {"show notes", "editor's note", "editor\u2019s note", "further reading", "full transcript"}

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

# --- inline markup ----------------------------------------------------------

_ASCII_PUNCT = frozenset(string.punctuation)
_KNOWN_NOTES = frozenset(
    """music laughs laughter laughing laugh chuckles chuckle chuckling crosstalk cross-talk inaudible
    unintelligible indiscernible applause sighs sigh pause pauses silence coughs cough clears overlapping
    beep static singing""".split()
)
_BRACKET_NOTE = re.compile(r"\[([^\[\]\n]{1,40})\]")
_PAREN_NOTE = re.compile(r"\(([^()\n]{1,30})\)")
_TIMESTAMP = re.compile(r"[\[(]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^\s<>]+|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)>")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]+\]")
_EMPHASIS_RUN = re.compile(r"\*+|_+")
_BACKTICKS = re.compile(r"`+")
_DASHES = frozenset("\u2014\u2015\u2013")  # em dash, horizontal bar, en dash
_OPENERS = frozenset("\u201c\u2018\"'([{\u00ab\u2039\u00bf\u00a1")  # opening quotes and brackets


class _Line(enum.Enum):
    BLANK = "blank"  # separates blocks
    HIDDEN = "hidden"  # a comment or link definition: dropped, separates nothing
    DIVIDER = "divider"
    SETEXT = "setext"  # "===" under text: that text is a heading
    HEADING = "heading"
    BOLD_LABEL = "bold label"
    TEXT = "text"


class _Part(enum.Enum):
    HEADING = "heading"
    LABEL = "label"
    DIVIDER = "divider"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class _LineInfo:
    """One source line and what pass one made of it.

    ``start``/``end`` bound the line without its terminator; ``content`` is the
    offset where its text starts (after ``#`` marks or a ``Name:`` label).
    ``name`` is a label candidate's speaker name, ``form`` how it was written.
    """

    number: int
    start: int
    end: int
    kind: _Line
    content: int
    content_end: int
    name: str | None = None
    form: str | None = None  # "heading12", "heading", "bold" or "colon"


@dataclass(frozen=True, slots=True)
class _Block:
    """A heading, label, divider or text paragraph from pass two."""

    kind: _Part
    start: int
    end: int
    line: int
    name: str | None = None


@dataclass(frozen=True, slots=True)
class _Raw:
    """A token before flags: its kind and the source indices of its visible characters."""

    kind: TokenKind
    chars: tuple[int, ...]


def read_transcript_bytes(path: str) -> bytes:
    """A transcript file's bytes, or the TranscriptError that names why they cannot be read."""
    if os.path.isdir(path):
        raise TranscriptError(path, "is a directory, not a transcript file")
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise TranscriptError(path, "no such file") from None
    except PermissionError:
        raise TranscriptError(path, "cannot be read: permission denied") from None
    except OSError as error:
        raise TranscriptError(path, f"cannot be read: {error.strerror or error}") from None


def parse_transcript(path: str | os.PathLike[str]) -> Transcript:
    """Read and parse a transcript file.

    ``.md`` and ``.markdown`` files are read as Markdown; any other extension
    as plain text, where only ``Name:`` labels, notes and dividers have meaning.

    Args:
        path: the transcript file.

    Returns:
        The parsed transcript; ``path`` is recorded as given.

    Raises:
        TranscriptError: the path is a directory, missing or unreadable; the
            bytes are neither UTF-8 nor UTF-16/32 with a byte-order mark (the
            error names the line of the first bad byte); or the transcript
            holds no words.
    """
    name = os.fspath(path)
    text = _decode(read_transcript_bytes(name), name)
    markdown = os.path.splitext(name)[1].lower() in _MARKDOWN_SUFFIXES
    return parse_transcript_text(text, path=name, markdown=markdown)


def parse_transcript_text(text: str, *, path: str = "<string>", markdown: bool = True) -> Transcript:
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
    work = _mask(text, markdown=markdown, path=path)
    lines = _classify_lines(work, markdown=markdown)
    accepted = _accepted_labels(lines)
    blocks, work = _build_blocks(work, lines, accepted, markdown=markdown)
    raws = [_tokenize(text, work, block, markdown=markdown) if block.kind in (_Part.HEADING, _Part.TEXT) else []
            for block in blocks]
    heading = _heading_matter(text, blocks, raws)
    tokens: list[Token] = []
    speakers: list[str] = []
    speaker: str | None = None
    paragraph = -1
    for block, block_raws, is_heading in zip(blocks, raws, heading, strict=True):
        if block.kind is _Part.LABEL and block.name is not None:
            speaker = block.name
            if speaker not in speakers:
                speakers.append(speaker)
            continue
        if not block_raws:
            continue
        paragraph += 1
        for raw in block_raws:
            tokens.append(
                Token(
                    index=len(tokens),
                    text="".join(text[i] for i in raw.chars),
                    kind=raw.kind,
                    speaker=None if is_heading else speaker,
                    paragraph=paragraph,
                    start_char=raw.chars[0],
                    end_char=raw.chars[-1] + 1,
                    is_heading=is_heading,
                    is_section_title=block.kind is _Part.HEADING,
                )
            )
    if not any(token.kind is TokenKind.WORD for token in tokens):
        raise TranscriptError(path, "holds no words to align")
    return Transcript(path=path, tokens=tuple(tokens), speakers=tuple(speakers))


# --- shared with the readers of other formats (aligner.readers) ------------------


def decode_transcript(data: bytes, path: str) -> str:
    """Decode a transcript file's bytes exactly as :func:`parse_transcript` does.

    The readers of timestamped text, SRT and WebVTT share it, so their spans
    index the same decoded text and their encoding errors read the same.
    """
    return _decode(data, path)


def speaker_name(raw: str) -> str | None:
    """``raw`` as a speaker name by this parser's rules for labels, or None."""
    return _name_of(raw)


def tokenize_spans(
    text: str, spans: list[tuple[int, int]], *, markdown: bool = False, path: str = "<string>"
) -> list[list[tuple[TokenKind, str, int, int]]]:
    """Tokens of each span of ``text``, by the rules this parser applies to a paragraph.

    For readers of other formats, which find paragraphs and speakers their own
    way: notes, dashes, lone punctuation and dropped ``[00:12:34]`` stamps
    (and Markdown markup when ``markdown``) then come out exactly as they do
    from a Markdown or text file.

    Args:
        text: the whole decoded source; spans and results index it.
        spans: (start, end) of each paragraph.
        markdown: read Markdown inline syntax (emphasis, links, code, HTML).
        path: the name used in errors.

    Returns:
        For each span, one (kind, text, start_char, end_char) per token.

    Raises:
        TranscriptError: (Markdown) an HTML comment is never closed.
    """
    work = _mask(text, markdown=markdown, path=path)
    out = []
    for start, end in spans:
        raws = _tokenize(text, work, _Block(_Part.TEXT, start, end, 0), markdown=markdown)
        out.append([(raw.kind, "".join(text[i] for i in raw.chars), raw.chars[0], raw.chars[-1] + 1) for raw in raws])
    return out

# --- reading ------------------------------------------------------------------


_UNICODE_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
    (b"\xff\xfe", "utf-16", "UTF-16"),
    (b"\xfe\xff", "utf-16", "UTF-16"),
)


def _decode(data: bytes, path: str) -> str:
    """Decode a transcript whose encoding is certain, or fail naming the line.

    Certain means UTF-8 (with or without a BOM; Windows editors add one) or
    UTF-16/UTF-32 with a byte-order mark (Notepad's "Unicode"). Anything else
    that is not valid UTF-8 (Latin-1, Windows-1252, UTF-16 without a mark) is
    an error rather than a guess: a wrong guess would silently change the
    words the captions show.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    else:
        for mark, codec, label in _UNICODE_BOMS:
            if data.startswith(mark):
                try:
                    text = data.decode(codec)  # these codecs consume the mark
                except UnicodeDecodeError:
                    raise TranscriptError(path, f"starts with a {label} byte-order mark but is not valid {label}") from None
                return _refuse_nul(text, path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = len(_LINE_BREAK.findall(data[: error.start].decode("utf-8", "replace"))) + 1
        bad = data[error.start]
        raise TranscriptError(path, f"not UTF-8 text (byte 0x{bad:02x}); save it as UTF-8", line=line) from None
    return _refuse_nul(text, path)


def _refuse_nul(text: str, path: str) -> str:
    """NUL never occurs in text; it means UTF-16 without its mark, or a binary file."""
    nul = text.find("\x00")
    if nul >= 0:
        line = len(_LINE_BREAK.findall(text[:nul])) + 1
        raise TranscriptError(
            path, "holds NUL characters: not a text file, or UTF-16 without a byte-order mark; save it as UTF-8", line=line
        )
    return text


def _mask(text: str, *, markdown: bool, path: str) -> str:
    """``text`` with dropped spans blanked, so every offset still indexes ``text``.

    HTML comments become spaces (their line breaks kept) and a leading BOM a
    space. Working on an equal-length copy keeps spans exact without a map.
    """
    work = text
    if work.startswith("\ufeff"):
        work = " " + work[1:]
    if not markdown:
        return work

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\r\n]", " ", match.group())

    work = _HTML_COMMENT.sub(blank, work)
    unclosed = work.find("<!--")
    if unclosed >= 0:
        line = len(_LINE_BREAK.findall(work[:unclosed])) + 1
        raise TranscriptError(path, "HTML comment is never closed (no '-->')", line=line)
    return work


# --- pass one: lines ----------------------------------------------------------


def split_lines(work: str) -> list[tuple[int, int]]:
    """(start, end) of each line without its terminator; CRLF, LF and CR all end a line."""
    spans = []
    start = 0
    for match in _LINE_BREAK.finditer(work):
        spans.append((start, match.start()))
        start = match.end()
    if start < len(work):
        spans.append((start, len(work)))
    return spans


def _classify_lines(work: str, *, markdown: bool) -> list[_LineInfo]:
    infos = []
    for number, (start, end) in enumerate(split_lines(work), start=1):
        infos.append(_classify_line(work[start:end], number, start, end, markdown=markdown))
    return infos


def _classify_line(line: str, number: int, start: int, end: int, *, markdown: bool) -> _LineInfo:
    def info(kind: _Line, content: int = 0, content_end: int | None = None, **label: str | None) -> _LineInfo:
        stop = end if content_end is None else start + content_end
        return _LineInfo(number, start, end, kind, start + content, stop, **label)

    if not line.strip():
        return info(_Line.BLANK)
    if _DIVIDER.match(line):
        return info(_Line.DIVIDER)
    if markdown:
        if _REF_DEFINITION.match(line) or (line.lstrip().startswith("[^") and "]:" in line):
            return info(_Line.HIDDEN)
        if _SETEXT_UNDERLINE.match(line):
            return info(_Line.SETEXT)
        atx = _ATX.match(line)
        if atx:
            level = len(atx.group(1))
            name = _name_of(_unwrap(atx.group(2)))
            form = "heading12" if level <= 2 else "heading"
            return info(_Line.HEADING, atx.start(2), atx.end(2), name=name, form=form if name else None)
        bold = _BOLD_LABEL.match(line)
        if bold:
            name = _name_of(bold.group(2).rstrip(":"))
            if name:
                return info(_Line.BOLD_LABEL, name=name, form="bold")
    colon = (_COLON_LABEL_MD if markdown else _COLON_LABEL_TXT).match(line)
    if colon:
        name = _name_of(colon.group("bold") if colon.groupdict().get("bold") else colon.group("plain"))
        if name:
            return info(_Line.TEXT, colon.end(), name=name, form="colon")
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


def _name_of(raw: str) -> str | None:
    """``raw`` as a speaker name (whitespace collapsed), or None if it is not name-shaped.

    A name is 1-4 words, at least one capitalised, the others particles ("de",
    "van"); a trailing number is allowed after a role word ("Speaker 2"). Words
    hold letters, hyphens, apostrophes and initials' dots only, so a sentence
    ("So what I think is") or a title ("Kim Stachenfeld on the dance...") fails.
    """
    name = " ".join(raw.split())
    if not name or len(name) > _MAX_NAME_CHARS:
        return None
    words = name.split(" ")
    if len(words) > _MAX_NAME_WORDS or name.casefold() in _NOT_NAMES:
        return None
    capitalised = 0
    for position, word in enumerate(words):
        if word.isascii() and word.isdigit():
            if position == len(words) - 1 and position > 0 and words[0].casefold() in _ROLE_WORDS:
                continue
            return None
        if word in _PARTICLES:
            continue
        if not _is_name_word(word):
            return None
        capitalised += 1
    return name if capitalised else None


def _is_name_word(word: str) -> bool:
    if not (word[0].isalpha() and word[0].isupper()):
        return False
    if not all(c.isalpha() or c in "-'\u2019." for c in word):
        return False
    if "." in word:  # initials and abbreviations only: "J.", "J.R.", "Jr."
        pieces = word.rstrip(".").split(".")
        return all(0 < len(piece) <= 3 for piece in pieces)
    return word[-1].isalpha()


def _accepted_labels(lines: list[_LineInfo]) -> frozenset[tuple[str, str]]:
    """The (name, form) label candidates that really are speaker labels.

    A name alone in bold or in a level-3+ heading is a label on sight: those
    lines exist to name speakers. ``Name:`` lines and level-1/2 headings are
    common in ordinary text ("Remember: ...", "# Brain Inspired"), so they need
    evidence: the name is used as a label at least twice in the file; or, for
    ``Name:``, the file already has labels and the name does not look like a
    capitalised word opening a sentence (it has several words, "Paul
    Middlebrooks", "Speaker 2", or is in capitals, "PAUL").
    """
    counts: dict[str, int] = {}
    for line in lines:
        if line.name and line.form:
            counts[line.name] = counts.get(line.name, 0) + 1
    accepted = {
        (line.name, line.form)
        for line in lines
        if line.name and line.form and (line.form in ("bold", "heading") or counts[line.name] >= 2)
    }
    if accepted:
        accepted.update(
            (line.name, line.form)
            for line in lines
            if line.name and line.form == "colon" and (" " in line.name or line.name.isupper())
        )
    return frozenset(accepted)


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
            blocks.append(_Block(_Part.TEXT, para[0], para[1], para[2]))
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
            blocks.append(_Block(_Part.DIVIDER, line.start, line.end, line.number))
        elif line.kind is _Line.SETEXT and para:
            blocks.append(_Block(_Part.HEADING, para[0], para[1], para[2]))
            para.clear()
        elif line.kind is _Line.HEADING:
            close()
            kind = _Part.LABEL if is_label else _Part.HEADING
            blocks.append(_Block(kind, line.content, line.content_end, line.number, line.name if is_label else None))
        elif line.kind is _Line.BOLD_LABEL and is_label:
            close()
            blocks.append(_Block(_Part.LABEL, line.start, line.end, line.number, line.name))
        else:
            start = line.start
            if is_label:
                close()
                blocks.append(_Block(_Part.LABEL, line.start, line.content, line.number, line.name))
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


def _heading_matter(text: str, blocks: list[_Block], raws: list[list[_Raw]]) -> list[bool]:
    """Which blocks are outside the spoken body (see the module docstring)."""
    has_words = [any(r.kind is TokenKind.WORD for r in block_raws) for block_raws in raws]
    heading = [block.kind is _Part.HEADING for block in blocks]
    labels = [i for i, block in enumerate(blocks) if block.kind is _Part.LABEL]
    if labels:
        for i in range(labels[0]):
            heading[i] = True
    else:
        front = _front_matter(text, blocks, raws)
        if all(i in front for i, words in enumerate(has_words) if words):
            front = {i for i in front if blocks[i].kind is _Part.HEADING or _is_byline(text, blocks[i])}
        for i in front:
            heading[i] = True
    dividers = [i for i, block in enumerate(blocks) if block.kind is _Part.DIVIDER]
    if dividers:
        last = dividers[-1]
        label_after = any(i > last for i in labels)
        body_before = any(has_words[i] and not heading[i] for i in range(last))
        if body_before and not label_after:
            for i in range(last + 1, len(blocks)):
                heading[i] = True
    return heading


def _front_matter(text: str, blocks: list[_Block], raws: list[list[_Raw]]) -> set[int]:
    """Blocks of an unlabelled file's title matter: title, dek, byline, divider, disclaimer."""
    filled = [i for i, block_raws in enumerate(raws) if block_raws or blocks[i].kind is _Part.DIVIDER]
    if not filled:
        return set()
    first = filled[0]
    front: set[int] = set()
    k = first
    if blocks[first].kind is _Part.HEADING:
        for j in range(first, min(first + _TITLE_BLOCK_PARTS, len(blocks))):
            if blocks[j].kind is _Part.DIVIDER:
                front.update(range(first, j + 1))
                k = j + 1
                break
    while k < len(blocks):
        block = blocks[k]
        if block.kind in (_Part.HEADING, _Part.DIVIDER) or not raws[k]:
            pass
        elif not (_is_byline(text, block) or _is_emphasised(text, block)):
            break
        front.add(k)
        k += 1
    return front


def _is_byline(text: str, block: _Block) -> bool:
    """A one-line paragraph with a date or "by Name": "11 September 2024 | by PAUL MIDDLEBROOKS"."""
    line = text[block.start : block.end].strip().strip("*_")
    if block.kind is not _Part.TEXT or "\n" in line or "\r" in line or len(line.split()) > 12:
        return False
    return bool(_DATE.search(line) or _BY.search(line))


def _is_emphasised(text: str, block: _Block) -> bool:
    """A paragraph that is one emphasis span from end to end (an italic disclaimer)."""
    body = text[block.start : block.end].strip()
    for mark in ("**", "__", "*", "_"):
        inner = body[len(mark) : -len(mark)]
        if len(body) > 2 * len(mark) and body.startswith(mark) and body.endswith(mark) and mark[0] not in inner:
            return block.kind is _Part.TEXT
    return False


# --- tokens -------------------------------------------------------------------------


_WORD_RUN = re.compile(r"[^\s\u200b]\S*")
"""A word as the loop in :func:`_tokenize` finds it: a zero-width space may not start one, only continue it."""


def _tokenize(text: str, work: str, block: _Block, *, markdown: bool) -> list[_Raw]:
    """Tokens of one heading or paragraph: words, notes, lone punctuation joined."""
    start, end = block.start, block.end
    hidden = bytearray(end - start)  # 1: markup, not shown
    literal = bytearray(end - start)  # 1: escaped or code, never markup
    notes: dict[int, int] = {}
    _mark_timestamps(work, start, end, hidden)
    if markdown:
        _mark_escapes_and_code(work, start, end, hidden, literal)
        _mark_html(work, start, end, hidden, literal)
        _mark_links(work, start, end, hidden, literal)
    _mark_notes(work, start, end, hidden, literal, notes, markdown=markdown)
    if markdown:
        _mark_emphasis(work, start, end, hidden, literal, notes)

    if not notes and not any(hidden):  # most paragraphs: no markup, no notes; words are runs of non-space
        raws = [
            _Raw(TokenKind.WORD, piece)
            for match in _WORD_RUN.finditer(work, start, end)
            for piece in _split_dashes(text, list(range(match.start(), match.end())))
        ]
        return _join_lone_punctuation(text, work, raws, hidden, start)

    raws: list[_Raw] = []
    word: list[int] = []

    def flush() -> None:
        if word:
            raws.extend(_Raw(TokenKind.WORD, piece) for piece in _split_dashes(text, word))
            word.clear()

    i = start
    while i < end:
        if i in notes:
            flush()
            raws.append(_Raw(TokenKind.NOTE, tuple(range(i, notes[i]))))
            i = notes[i]
            continue
        if not hidden[i - start]:
            # A zero-width space inside a word (pasted from the web) stays in it, invisible:
            # splitting there would show "wel come" for "wel\u200bcome" in the captions.
            if work[i].isspace() or (work[i] == "\u200b" and not word):
                flush()
            else:
                word.append(i)
        i += 1
    flush()
    return _join_lone_punctuation(text, work, raws, hidden, start)


def _free(hidden: bytearray, literal: bytearray, offset: int, a: int, b: int) -> bool:
    return not any(hidden[a - offset : b - offset]) and not any(literal[a - offset : b - offset])


def _mark_timestamps(work: str, start: int, end: int, hidden: bytearray) -> None:
    """[00:12:34] and (12:34) are editing aids, not speech: drop them."""
    for match in _TIMESTAMP.finditer(work, start, end):
        for k in range(match.start() - start, match.end() - start):
            hidden[k] = 1


def _mark_escapes_and_code(work: str, start: int, end: int, hidden: bytearray, literal: bytearray) -> None:
    """Backslash escapes show the next character literally; code spans lose their backticks."""
    i = start
    while i < end:
        if work[i] == "\\" and not literal[i - start]:
            following = work[i + 1] if i + 1 < end else "\n"
            if following in _ASCII_PUNCT:
                hidden[i - start] = 1
                literal[i + 1 - start] = 1
                i += 2
                continue
            if following in "\r\n":
                hidden[i - start] = 1  # a hard line break
        i += 1
    runs = [m for m in _BACKTICKS.finditer(work, start, end) if not literal[m.start() - start]]
    k = 0
    while k < len(runs):
        opener = runs[k]
        closer_at = next((j for j in range(k + 1, len(runs)) if len(runs[j].group()) == len(opener.group())), None)
        if closer_at is None:
            k += 1
            continue
        closer = runs[closer_at]
        for p in range(opener.start(), opener.end()):
            hidden[p - start] = 1
        for p in range(closer.start(), closer.end()):
            hidden[p - start] = 1
        for p in range(opener.end(), closer.start()):
            literal[p - start] = 1
        k = closer_at + 1


def _mark_html(work: str, start: int, end: int, hidden: bytearray, literal: bytearray) -> None:
    """Autolinks keep their URL as a word; inline HTML tags and footnote marks are dropped."""
    for match in _AUTOLINK.finditer(work, start, end):
        if _free(hidden, literal, start, match.start(), match.end()):
            hidden[match.start() - start] = 1
            hidden[match.end() - 1 - start] = 1
            for p in range(match.start(1), match.end(1)):
                literal[p - start] = 1
    for pattern in (_HTML_TAG, _FOOTNOTE_REF):
        for match in pattern.finditer(work, start, end):
            if _free(hidden, literal, start, match.start(), match.end()):
                for p in range(match.start(), match.end()):
                    hidden[p - start] = 1


def _closing(work: str, open_at: int, end: int, pair: str, hidden: bytearray, literal: bytearray, offset: int) -> int:
    """Index of the bracket closing the one at ``open_at`` (nesting counted), or -1."""
    depth = 0
    for p in range(open_at, end):
        if literal[p - offset] or hidden[p - offset]:
            continue
        if work[p] == pair[0]:
            depth += 1
        elif work[p] == pair[1]:
            depth -= 1
            if depth == 0:
                return p
    return -1


def _mark_links(work: str, start: int, end: int, hidden: bytearray, literal: bytearray) -> None:
    """``[text](url)`` and ``[text][ref]`` keep only their text; images vanish."""
    p = start
    while p < end:
        if work[p] != "[" or literal[p - start] or hidden[p - start]:
            p += 1
            continue
        close = _closing(work, p, end, "[]", hidden, literal, start)
        if close < 0 or close + 1 >= end or work[close + 1] not in "([":
            p += 1
            continue
        pair = "()" if work[close + 1] == "(" else "[]"
        dest_end = _closing(work, close + 1, end, pair, hidden, literal, start)
        if dest_end < 0:
            p += 1
            continue
        if p > start and work[p - 1] == "!" and not literal[p - 1 - start]:  # image: alt text is not spoken
            for q in range(p - 1, dest_end + 1):
                hidden[q - start] = 1
            p = dest_end + 1
            continue
        hidden[p - start] = 1
        for q in range(close, dest_end + 1):
            hidden[q - start] = 1
        p += 1


def _is_note(content: str, *, bracket: bool) -> bool:
    """Whether bracketed text is a stage note rather than words.

    Brackets: text that starts with a lowercase letter ("[laughs]", "[inaudible
    00:12]") or a known note word in any case ("[Music]"). Parentheses are
    ordinary prose far more often, so only known note words of up to three
    words count there ("(laughs)", "(clears throat)").
    """
    words = content.split()
    if not words:
        return False
    known = words[0].casefold().strip(".,") in _KNOWN_NOTES
    if bracket:
        return known or (content[0].isalpha() and content[0].islower())
    return known and len(words) <= 3 and content == content.strip()


def _mark_notes(
    work: str, start: int, end: int, hidden: bytearray, literal: bytearray, notes: dict[int, int], *, markdown: bool
) -> None:
    for pattern, bracket in ((_BRACKET_NOTE, True), (_PAREN_NOTE, False)):
        for match in pattern.finditer(work, start, end):
            a, b = match.start(), match.end()
            if not _free(hidden, literal, start, a, b):
                continue
            if any(a < note_end and note_start < b for note_start, note_end in notes.items()):
                continue
            if _is_note(match.group(1), bracket=bracket):
                notes[a] = b
                for p in range(a, b):
                    literal[p - start] = 1


def _is_punct(c: str) -> bool:
    return unicodedata.category(c)[0] in "PS"


def _mark_emphasis(
    work: str, start: int, end: int, hidden: bytearray, literal: bytearray, notes: dict[int, int]
) -> None:
    """Hide ``*``/``_`` runs that open and close emphasis (CommonMark flanking rules, simplified).

    A run opens if it is left-flanking and closes if right-flanking; ``_`` inside
    a word ("snake_case") does neither. Runs pair with the nearest open run of
    the same character; unpaired runs stay as literal characters ("5 * 3").
    """
    stack: list[re.Match[str]] = []
    for run in _EMPHASIS_RUN.finditer(work, start, end):
        a, b = run.start(), run.end()
        if not _free(hidden, literal, start, a, b):
            continue
        before = work[a - 1] if a > start else " "
        after = work[b] if b < end else " "
        left = not after.isspace() and (not _is_punct(after) or before.isspace() or _is_punct(before))
        right = not before.isspace() and (not _is_punct(before) or after.isspace() or _is_punct(after))
        if run.group()[0] == "_":
            can_open = left and (not right or _is_punct(before))
            can_close = right and (not left or _is_punct(after))
        else:
            can_open, can_close = left, right
        opener = next((k for k in range(len(stack) - 1, -1, -1) if stack[k].group()[0] == run.group()[0]), None)
        if can_close and opener is not None:
            for p in (*range(stack[opener].start(), stack[opener].end()), *range(a, b)):
                hidden[p - start] = 1
            del stack[opener:]
        elif can_open:
            stack.append(run)


def _split_dashes(text: str, chars: list[int]) -> list[tuple[int, ...]]:
    """Split a word after a dash that joins it to the next word; the dash stays left.

    "it's—what" -> "it's—", "what"; "how--So" -> "how--", "So". A leading dash
    ("—what", "-a") and a final one ("how--") split nothing, and an en dash
    between digits is a range ("1990–1995").
    """
    pieces: list[tuple[int, ...]] = []
    first = 0
    k = 0
    while k < len(chars):
        c = text[chars[k]]
        if c in _DASHES or (c == "-" and k + 1 < len(chars) and text[chars[k + 1]] == "-"):
            run_end = k + 1
            while run_end < len(chars) and (text[chars[run_end]] == c or (c == "-" and text[chars[run_end]] == "-")):
                run_end += 1
            if k > first and run_end < len(chars):
                before, after = text[chars[k - 1]], text[chars[run_end]]
                is_range = c == "\u2013" and run_end == k + 1 and before.isdigit() and after.isdigit()
                if (after.isalnum() or after in _OPENERS) and not is_range:
                    pieces.append(tuple(chars[first:run_end]))
                    first = run_end
            k = run_end
            continue
        k += 1
    pieces.append(tuple(chars[first:]))
    return pieces


def _join_lone_punctuation(text: str, work: str, raws: list[_Raw], hidden: bytearray, offset: int) -> list[_Raw]:
    """Attach punctuation-only words to a neighbour on the same line (see the module docstring)."""

    def lone(raw: _Raw) -> bool:
        return raw.kind is TokenKind.WORD and not any(text[i].isalnum() for i in raw.chars)

    def same_line(a: _Raw, b: _Raw) -> bool:
        gap = work[a.chars[-1] + 1 : b.chars[0]]
        return "\n" not in gap and "\r" not in gap

    def join(a: _Raw, b: _Raw) -> _Raw:
        between = tuple(i for i in range(a.chars[-1] + 1, b.chars[0]) if not hidden[i - offset])
        return _Raw(TokenKind.WORD, a.chars + between + b.chars)

    out: list[_Raw] = []
    pending: _Raw | None = None

    def settle(p: _Raw) -> None:
        if out and out[-1].kind is TokenKind.WORD and same_line(out[-1], p):
            out[-1] = join(out[-1], p)
        else:
            out.append(p)

    for raw in raws:
        if lone(raw):
            if pending is not None and same_line(pending, raw):
                pending = join(pending, raw)
                continue
            if pending is not None:
                settle(pending)
                pending = None
            opener = all(text[i] in _OPENERS for i in raw.chars)
            if not opener and out and out[-1].kind is TokenKind.WORD and same_line(out[-1], raw):
                out[-1] = join(out[-1], raw)
            else:
                pending = raw
            continue
        if pending is not None:
            if raw.kind is TokenKind.WORD and same_line(pending, raw):
                raw = join(pending, raw)
            else:
                settle(pending)
            pending = None
        out.append(raw)
    if pending is not None:
        settle(pending)
    return out
