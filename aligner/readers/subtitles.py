"""Existing captions (SRT, WebVTT) as a transcript: re-timing captions made for an earlier cut.

A producer who re-edits an episode has captions that no longer fit it. Their
words are the transcript; their times are roughly right, or right but shifted
where audio was inserted or removed. So each cue's text becomes a paragraph
and its start time a :class:`~aligner.types.Stamp` on its first word, a hint
the aligner checks against the words and drops when they disagree.

What is kept and what is dropped:

- **Words** are the cue text as written, after removing markup and decoding
  character references: WebVTT tags (``<i>``, ``<b>``, ``<c.yellow>``,
  ``<v Name>``, ``<lang en>``, ruby text, karaoke times) and SRT's ``<i>``,
  ``<b>``, ``<u>``, ``<s>``, ``<font ...>`` and ``{\\an8}`` overrides;
  ``&amp;`` ``&lt;`` ``&gt;`` ``&nbsp;`` and numeric and other HTML named
  references. An SRT ``<`` that opens no known tag stays text (SRT has no
  escaping). Notes (``[music]``, ``(laughs)``), dashes and punctuation are
  tokenized exactly as in Markdown. Direction marks (``&lrm;``) are dropped.
- **Line marks**: a ``>>`` opening a cue line marks a change of speaker and
  is dropped. A dash opening a line (``- ``, ``— ``) is a dialogue mark, and
  dropped, only in a cue with two or more such lines with words after the
  dash (``- Is it?`` / ``- Yes.``); alone, it is the text's own dash
  (``— and then``). A dash or ``>>`` before a ``Name:`` that is taken as a
  speaker goes with the name.
- **Speakers** come from ``<v Name>`` (that cue only, as WebVTT defines it)
  or from a ``Name:`` at the start of a cue line, which holds until the next
  one (how SRT names speakers, and how our own SRT writer does). Such a name
  is taken as a speaker when it has several words, is in capitals or carries
  a role, when it is used twice, or, at the start of a cue, when the file
  names other speakers; otherwise "Remember: ..." stays text. A WebVTT file
  that names its speakers with ``<v>`` (Teams, our own writer) has no other
  way of naming them, so there ``Name:``, ``>>`` and dashes are all text.
- **Roles**: a label's name and role are read by
  :func:`~aligner.readers.speakers.speaker_label`, as in every reader:
  ``Casey (caller): Hi.`` is spoken by "Casey", role "caller";
  ``Priya Mehta, host:`` by "Priya Mehta", role "host"; Zoom's display name
  with pronouns ``Sam Carter (she/her):`` by "Sam Carter", no role. A
  ``<v>`` annotation is read the same way, so Teams' ``<v Sam Carter
  (Guest)>`` is "Sam Carter" with the role "Guest" (as written): Teams adds
  "(Guest)" (or "(External)") to the display name of someone from outside
  the meeting's organisation, which is a note about the person, not their
  name, and kept in the name it would show in every caption voice and make
  two speakers of one where a cue lacks it. An annotation that is no label
  (``<v jmiller>``) is the speaker's name as written: a ``<v>`` is a voice
  by definition.
- **Zoom's layout**: when every cue of the file opens with a ``X:`` (X up
  to 40 characters, not a sentence opener such as "Note") and some X opens
  two or more cues, every such X is a speaker, name-shaped or not (display
  names such as ``jmiller`` or ``Sam's iPhone``): Zoom opens every cue with
  its speaker's display name, and prose does not open every cue with a
  colon. A file with one cue that does not open so is read by the rules
  above.
- **Rolling captions** (YouTube's automatic captions, broadcast roll-up):
  each cue repeats the last line(s) of the one before it and adds a line,
  and short "transition" cues repeat a line alone. The file is taken to roll
  when at least half of its cues of two or more lines, and at least two,
  begin with the last line(s) of the cue before and add to them; this is a
  guess from the shape, never from the name of the file. Then every cue's leading lines
  that repeat the cue before are dropped (a cue that only repeats is no
  paragraph), so each word is read once, and its inline ``<00:00:01.500>``
  times stamp it (YouTube times every word after a line's first). Example
  (one cue a row, its lines split by "/")::

      00:00:01.000 --> 00:00:03.000      hello<00:00:01.500><c> and</c>
      00:00:03.000 --> 00:00:03.010      hello and
      00:00:03.010 --> 00:00:05.000      hello and / welcome<00:00:03.400><c> back</c>
      00:00:05.000 --> 00:00:05.010      welcome back
      00:00:05.010 --> 00:00:06.000      welcome back / bye

  rolls (both cues of two lines begin with the line before) and reads
  "hello and welcome back bye", stamped 1000, 1500, 3010, 3400 and 5010 ms.
- **Times**: each cue's start stamps its first token; a karaoke cue's inline
  ``<00:00:01.250>`` stamps the word after it. Cue end times are not used.
- **Spans** (``start_char``/``end_char``) index the decoded file: a token
  decoded from ``R&amp;D`` spans those seven characters and reads ``R&D``.
- Each cue (and each speaker's part of a cue) is a paragraph.
- WebVTT ``NOTE``, ``STYLE`` and ``REGION`` blocks are skipped; a missing
  ``WEBVTT`` header is forgiven when there are cues. An SRT cue's text may
  hold blank lines (some editors write them): text up to the next cue. A
  WebVTT line of spaces only ends a cue only where a blank line, a cue or
  the end of the file follows it (YouTube opens cues with a line of one
  space). A line of digits ends an SRT cue's text unless a timing line
  follows it directly: then it is the next cue's number.
"""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from aligner.errors import TranscriptError
from aligner.readers.build import Paragraph, build_transcript
from aligner.readers.inline import RawToken, tokenize_spans
from aligner.readers.speakers import NOT_NAMES, Label, is_distinctive, speaker_label
from aligner.readers.text import split_lines
from aligner.timecode import parse_clock
from aligner.types import Transcript

__all__ = ["looks_like_srt", "parse_srt_text", "parse_vtt_text"]

_CLOCK = r"(?:\d{1,3}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_TIMING = re.compile(rf"^[ \t]*(?P<start>{_CLOCK})[ \t]*-->[ \t]*(?P<end>{_CLOCK})(?:[ \t].*)?$")
_INDEX = re.compile(r"^[ \t]*\d+[ \t]*$")
_VTT_SKIPPED_BLOCK = re.compile(r"^(?:NOTE|STYLE|REGION)(?:[ \t]|$)")

_VTT_TAG = re.compile(r"<[^>\n]*>|<[^>\n]*$")
_SRT_TAG = re.compile(r"</?(?:i|b|u|s|font)(?:[ \t][^<>\n]*)?>|\{\\[^{}\n]*\}", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_INVISIBLE = frozenset("\u200e\u200f")  # left-to-right and right-to-left marks
_CHANGE_MARK = re.compile(r"[ \t]*>>+[ \t]*")
_DASH_MARK = re.compile(r"[ \t]*[-\u2010\u2013\u2014][ \t]+(?=\S)")
_PREFIX = re.compile(r"[ \t]*(?P<name>[^\s:\[\](){}][^:\n]{0,39}?):(?=\s|$)")
_LINE = re.compile(r"[^\r\n]+")


@dataclass(frozen=True, slots=True)
class _Cue:
    start_ms: int
    text_start: int  # span of the cue text in the decoded file
    text_end: int
    line: int


@dataclass(frozen=True, slots=True)
class _Prefix:
    """A ``X:`` opening a cue line: a speaker label if the rules of :func:`_accepted_prefixes` say so.

    ``start`` is where the label starts (at a dash or ``>>`` kept before the
    name), ``end`` the position after the colon; ``raw`` is X with its
    spaces collapsed, ``label`` X as :func:`~aligner.readers.speakers.speaker_label`
    reads it (None when X is not name-shaped: ``jmiller``, ``Sam's iPhone``).
    """

    start: int
    end: int
    raw: str
    label: Label | None


@dataclass(frozen=True, slots=True)
class _Decoded:
    """A cue's text as shown, with where each shown character came from.

    ``chars[i]`` came from ``source[origin[i][0]:origin[i][1]]`` (one
    character, or a whole ``&amp;``). ``voices`` are (position, speaker) of
    ``<v>`` tags, ``times`` (position, ms) of karaoke stamps, ``prefixes``
    the ``Name:`` candidates at line starts.
    """

    chars: str
    origin: tuple[tuple[int, int], ...]
    voices: tuple[tuple[int, Label], ...]
    times: tuple[tuple[int, int], ...]
    prefixes: tuple[_Prefix, ...] = ()


# --- finding cues ---------------------------------------------------------------------------


def _start_ms(match: re.Match[str], path: str, line: int) -> int:
    """The cue's start; both times must be times (an end of "00:00:75,000" is a typo to report)."""
    times = []
    for group in ("start", "end"):
        try:
            times.append(parse_clock(match.group(group)))
        except ValueError:
            raise TranscriptError(path, f"bad cue time {match.group(group)!r}", line=line) from None
    return times[0]


def looks_like_srt(text: str) -> bool:
    """Whether the first text of ``text`` is an SRT cue (an optional number, then a timing line)."""
    lines = [text[s:e] for s, e in split_lines(text[:2000]) if text[s:e].strip()][:2]
    return any(_TIMING.match(line) for line in lines) and bool(
        not lines or _INDEX.match(lines[0]) or _TIMING.match(lines[0])
    )


def _find_cues(text: str, path: str, *, vtt: bool) -> list[_Cue]:
    """Cues in order. A cue's text runs to the next blank line (SRT: to the next cue)."""
    lines = split_lines(text)
    cues: list[_Cue] = []
    k = 0
    if vtt and lines and text[lines[0][0] : lines[0][1]].startswith("WEBVTT"):
        while k < len(lines) and text[lines[k][0] : lines[k][1]].strip():
            k += 1  # the header block
    while k < len(lines):
        start, end = lines[k]
        line = text[start:end]
        if vtt and _VTT_SKIPPED_BLOCK.match(line) and (k == 0 or not text[lines[k - 1][0] : lines[k - 1][1]].strip()):
            while k < len(lines) and text[lines[k][0] : lines[k][1]].strip():
                k += 1
            continue
        timing = _TIMING.match(line)
        if not timing:
            k += 1
            continue
        start_ms = _start_ms(timing, path, k + 1)
        body = k + 1
        last = k  # last line of the cue text
        j = body
        while j < len(lines):
            content = text[lines[j][0] : lines[j][1]]
            if _TIMING.match(content):
                break
            if not content.strip():
                if _cue_ends(text, lines, j, vtt=vtt):
                    break
            else:
                last = j
            j += 1
        number_next = j < len(lines) and last == j - 1 >= body and _TIMING.match(text[lines[j][0] : lines[j][1]])
        if not vtt and number_next and _INDEX.match(text[lines[last][0] : lines[last][1]]):
            last -= 1  # the next cue's number, right before its timing line with no blank line between
        if last >= body:
            cues.append(_Cue(start_ms, lines[body][0], lines[last][1], body + 1))
        else:
            cues.append(_Cue(start_ms, end, end, k + 1))
        k = j
    return cues


def _cue_ends(text: str, lines: list[tuple[int, int]], blank: int, *, vtt: bool) -> bool:
    """Whether the blank (or all-space) line ``blank`` ends the cue text it is in.

    WebVTT: an empty line always does; a line of spaces only where the end, a
    blank line, a timing line or a cue identifier and its timing line follow
    (YouTube's cues open with a line of one space). SRT: where a cue (number
    and timing, or a timing line) or the end follows, so a blank line inside
    a cue's text (some editors write them) keeps the text together.
    """
    if vtt:
        if lines[blank][0] == lines[blank][1]:
            return True
        after = [text[s:e] for s, e in lines[blank + 1 : blank + 3]]
        return (
            not after
            or not after[0].strip()
            or bool(_TIMING.match(after[0]))
            or (len(after) > 1 and bool(_TIMING.match(after[1])))
        )
    rest = [text[s:e] for s, e in lines[blank + 1 : blank + 6] if text[s:e].strip()][:2]
    if not rest:
        return True
    return bool(_TIMING.match(rest[0]) or (len(rest) > 1 and _INDEX.match(rest[0]) and _TIMING.match(rest[1])))


# --- decoding cue text ------------------------------------------------------------------


def _decode(text: str, start: int, end: int, *, vtt: bool) -> _Decoded:
    """The cue text with its markup removed and its character references decoded."""
    chars: list[str] = []
    origin: list[tuple[int, int]] = []
    voices: list[tuple[int, Label]] = []
    times: list[tuple[int, int]] = []
    tag = _VTT_TAG if vtt else _SRT_TAG
    in_ruby_text = False
    i = start
    while i < end:
        c = text[i]
        if c == "<" or (c == "{" and not vtt):
            match = tag.match(text, i, end)
            if match:
                inner = match.group().strip("<>").strip()
                if vtt:
                    words = inner.split(None, 1)
                    if inner.startswith("v") and (inner[1:2] in (".", " ", "\t")) and len(words) > 1:
                        voices.append((len(chars), _voice(html.unescape(words[1]))))
                    elif inner.lower() == "rt":
                        in_ruby_text = True
                    elif inner.lower() == "/rt":
                        in_ruby_text = False
                    else:
                        with contextlib.suppress(ValueError):  # any other tag: markup, not words
                            times.append((len(chars), parse_clock(inner)))
                i = match.end()
                continue
        if in_ruby_text:  # ruby annotations (readings) are not spoken words
            i += 1
            continue
        if c == "&":
            match = _ENTITY.match(text, i, end)
            if match:
                decoded = html.unescape(match.group())
                if decoded != match.group():
                    for d in decoded:
                        if d not in _INVISIBLE:
                            chars.append(d)
                            origin.append((i, match.end()))
                    i = match.end()
                    continue
        if c not in _INVISIBLE:
            chars.append(c)
            origin.append((i, i + 1))
        i += 1
    return _Decoded("".join(chars), tuple(origin), tuple(voices), tuple(times))


def _voice(annotation: str) -> Label:
    """A ``<v>`` annotation as a speaker: its name and role if it is a label, else the text as written."""
    raw = " ".join(annotation.split())
    return speaker_label(raw) or Label(raw)


def _read_line_starts(cue: _Decoded) -> _Decoded:
    """Drop the line marks the module docstring describes and note the ``Name:`` candidates.

    For a file without ``<v>`` tags only. Worked example: ``- Ann Lee: Is
    it?`` / ``- Oui.`` is a dialogue cue (two dashed lines): both dashes go,
    and "Ann Lee" is a candidate from the start of the first line.
    ``— and then`` alone keeps its dash as text; ``- Zoë: Oui.`` alone keeps
    its dash too, but the candidate starts at the dash, so that if "Zoë" is
    taken for a speaker, the dash goes with the label.
    """
    shown = cue.chars
    spans = [(m.start(), m.end()) for m in _LINE.finditer(shown)]
    dialogue = sum(1 for a, b in spans if _DASH_MARK.match(shown, a, b)) >= 2
    keep = [True] * len(shown)
    prefixes: list[_Prefix] = []
    for line_start, line_end in spans:
        change = _CHANGE_MARK.match(shown, line_start, line_end)
        mark = change or _DASH_MARK.match(shown, line_start, line_end)
        at = mark.end() if mark else line_start
        dropped = mark is not None and (mark is change or dialogue)
        if mark and dropped:
            for p in range(mark.start(), mark.end()):
                keep[p] = False
        prefix = _PREFIX.match(shown, at, line_end)
        if prefix:
            raw = " ".join(prefix.group("name").split())
            label_start = prefix.start("name") if dropped or not mark else line_start
            prefixes.append(_Prefix(label_start, prefix.end(), raw, speaker_label(raw)))
    if all(keep):
        return replace(cue, prefixes=tuple(prefixes))
    shift = [0] * (len(shown) + 1)
    for p in range(len(shown)):
        shift[p + 1] = shift[p] + (0 if keep[p] else 1)
    return _Decoded(
        chars="".join(ch for ch, k in zip(shown, keep, strict=True) if k),
        origin=tuple(o for o, k in zip(cue.origin, keep, strict=True) if k),
        voices=tuple((q - shift[q], n) for q, n in cue.voices),
        times=tuple((q - shift[q], ms) for q, ms in cue.times),
        prefixes=tuple(replace(p, start=p.start - shift[p.start], end=p.end - shift[p.end]) for p in prefixes),
    )


# --- rolling captions ---------------------------------------------------------------------


def _text_lines(chars: str) -> list[tuple[int, int, str]]:
    """(start, end, text with spaces collapsed) of each line that holds more than spaces."""
    found = []
    for match in _LINE.finditer(chars):
        words = " ".join(match.group().split())
        if words:
            found.append((match.start(), match.end(), words))
    return found


def _own_text_starts(decoded: Sequence[_Decoded]) -> list[int]:
    """Where each cue's own text starts: 0, or in a rolling file past the lines it repeats.

    The test for rolling and what is dropped are in the module docstring. A
    cue repeats the longest run of the last lines of the cue before that its
    first lines equal: one line in YouTube's captions, up to two in a
    three-line roll-up (``A B C`` then ``B C D``), all of them in a roll-up
    that is still growing (``A`` then ``A B``). A cue that only repeats
    starts at its end.
    """
    lines = [[t for _, _, t in _text_lines(cue.chars)] for cue in decoded]
    overlaps = [0] + [_overlap(before, cue) for before, cue in pairwise(lines)]
    candidates = [c for c in range(1, len(lines)) if len(lines[c]) >= 2 and lines[c - 1]]
    repeats = sum(1 for c in candidates if 0 < overlaps[c] < len(lines[c]))
    if repeats < 2 or 2 * repeats < len(candidates):
        return [0] * len(decoded)
    starts = []
    for cue, k in zip(decoded, overlaps, strict=True):
        own = _text_lines(cue.chars)
        starts.append(0 if not k else own[k][0] if k < len(own) else len(cue.chars))
    return starts


def _overlap(before: Sequence[str], lines: Sequence[str]) -> int:
    """How many of ``lines``' first lines repeat the last lines of ``before`` (the longest such run)."""
    for k in range(min(len(before), len(lines)), 0, -1):
        if list(lines[:k]) == list(before[-k:]):
            return k
    return 0


def _accepted_prefixes(decoded: Sequence[_Decoded], starts: Sequence[int]) -> dict[tuple[int, int], Label]:
    """The ``Name:`` candidates that really name speakers: (cue, prefix start) -> the speaker.

    Candidates in the lines a rolling cue repeats are not counted again. In
    Zoom's layout (:func:`_opens_every_cue`) each cue's opening ``X:`` is a
    speaker even when X is not name-shaped; otherwise only labels
    (:func:`~aligner.readers.speakers.speaker_label`) can be, by the rules of
    the module docstring.
    """
    counts: dict[str, int] = {}
    strong: set[str] = set()
    for cue, start in zip(decoded, starts, strict=True):
        for found in (p.label for p in cue.prefixes if p.start >= start):
            if found is not None:
                counts[found.name] = counts.get(found.name, 0) + 1
                if counts[found.name] >= 2 or is_distinctive(found.name) or found.role is not None:
                    strong.add(found.name)
    has_speakers = bool(strong) or any(cue.voices for cue in decoded)
    accepted: dict[tuple[int, int], Label] = {}
    for c, (cue, start) in enumerate(zip(decoded, starts, strict=True)):
        for prefix in cue.prefixes:
            label = prefix.label
            at_cue_start = not cue.chars[start : prefix.start].strip()
            if (
                label is not None
                and prefix.start >= start
                and (label.name in strong or (has_speakers and at_cue_start))
            ):
                accepted[(c, prefix.start)] = label
    for c, prefix in _opens_every_cue(decoded, starts).items():
        accepted.setdefault((c, prefix.start), prefix.label or Label(prefix.raw))
    return accepted


def _opens_every_cue(decoded: Sequence[_Decoded], starts: Sequence[int]) -> dict[int, _Prefix]:
    """Each cue's opening ``X:`` when every cue with text opens with one and an X repeats: Zoom's layout.

    Empty otherwise, or when an X is a sentence opener or section word
    (:data:`~aligner.readers.speakers.NOT_NAMES`: "Note:", "Remember:"),
    which no display name is. Some X must open two or more cues, as a
    speaker of a meeting does, so that two cues opening by chance with
    "Episode 193:" and "Sam Carter:" stay what the name rules make of them.
    Worked example: cues ``jmiller: Hi.``, ``Sam's iPhone: Hello.``,
    ``jmiller: Bye.`` give the speakers "jmiller" and "Sam's iPhone"; add a
    cue ``And then...`` and they stay words.
    """
    opening: dict[int, _Prefix] = {}
    for c, (cue, start) in enumerate(zip(decoded, starts, strict=True)):
        if not cue.chars[start:].strip():
            continue
        first = next((p for p in cue.prefixes if p.start >= start and not cue.chars[start : p.start].strip()), None)
        if first is None or first.raw.casefold() in NOT_NAMES:
            return {}
        opening[c] = first
    return opening if len({p.raw for p in opening.values()}) < len(opening) else {}


# --- paragraphs --------------------------------------------------------------------------


def _parse(text: str, path: str, *, vtt: bool) -> Transcript:
    cues = _find_cues(text, path, vtt=vtt)
    if not cues:
        kind = "WebVTT" if vtt else "SRT"
        example = "00:00:01.000 --> 00:00:02.000" if vtt else "00:00:01,000 --> 00:00:02,000"
        raise TranscriptError(path, f"holds no {kind} cues (no '{example}' line)")
    decoded = [_decode(text, cue.text_start, cue.text_end, vtt=vtt) for cue in cues]
    if not any(cue.voices for cue in decoded):
        decoded = [_read_line_starts(cue) for cue in decoded]
    starts = _own_text_starts(decoded)
    accepted = _accepted_prefixes(decoded, starts)
    paragraphs: list[Paragraph] = []
    speakers: list[str] = []
    roles: list[tuple[str, str]] = []
    speaker: str | None = None  # from "Name:" prefixes; holds across cues

    def named(label: Label) -> str:
        speakers.append(label.name)
        if label.role is not None:
            roles.append((label.name, label.role))
        return label.name

    for c, (cue, shown, own) in enumerate(zip(cues, decoded, starts, strict=True)):
        if own and own == len(shown.chars):
            continue  # a rolling cue that only repeats the one before
        current = speaker  # a <v> names this cue's speaker only; a "Name:" holds on
        for q, voice in shown.voices:
            if q <= own:  # a voice opening the repeated lines goes on into the new ones
                current = named(voice)
        # Cut points: (position, position the text resumes, speaker).
        cuts: list[tuple[int, int, Label]] = [(q, q, voice) for q, voice in shown.voices if q > own]
        cuts += [(p.start, p.end, accepted[(c, p.start)]) for p in shown.prefixes if (c, p.start) in accepted]
        cuts.sort(key=lambda cut: cut[:2])
        segments: list[tuple[int, int, str | None]] = []
        position = own
        for cut_at, resume, label in cuts:
            segments.append((position, cut_at, current))
            current = named(label)
            if cut_at != resume:
                speaker = current
            position = resume
        segments.append((position, len(shown.chars), current))
        raws = tokenize_spans(shown.chars, [(a, b) for a, b, _ in segments], markdown=False, path=path)
        first = True
        for (a, b, who), tokens in zip(segments, raws, strict=True):
            mapped = tuple(_to_source(token, shown) for token in tokens)
            stamps: list[tuple[int, int]] = [(0, cue.start_ms)] if first else []
            for q, ms in shown.times:
                offset = next((k for k, token in enumerate(tokens) if token[2] >= q), None)
                if a <= q < b and offset is not None:
                    stamps.append((offset, ms))
            if tokens or first:
                paragraphs.append(Paragraph(speaker=who, tokens=mapped, stamps=tuple(stamps)))
            first = first and not tokens
    return build_transcript(path, paragraphs, speakers, roles)


def _to_source(token: RawToken, shown: _Decoded) -> RawToken:
    kind, token_text, start, end = token
    return kind, token_text, shown.origin[start][0], shown.origin[end - 1][1]


def parse_srt_text(text: str, *, path: str = "<string>") -> Transcript:
    """Parse SRT captions (see the module docstring).

    Raises:
        TranscriptError: no cues, a cue time that is no time, or no words.
    """
    return _parse(text, path, vtt=False)


def parse_vtt_text(text: str, *, path: str = "<string>") -> Transcript:
    """Parse WebVTT captions (see the module docstring).

    Raises:
        TranscriptError: no cues, a cue time that is no time, or no words.
    """
    return _parse(text, path, vtt=True)
