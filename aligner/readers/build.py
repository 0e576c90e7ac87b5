"""Assemble a :class:`~aligner.types.Transcript` from the paragraphs a reader found.

Every reader (Markdown and plain text, timestamped text, SRT, WebVTT, .docx)
finds paragraphs, speakers and times its own way, and tokenizes each
paragraph with :func:`aligner.readers.inline.tokenize_spans`. What is left
is the same for all of them and lives here, so it cannot drift apart:
numbering tokens and paragraphs, listing speakers and their roles, placing
stamps, refusing a transcript with no words, and the rule for closing matter that the
readers with labels share.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from aligner.errors import TranscriptError
from aligner.readers.inline import RawToken
from aligner.types import Stamp, Token, TokenKind, Transcript

__all__ = ["Paragraph", "Part", "build_transcript", "closing_start"]


class Part(enum.Enum):
    """What a block of a labelled transcript is, for the heading-matter rules."""

    HEADING = "heading"
    LABEL = "label"
    DIVIDER = "divider"
    TEXT = "text"


def closing_start(parts: Sequence[Part], is_body: Sequence[bool]) -> int | None:
    """Index of the first block of closing matter, or None.

    A transcript often ends with a divider and a line that is not spoken
    ("Subscribe to the show..."). Everything after the last divider is that,
    when body text comes before the divider (else the divider opens the
    body) and no speaker label follows it (else the divider only separates
    turns). What counts as body is each reader's call.
    """
    dividers = [i for i, part in enumerate(parts) if part is Part.DIVIDER]
    if not dividers:
        return None
    last = dividers[-1]
    if any(is_body[:last]) and not any(part is Part.LABEL for part in parts[last + 1 :]):
        return last + 1
    return None


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph a reader found: its tokens, speaker and any times for them.

    ``stamps`` are (offset of a token within ``tokens``, ms): a turn's or
    cue's time on offset 0, a karaoke WebVTT's inline times on later words.
    A paragraph without tokens passes its stamps on to the next paragraph's
    first token (a stamped label line followed by a blank line, a cue that
    holds only markup).
    """

    speaker: str | None
    tokens: tuple[RawToken, ...]
    stamps: tuple[tuple[int, int], ...] = ()
    is_heading: bool = False
    is_section_title: bool = False


def build_transcript(
    path: str,
    paragraphs: Sequence[Paragraph],
    speakers: Sequence[str],
    roles: Sequence[tuple[str, str]] = (),
) -> Transcript:
    """Number the paragraphs' tokens into a Transcript.

    Args:
        path: the transcript's name, recorded and used in errors.
        paragraphs: in source order.
        speakers: every speaker label seen, in order of first appearance
            (a label with no words after it still names a speaker, as in
            Markdown).
        roles: (speaker, role) for every label that gave a role, in source
            order. A speaker keeps the first role given: ``Casey (caller)``
            and later ``Casey (voicemail)`` make Casey a caller, because a
            speaker has one role in the record and the first label is the
            one that introduces them.

    Returns:
        The transcript; heading paragraphs have no speaker, and paragraphs
        that hold tokens are numbered 0, 1, 2...

    Raises:
        TranscriptError: no word tokens at all.
    """
    tokens: list[Token] = []
    stamps: list[Stamp] = []
    carried: list[int] = []  # times of paragraphs with no tokens, for the next first token
    paragraph = -1
    for para in paragraphs:
        if not para.tokens:
            carried.extend(ms for _, ms in para.stamps)
            continue
        paragraph += 1
        first = len(tokens)
        if carried:
            stamps.append(Stamp(first, carried[-1]))
            carried.clear()
        for offset, ms in para.stamps:
            if 0 <= offset < len(para.tokens):
                stamps.append(Stamp(first + offset, ms))
        for kind, text, start, end in para.tokens:
            tokens.append(
                Token(
                    index=len(tokens),
                    text=text,
                    kind=kind,
                    speaker=None if para.is_heading else para.speaker,
                    paragraph=paragraph,
                    start_char=start,
                    end_char=end,
                    is_heading=para.is_heading,
                    is_section_title=para.is_section_title,
                )
            )
    if not any(token.kind is TokenKind.WORD for token in tokens):
        raise TranscriptError(path, "holds no words to align")
    unique: dict[int, Stamp] = {}
    for stamp in stamps:  # one time per token: the latest said wins (a cue's time over a carried one)
        unique[stamp.token_index] = stamp
    first_role: dict[str, str] = {}
    for name, role in roles:
        first_role.setdefault(name, role)
    named = tuple(dict.fromkeys(speakers))
    return Transcript(
        path=path,
        tokens=tuple(tokens),
        speakers=named,
        stamps=tuple(sorted(unique.values(), key=lambda s: s.token_index)),
        speaker_roles=tuple((name, first_role[name]) for name in named if name in first_role),
    )
