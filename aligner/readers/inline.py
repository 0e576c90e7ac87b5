"""One paragraph -> its raw tokens: words, notes and punctuation as captions show them.

Every reader finds its paragraphs its own way (blank-line blocks, turns,
cues, Word paragraphs) and hands each one's ``(start, end)`` to
:func:`tokenize_spans`, so a paragraph's words come out the same whatever
the format. The source is never rewritten: dropped parts are blanked in an
equal-length working copy (:func:`mask`) and markup is flagged per
character, so every token keeps the exact indices of its visible
characters in the decoded source.

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
- **Notes** (:func:`is_note`) are sound descriptions, never aligned: one NOTE
  token each, exactly as written. Known sound words (:data:`SOUND_WORDS`:
  music, applause, laughter, crosstalk, inaudible, foreign, silence,
  static, sting, jingle, theme, intro, ad, break, ...) plus a shape rule:

  * a bracket that is not a link is a note when its text starts lowercase
    (at most 40 characters: ``[laughs]``, ``[inaudible 00:12:03]``,
    ``[speaking Spanish]``) or when it holds at most 6 words and any of them
    is a sound word (``[Music]``, ``[Intro music]``, ``[Ad break]``,
    ``[Foreign]``, ``[Theme music fades]``); ``[Kim]`` and
    ``[Sam Gershman]`` stay words;
  * parentheses are prose far more often, so they are stricter: at most 3
    words, one of them a sound word, none a small word of prose (an
    article, preposition, pronoun or conjunction: ``the``, ``of``, ``it``,
    ``and``, ...): ``(laughs)``, ``(upbeat music)``, ``(clears throat)``,
    ``(applause)`` are notes; ``(see below)``, ``(the music)``, ``(a long
    break)`` and ``(laughs at it now)`` stay words;
  * ``♪`` (or ``♫``) marks lyrics, which are sung, not spoken: ``♪ la la
    la ♪`` is one note, marks included (paired within the paragraph), and
    so is a line's rest after an unpaired ``♪``; ``♪♪`` alone too.

  Bracketed timestamps (``[00:12:34]``) and HTML comments are dropped.
- **HTML entities** (Markdown only; :data:`_ENTITY`): named, decimal and hex
  references that :func:`html.unescape` knows, ended by ``;`` (CommonMark's
  rule, so ``R&D`` and ``AT&T`` stay as typed), are decoded in the token
  text, inside words and alone: ``I&rsquo;m`` gives ``I’m``, ``R &amp; D``
  gives ``R &`` ``D`` as ``R & D`` would, ``&nbsp;`` separates words like a
  space. The span still indexes the source and covers the entity's
  characters: ``I&rsquo;m`` gives ``I’m`` spanning all 9 of
  ``I&rsquo;m``. Code spans, escapes (``\\&amp;``) and URLs keep them as
  typed.
- A zero-width space inside a word (pasted from the web) stays in it,
  invisible; splitting there would show "wel come" in the captions.
"""

from __future__ import annotations

import html
import re
import string
import unicodedata
from dataclasses import dataclass

from aligner.errors import TranscriptError
from aligner.readers.text import line_of
from aligner.types import TokenKind

__all__ = ["SOUND_WORDS", "RawToken", "is_note", "mask", "tokenize", "tokenize_spans"]

RawToken = tuple[TokenKind, str, int, int]
"""(kind, text, start_char, end_char) of one token; the spans index the decoded source."""

_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ASCII_PUNCT = frozenset(string.punctuation)
SOUND_WORDS = frozenset(
    """music musical song singing sings humming instrumental melody jingle theme sting stinger intro outro
    interlude transition bumper applause clapping cheering cheers booing laughs laughter laughing laugh
    chuckles chuckle chuckling giggles giggling crosstalk cross-talk overlapping inaudible unintelligible
    indiscernible foreign silence pause pauses static noise sfx beep bleep bleeped censored ad ads advert
    advertisement commercial break sighs sigh sighing coughs cough coughing clears sniffs gasps groans
    whistles whistling ringing ringtone knocking footsteps ambient chatter murmuring""".split()
)
"""Words (casefolded) that name a non-speech sound or a break in the speech; see :func:`is_note`."""
_PROSE_WORDS = frozenset(
    """a an the this that these those of in on at by for from with into to as and or but so if than then
    i me my we us our you your he him his she her it its they them their is are was were be see""".split()
)
"""Small words of prose: parentheses holding one are an aside, not a sound ("(the music)")."""
_MAX_BRACKET_NOTE_WORDS = 6
_MAX_LOWERCASE_NOTE_CHARS = 40
_MAX_PAREN_NOTE_WORDS = 3
_BRACKET_NOTE = re.compile(r"\[([^\[\]\n]{1,60})\]")
_PAREN_NOTE = re.compile(r"\(([^()\n]{1,30})\)")
_LYRICS = re.compile(
    r"[\u266a\u266b]+[^\u266a\u266b]{1,300}?[\u266a\u266b]+|[\u266a\u266b]{2,}|[\u266a\u266b][^\u266a\u266b\r\n]*"
)
"""``♪ lyrics ♪`` or ``♪♪ lyrics ♪♪`` (paired, within the paragraph), ``♪♪`` alone, or an unpaired ``♪`` and
the rest of its line."""
_TIMECODE_WORD = re.compile(r"\d{1,2}(?::\d{2}){1,2}(?:[.,]\d{1,3})?")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
"""An HTML character reference as CommonMark has it: ``&rsquo;``, ``&#8217;``, ``&#x2019;`` (the ``;`` required)."""
_TIMESTAMP = re.compile(r"[\[(]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^\s<>]+|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)>")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]+\]")
_EMPHASIS_RUN = re.compile(r"\*+|_+")
_BACKTICKS = re.compile(r"`+")
_DASHES = frozenset("\u2014\u2015\u2013")  # em dash, horizontal bar, en dash
_OPENERS = frozenset("\u201c\u2018\"'([{\u00ab\u2039\u00bf\u00a1")  # opening quotes and brackets
_WORD_RUN = re.compile(r"[^\s\u200b]\S*")
"""A word as the loop in :func:`tokenize` finds it: a zero-width space may not start one, only continue it."""


@dataclass(frozen=True, slots=True)
class _Raw:
    """A token while it is assembled: its kind and the source indices of its visible characters."""

    kind: TokenKind
    chars: tuple[int, ...]


def mask(text: str, *, markdown: bool, path: str) -> str:
    """``text`` with dropped spans blanked, so every offset still indexes ``text``.

    HTML comments become spaces (their line breaks kept) and a leading BOM a
    space. Working on an equal-length copy keeps spans exact without a map.

    Raises:
        TranscriptError: (Markdown) an HTML comment is never closed, with its line.
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
        raise TranscriptError(path, "HTML comment is never closed (no '-->')", line=line_of(work, unclosed))
    return work


def tokenize_spans(
    text: str, spans: list[tuple[int, int]], *, markdown: bool = False, path: str = "<string>"
) -> list[list[RawToken]]:
    """Tokens of each span of ``text``, by the rules every reader applies to a paragraph.

    For readers that find paragraphs and speakers their own way: notes,
    dashes, lone punctuation and dropped ``[00:12:34]`` stamps (and Markdown
    markup when ``markdown``) then come out exactly as they do from a
    Markdown or text file.

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
    work = mask(text, markdown=markdown, path=path)
    return [tokenize(text, work, start, end, markdown=markdown) for start, end in spans]


def tokenize(text: str, work: str, start: int, end: int, *, markdown: bool) -> list[RawToken]:
    """Tokens of ``text[start:end]``, one heading or paragraph: words, notes, lone punctuation joined.

    ``work`` is ``text`` as :func:`mask` gives it (a reader may blank more of
    it, such as Markdown's line markers); markup and words are found in
    ``work``, token text is taken from ``text`` (with entities decoded).
    """
    raws, entities = _tokenize(text, work, start, end, markdown=markdown)
    if not entities:
        return [(raw.kind, "".join(text[i] for i in raw.chars), raw.chars[0], raw.chars[-1] + 1) for raw in raws]
    tokens: list[RawToken] = []
    for raw in raws:
        shown = "".join(entities[i][0] if i in entities else text[i] for i in raw.chars)
        last = raw.chars[-1]
        tokens.append((raw.kind, shown, raw.chars[0], entities[last][1] if last in entities else last + 1))
    return tokens


def _tokenize(
    text: str, work: str, start: int, end: int, *, markdown: bool
) -> tuple[list[_Raw], dict[int, tuple[str, int]]]:
    """Tokens as source indices, and the entities among them (first index -> decoded text, end).

    :func:`tokenize` gives the tokens their text. An entity's first character
    stands for all of it (the rest is hidden), and ``view`` is ``work`` with
    that character replaced by the decoded one, so the rules that look at
    characters (spaces, dashes, lone punctuation) see what the reader sees.
    """
    hidden = bytearray(end - start)  # 1: markup, not shown
    literal = bytearray(end - start)  # 1: escaped or code, never markup
    notes: dict[int, int] = {}
    entities: dict[int, tuple[str, int]] = {}
    _mark_timestamps(work, start, end, hidden)
    if markdown:
        _mark_escapes_and_code(work, start, end, hidden, literal)
        _mark_html(work, start, end, hidden, literal)
        _mark_links(work, start, end, hidden, literal)
        _find_entities(work, start, end, hidden, literal, entities)
    _mark_notes(work, start, end, hidden, literal, notes, markdown=markdown)
    view = work
    if entities:
        chars = list(work)
        for head, (decoded, stop) in entities.items():
            chars[head] = decoded[0]
            for p in range(head + 1, stop):
                hidden[p - start] = 1
        view = "".join(chars)
    if markdown:
        _mark_emphasis(work, start, end, hidden, literal, notes)

    if not notes and not any(hidden):  # most paragraphs: no markup, no notes; words are runs of non-space
        runs = [
            _Raw(TokenKind.WORD, piece)
            for match in _WORD_RUN.finditer(work, start, end)
            for piece in _split_dashes(text, list(range(match.start(), match.end())))
        ]
        return _join_lone_punctuation(text, work, runs, hidden, start), entities

    raws: list[_Raw] = []
    word: list[int] = []

    def flush() -> None:
        if word:
            raws.extend(_Raw(TokenKind.WORD, piece) for piece in _split_dashes(view, word))
            word.clear()

    i = start
    while i < end:
        if i in notes:
            flush()
            raws.append(_Raw(TokenKind.NOTE, tuple(p for p in range(i, notes[i]) if not hidden[p - start])))
            i = notes[i]
            continue
        if not hidden[i - start]:
            # A zero-width space inside a word (pasted from the web) stays in it, invisible:
            # splitting there would show "wel come" for "wel\u200bcome" in the captions.
            if view[i].isspace() or (view[i] == "\u200b" and not word):
                flush()
            else:
                word.append(i)
        i += 1
    flush()
    return _join_lone_punctuation(view, work, raws, hidden, start), entities


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


def _find_entities(
    work: str, start: int, end: int, hidden: bytearray, literal: bytearray, entities: dict[int, tuple[str, int]]
) -> None:
    """HTML character references outside code, escapes and markup: first index -> (decoded, end).

    Only references :func:`html.unescape` decodes count (``&bogus;`` stays
    as typed); a decoded space (``&nbsp;``, ``&#32;``) separates words.
    """
    for match in _ENTITY.finditer(work, start, end):
        decoded = html.unescape(match.group())
        if decoded != match.group() and _free(hidden, literal, start, match.start(), match.end()):
            entities[match.start()] = (" " if decoded.isspace() else decoded, match.end())


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


def is_note(content: str, *, bracket: bool) -> bool:
    """Whether the text inside brackets (``bracket``) or parentheses is a sound note rather than words.

    See the module docstring for the rule. Worked examples:

    >>> [is_note(t, bracket=True) for t in ["Intro music", "Ad break", "Foreign", "laughs", "Kim", "Sam Gershman"]]
    [True, True, True, True, False, False]
    >>> [is_note(t, bracket=False) for t in ["upbeat music", "Laughs", "see below", "the music", "a long break"]]
    [True, True, False, False, False]
    """
    words = content.split()
    if not words:
        return False
    keys = [word.casefold().strip(".,;:!?\"'\u201c\u201d\u2018\u2019") for word in words]
    sound = any(key in SOUND_WORDS for key in keys)
    if bracket:
        lowercase = content[0].isalpha() and content[0].islower() and len(content) <= _MAX_LOWERCASE_NOTE_CHARS
        return lowercase or (sound and len(words) <= _MAX_BRACKET_NOTE_WORDS)
    if not sound or len(words) > _MAX_PAREN_NOTE_WORDS or content != content.strip():
        return False
    return all(
        key not in _PROSE_WORDS and (_TIMECODE_WORD.fullmatch(key) or all(c.isalpha() or c in "-'" for c in key))
        for key in keys
    )


def _mark_notes(
    work: str, start: int, end: int, hidden: bytearray, literal: bytearray, notes: dict[int, int], *, markdown: bool
) -> None:
    for match in _LYRICS.finditer(work, start, end):
        a, b = match.start(), match.end()
        while b > a and work[b - 1].isspace():  # an unpaired mark's line may end in spaces
            b -= 1
        if _free(hidden, literal, start, a, b):
            notes[a] = b
            for p in range(a, b):
                literal[p - start] = 1
    for pattern, bracket in ((_BRACKET_NOTE, True), (_PAREN_NOTE, False)):
        for match in pattern.finditer(work, start, end):
            a, b = match.start(), match.end()
            if not _free(hidden, literal, start, a, b):
                continue
            if any(a < note_end and note_start < b for note_start, note_end in notes.items()):
                continue
            if is_note(match.group(1), bracket=bracket):
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
