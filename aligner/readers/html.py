"""Web pages (.html, .htm) and HTML pasted into a ``.md`` -> :class:`~aligner.types.Transcript`.

A transcript page saved from a browser is mostly not transcript: a head,
scripts, styles, a site header, navigation, a footer. Inside it, the
transcript is paragraphs, speaker names in bold or in a
``<span class="speaker">``, and entities (``I&rsquo;m``). The standard
library's :class:`html.parser.HTMLParser` tokenizes it (tags, attributes,
comments, entities, ``<script>``/``<style>`` content as raw text) as a browser
would, so no dependency is needed; what it does not do, inferring the end
tags HTML lets a page leave out (``<p>one<p>two``, ``<li>``, ``<td>``), is
done here for the elements that matter.

The page is rendered to its *plain text*, which :func:`html_text` returns and
which token spans (``start_char``/``end_char``) index: each block's text with
tags removed, entities decoded and runs of spaces, tabs and line breaks
collapsed to one space (as a browser shows it; ``<pre>`` keeps its own), a
``<br>`` as ``\\n``, and blocks joined by a blank line (``\\n\\n``), as the
.docx reader joins paragraphs. So ``<p>R&amp;D</p>`` gives the token ``R&D``
spanning 3 characters of the plain text, not 7 of the file.

Decisions worth knowing:

- **Blocks**: ``p``, ``div``, ``li``, ``h1``-``h6``, ``blockquote``, ``td``,
  ``dt`` and the other block elements each start a paragraph; two ``<br>`` in
  a row do too (old pages separate paragraphs that way); ``<hr>`` is a
  divider (the closing line after a final one is heading matter, as after
  ``---`` in Markdown).
- **Skipped**: ``<head>``, ``<script>``, ``<style>``, ``<nav>``, ``<aside>``,
  ``<noscript>``, ``<template>``, ``<svg>``, form controls, media fallback
  text, comments, and ``<header>``/``<footer>`` when they are page chrome,
  that is, not inside an ``<article>``, ``<main>`` or ``<section>`` (an
  article's own ``<header>`` holds its title). A page with a ``<main>`` is
  read inside it only. Images are not words (no ``alt`` text).
- **Speaker labels** (read by :func:`aligner.readers.speakers.speaker_label`,
  as in every reader, so a label may carry a role: ``<strong>Casey
  (caller):</strong>``, ``<span class="speaker">Priya Mehta, host</span>``
  and ``<b>Casey</b> (caller):`` are spoken by "Casey" or "Priya Mehta",
  with the role kept apart): an element whose class names
  a speaker (``speaker``, ``speaker-name``, ``transcript__speaker``; not
  ``speaker-turn``, a container) at a paragraph's start, or a whole paragraph
  so marked (``<p class="speaker">``); bold (``<b>``, ``<strong>``) at a
  paragraph's start that ends with or is followed by a colon
  (``<b>Kofi:</b>``, ``<b>Kofi</b>:``) or fills the paragraph or its first
  line (``<p><b>Kofi Sarpong</b><br>Honestly...``); and an ``h3``-``h6``
  that is a name; and a paragraph holding only a bracketed role
  (``<p>[caller]</p>``, :func:`aligner.readers.speakers.role_label`), a turn
  by the speaker "Caller". These are labels on sight, like Markdown's
  ``**Name**``. A plain ``Name:`` and an ``h1``/``h2`` name need the
  evidence Markdown asks for: the name is used as a label twice, or
  (``Name:``) the page has other labels and the name is distinctive ("Kofi
  Sarpong", "KOFI") or the label carries a role ("Casey (caller):"); and,
  by Markdown's structure rule (every paragraph opens a turn here), every
  plain ``Name:`` once one is a label, or, with no labels at all, when they
  name two or more speakers and open at least half of the paragraphs from
  the first on (each of two speakers talks once).
- **Heading matter**, as in Markdown: headings that are not labels (section
  titles too), everything before the first label when there are labels, and
  the closing matter after a final ``<hr>``.
- ``[music]``-style notes, dashes and ``[00:12:34]`` stamps inside the text
  mean what they mean in plain text (:mod:`aligner.readers.inline`), and a
  page whose paragraphs are timestamped speaker lines ("Jane (00:01:02):
  ...") is read as that format, on the plain text, as a .docx is.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from aligner.errors import TranscriptError
from aligner.readers.build import Paragraph, Part, build_transcript, closing_start
from aligner.readers.inline import tokenize_spans
from aligner.readers.speakers import Label, is_distinctive, role_label, speaker_label
from aligner.readers.timestamped import MIN_STAMPED_LABELS, count_stamped_labels, parse_timestamped_text
from aligner.types import TokenKind, Transcript

__all__ = ["html_text", "looks_like_html", "parse_html"]

_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_BLOCKS = frozenset(
    """address article aside blockquote body caption center dd details dialog dir div dl dt fieldset
    figcaption figure footer form header hgroup hr html li main menu nav ol p pre section summary table
    tbody td tfoot th thead tr ul""".split()
) | frozenset(_HEADINGS)
_SKIPPED = frozenset(
    """head title script style nav aside noscript template svg math button select textarea option
    iframe object canvas audio video map datalist""".split()
)
_CHROME = frozenset({"header", "footer"})  # skipped unless inside a sectioning element
_SECTIONING = frozenset({"article", "main", "section"})
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_HEAD_CONTENT = frozenset({"title", "meta", "link", "style", "script", "base", "noscript", "template"})
_BOLD = frozenset({"b", "strong"})
_P, _HEAD, _MAIN, _PRE = frozenset({"p"}), frozenset({"head"}), frozenset({"main"}), frozenset({"pre"})
# An open element of the first group is closed by a start tag of the second, unless a container
# of the third was opened after it: "<li>one<li>two", "<td>a<td>b".
_IMPLIED_ENDS = (
    (frozenset({"li"}), frozenset({"li"}), frozenset({"ul", "ol", "menu"})),
    (frozenset({"dt", "dd"}), frozenset({"dt", "dd"}), frozenset({"dl"})),
    (frozenset({"td", "th"}), frozenset({"td", "th", "tr"}), frozenset({"table"})),
    (frozenset({"tr"}), frozenset({"tr"}), frozenset({"table"})),
)
_SPEAKER_CLASSES = ("speaker", "speakername", "speakerlabel")  # a class token ending so, less - and _
_SPACE = re.compile(r"[ \t\n\r\f]+")
_COLON_LABEL = re.compile(r"^(?P<name>[^\s:\[\]()][^:\n]{0,39}?):(?=\s|$)")
_ROLE_AFTER = re.compile(r" ?\([^():\n]{1,30}\) ?:")  # "<b>Casey</b> (caller): ...": the role outside the bold
_ROLE_BLOCK = re.compile(r"^\[(?P<role>[^\[\]\n]{1,30})\]$")  # "<p>[caller]</p>"
_DOCUMENT_START = re.compile(
    r"^\ufeff?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL
)
_BLOCK_TAG_LINE = re.compile(
    r"^\s*</?(?:p|div|h[1-6]|li|ul|ol|dl|dt|dd|blockquote|pre|table|thead|tbody|tr|td|th|section|article"
    r"|main|header|footer|nav|aside|figure|figcaption|br|hr|body|head|html)(?=[\s>/])",
    re.IGNORECASE,
)

_UNFINISHED = re.compile(r"<[a-zA-Z!/?]")

_BOLD_FLAG = 1
_SPEAKER_FLAG = 2


def looks_like_html(text: str) -> bool:
    """Whether text is an HTML document rather than Markdown with some inline HTML.

    It is when it starts ``<!doctype html`` or ``<html`` (after an XML
    declaration or comments), or when most of its non-blank lines start with
    a block tag (``<p>``, ``</div>``, ``<h2 class=...>``): HTML pasted into a
    ``.md``. A Markdown file with a ``<br>`` or a ``<div>`` here and there is
    not HTML; the Markdown reader keeps it.
    """
    if _DOCUMENT_START.match(text):
        return True
    lines = [line for line in text.splitlines() if line.strip()]
    tagged = sum(1 for line in lines if _BLOCK_TAG_LINE.match(line))
    return 2 * tagged > len(lines)


# --- pass one: the page's blocks ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Block:
    """One paragraph of the page's plain text: its text, per-character marks and what kind it is.

    ``flags`` holds, per character of ``text``, ``_BOLD_FLAG`` and
    ``_SPEAKER_FLAG`` bits. ``heading`` is 1-6 for ``h1``-``h6``, 0 otherwise;
    ``marked`` means the whole block is a speaker element
    (``<p class="speaker">``).
    """

    text: str
    flags: bytes
    heading: int = 0
    marked: bool = False
    divider: bool = False
    in_main: bool = False


@dataclass(frozen=True, slots=True)
class _Open:
    """An element the parser is inside."""

    tag: str
    speaker: bool


def _is_speaker_class(attrs: list[tuple[str, str | None]]) -> bool:
    classes = " ".join(value or "" for name, value in attrs if name == "class").lower().split()
    return any(token.replace("-", "").replace("_", "").endswith(_SPEAKER_CLASSES) for token in classes)


class _PageReader(HTMLParser):
    """Collects a page's blocks (see the module docstring); entities arrive decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[_Block] = []
        self._open: list[_Open] = []
        self._chars: list[str] = []
        self._flags = bytearray()

    # The state an element stack gives: recomputed per event, the stack is a few elements deep.

    def _has(self, tags: frozenset[str]) -> bool:
        return any(element.tag in tags for element in self._open)

    def _skipping(self) -> bool:
        for depth, element in enumerate(self._open):
            if element.tag in _SKIPPED:
                return True
            if element.tag in _CHROME and not any(e.tag in _SECTIONING for e in self._open[:depth]):
                return True
        return False

    def _close(self, tag: str) -> None:
        """Close the innermost open ``tag`` and everything opened inside it; no-op if none is open."""
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth].tag == tag:
                del self._open[depth:]
                return

    def _close_implied(self, tag: str) -> None:
        if tag in _BLOCKS and self._has(_P):
            self._close("p")
        if tag == "body" or (self._has(_HEAD) and tag not in _HEAD_CONTENT):
            self._close("head")
        for closed, by, scope in _IMPLIED_ENDS:
            if tag not in by:
                continue
            for depth in range(len(self._open) - 1, -1, -1):
                if self._open[depth].tag in scope:
                    break
                if self._open[depth].tag in closed:
                    del self._open[depth:]
                    break

    def flush(self) -> None:
        """End the paragraph being collected (trimmed of spaces); drop it if it is empty."""
        text = "".join(self._chars)
        start = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        if start < end and not self._skipping():
            heading = max((_HEADINGS.get(e.tag, 0) for e in self._open), default=0)
            marked = any(e.speaker and e.tag in _BLOCKS for e in self._open)
            self.blocks.append(
                _Block(text[start:end], bytes(self._flags[start:end]), heading, marked, in_main=self._in_main())
            )
        self._chars.clear()
        self._flags.clear()

    def _in_main(self) -> bool:
        return self._has(_MAIN)

    def _append(self, text: str, flags: int, *, collapse: bool) -> None:
        for c in text:
            if collapse and c == " " and (not self._chars or self._chars[-1] in " \n"):
                continue  # one space, none at a paragraph's or a line's start
            self._chars.append(c)
            self._flags.append(flags)

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        """``<![if !supportLists]>`` (Word's saved pages) as html.parser reads it; ``<![bogus[`` as a comment.

        html.parser raises AssertionError on a marked section keyword it does
        not know, where a browser skips the thing as a bogus comment; so does
        this reader.
        """
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            return self.parse_bogus_comment(i, report)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.flush()  # before the implied ends: "<p class=speaker>Kofi<p>" ends a marked paragraph
        self._close_implied(tag)
        if tag == "br":
            self._line_break()
        elif tag == "hr" and not self._skipping():
            self.blocks.append(_Block("", b"", divider=True, in_main=self._in_main()))
        if tag not in _VOID:
            self._open.append(_Open(tag, _is_speaker_class(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:  # "<div/>" in XHTML: opened and closed
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.flush()
        if tag == "br":  # "</br>" is read as "<br>", as browsers do
            self._line_break()
        self._close(tag)

    def _line_break(self) -> None:
        if self._skipping():
            return
        while self._chars and self._chars[-1] == " ":
            self._chars.pop()
            self._flags.pop()
        if self._chars and self._chars[-1] == "\n":
            self._chars.pop()  # a second <br> in a row: a new paragraph
            self._flags.pop()
            self.flush()
        elif self._chars:
            self._chars.append("\n")
            self._flags.append(0)

    def handle_data(self, data: str) -> None:
        if self._skipping():
            return
        pre = self._has(_PRE)
        if pre:
            text = data.replace("\r\n", "\n").replace("\r", "\n").replace("\f", " ")
        else:
            text = _SPACE.sub(" ", data)
        bold = _BOLD_FLAG if self._has(_BOLD) else 0
        speaker = _SPEAKER_FLAG if any(e.speaker and e.tag not in _BLOCKS for e in self._open) else 0
        self._append(text, bold | speaker, collapse=not pre)


def _read_blocks(text: str, path: str) -> list[_Block]:
    reader = _PageReader()
    try:
        reader.feed(text)
        if _UNFINISHED.match(reader.rawdata):  # a tag or comment cut off by the end of the file
            reader.rawdata = ""  # shows nothing in a browser; html.parser would give it as text
        reader.close()
    except AssertionError as error:  # html.parser's own complaints about declarations it cannot parse
        raise TranscriptError(path, f"is not readable HTML ({error})") from None
    reader.flush()
    blocks = reader.blocks
    if any(block.in_main for block in blocks):
        blocks = [block for block in blocks if block.in_main]
    return blocks


def _plain(blocks: list[_Block]) -> tuple[str, list[int]]:
    """The plain text of the blocks and each text block's offset in it (dividers: -1)."""
    offsets: list[int] = []
    pieces: list[str] = []
    at = 0
    for block in blocks:
        if block.divider:
            offsets.append(-1)
            continue
        if pieces:
            pieces.append("\n\n")
            at += 2
        offsets.append(at)
        pieces.append(block.text)
        at += len(block.text)
    return "".join(pieces), offsets


def html_text(text: str, *, path: str = "<string>") -> str:
    """The plain text that an HTML transcript's token spans index (see the module docstring).

    Raises:
        TranscriptError: html.parser cannot read a marked section.
    """
    return _plain(_read_blocks(text, path))[0]


# --- pass two: labels, headings, paragraphs -----------------------------------------------------


class _Form(enum.Enum):
    """How a label candidate was written, which decides the evidence it needs."""

    MARKUP = "markup"  # bold, a speaker class or a bracketed role alone: a label on sight
    HEADING = "heading"  # h3-h6 holding a name: on sight
    HEADING12 = "heading12"  # h1/h2 holding a name: used twice
    COLON = "colon"  # plain "Name:": used twice, or distinctive beside other labels


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A block that may open with a speaker label: the name and any role, its form, and where its text starts."""

    label: Label
    form: _Form
    content: int  # offset in the block's text where the speech starts


def _markup_label(block: _Block) -> tuple[str, int] | None:
    """(name text, content offset) of a bold or speaker-marked run opening the block.

    Worked example: ``<p><b>Kofi Sarpong</b>: Honestly,</p>`` has the text
    ``Kofi Sarpong: Honestly,`` with the first 12 characters bold; the run is
    followed by a colon, so the name is "Kofi Sarpong" and the speech starts
    after ": " (offset 14). ``<p><b>Casey</b> (caller): Hi</p>`` takes the
    role after the run with it ("Casey (caller)", offset 16).
    ``<p><b>Note</b> that...</p>`` is no label: the run has no colon and
    does not fill the paragraph or its first line.
    """
    text, flags = block.text, block.flags
    if block.marked:
        return text.rstrip(":").rstrip(), len(text)
    kind = _SPEAKER_FLAG if flags[0] & _SPEAKER_FLAG else _BOLD_FLAG  # a speaker span, else bold
    run = 0
    while run < len(text) and (flags[run] & kind or text[run] == " "):
        run += 1
    while run and text[run - 1] == " ":
        run -= 1
    if not run:
        return None
    leading = text[:run]
    speaker = kind == _SPEAKER_FLAG
    colon = leading.find(":")
    if colon > 0 and not speaker:
        return leading[:colon], colon + 1
    rest = text[run:]
    role = _ROLE_AFTER.match(rest)
    if role and ":" not in leading:
        return leading + rest[: role.end() - 1].rstrip(), run + role.end()
    if rest.lstrip(" ").startswith(":"):
        return leading, run + rest.index(":") + 1
    if speaker or not rest or rest.startswith("\n"):
        return leading.rstrip(":"), run
    return None


def _candidate(block: _Block) -> _Candidate | None:
    if block.divider:
        return None
    if block.heading:
        label = speaker_label(block.text.rstrip(":"))
        form = _Form.HEADING if block.heading >= 3 else _Form.HEADING12
        return _Candidate(label, form, len(block.text)) if label else None
    role = _ROLE_BLOCK.match(block.text)
    label = role_label(role.group("role")) if role else None
    if label:
        return _Candidate(label, _Form.MARKUP, len(block.text))
    found = _markup_label(block)
    if found is not None:
        label = speaker_label(found[0])
        if label:
            return _Candidate(label, _Form.MARKUP, found[1])
    colon = _COLON_LABEL.match(block.text)
    if colon:
        label = speaker_label(colon.group("name"))
        if label:
            return _Candidate(label, _Form.COLON, colon.end())
    return None


def _accepted(candidates: list[_Candidate | None], paragraphs: list[bool]) -> list[bool]:
    """Which candidates are labels: the rule of :func:`aligner.readers.markdown` for each form.

    ``paragraphs[i]``: block ``i`` is a text paragraph (not a heading or a
    divider). Every block opens a turn here (a label is only looked for at a
    paragraph's start), so Markdown's structure rule for ``Name:`` reads: where
    a plain ``Name:`` is a label, every plain ``Name:`` is one (a caller who
    talks once); with no labels at all, plain ``Name:`` openings are labels
    when they name two or more speakers and open at least half of the
    paragraphs from the first of them on (each of two speakers talks once).
    """
    counts: dict[str, int] = {}
    for found in candidates:
        if found is not None:
            counts[found.label.name] = counts.get(found.label.name, 0) + 1
    accepted = [
        found is not None and (found.form in (_Form.MARKUP, _Form.HEADING) or counts[found.label.name] >= 2)
        for found in candidates
    ]
    colons = [i for i, found in enumerate(candidates) if found is not None and found.form is _Form.COLON]
    if not any(accepted) and colons:
        names = {found.label.name for found in candidates if found is not None and found.form is _Form.COLON}
        if len(names) >= 2 and 2 * len(colons) >= sum(paragraphs[colons[0] :]):
            return [i in colons for i in range(len(candidates))]
    if any(accepted[i] for i in colons):
        return [ok or i in colons for i, ok in enumerate(accepted)]
    if any(accepted):
        accepted = [
            ok
            or (
                found is not None
                and found.form is _Form.COLON
                and (found.label.role is not None or is_distinctive(found.label.name))
            )
            for ok, found in zip(accepted, candidates)
        ]
    return accepted


def parse_html(text: str, *, path: str = "<string>") -> Transcript:
    """Parse an HTML transcript (see the module docstring).

    Args:
        text: the decoded file.
        path: the name used in errors and recorded on the result.

    Returns:
        The transcript; token spans index :func:`html_text`'s plain text.

    Raises:
        TranscriptError: html.parser cannot read the page, or it holds no words.
    """
    blocks = _read_blocks(text, path)
    plain, offsets = _plain(blocks)
    if count_stamped_labels(plain) >= MIN_STAMPED_LABELS:
        return parse_timestamped_text(plain, path=path, markdown=False)
    candidates = [_candidate(block) for block in blocks]
    accepted = _accepted(
        candidates, [not block.heading and not block.divider and bool(block.text.strip()) for block in blocks]
    )

    # (part, span in the plain text, speaker for a label); a label with speech after it is two parts.
    parts: list[tuple[Part, int, int, Label | None]] = []
    for block, at, found, is_label in zip(blocks, offsets, candidates, accepted):
        if block.divider:
            parts.append((Part.DIVIDER, 0, 0, None))
        elif is_label and found is not None:
            parts.append((Part.LABEL, at, at + found.content, found.label))
            if block.text[found.content :].strip():
                parts.append((Part.TEXT, at + found.content, at + len(block.text), None))
        else:
            kind = Part.HEADING if block.heading else Part.TEXT
            parts.append((kind, at, at + len(block.text), None))

    spoken = [(start, end) if part in (Part.TEXT, Part.HEADING) else (0, 0) for part, start, end, _ in parts]
    raws = tokenize_spans(plain, spoken, markdown=False, path=path)
    kinds = [part for part, _, _, _ in parts]
    heading = [part is Part.HEADING for part in kinds]
    if Part.LABEL in kinds:
        for i in range(kinds.index(Part.LABEL)):
            heading[i] = True
    has_words = [any(raw[0] is TokenKind.WORD for raw in tokens) for tokens in raws]
    closing = closing_start(kinds, [w and not h for w, h in zip(has_words, heading)])
    if closing is not None:
        for i in range(closing, len(parts)):
            heading[i] = True

    paragraphs: list[Paragraph] = []
    speakers: list[str] = []
    roles: list[tuple[str, str]] = []
    speaker: str | None = None
    for (part, _, _, label), tokens, is_heading in zip(parts, raws, heading):
        if part is Part.LABEL:
            if label is not None:
                speaker = label.name
                speakers.append(speaker)
                if label.role is not None:
                    roles.append((speaker, label.role))
        elif part is not Part.DIVIDER:
            paragraphs.append(
                Paragraph(
                    speaker=speaker,
                    tokens=tuple(tokens),
                    is_heading=is_heading,
                    is_section_title=part is Part.HEADING,
                )
            )
    return build_transcript(path, paragraphs, speakers, roles)
