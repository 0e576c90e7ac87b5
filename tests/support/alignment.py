"""Small alignments written by hand, for the tests of the passes after matching (confirm, retrace)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aligner.readers import read_transcript
from aligner.types import AlignOp, AsrWord, OpKind, Token, TokenKind, Transcript


def tokens(text: str, heading: int = 0) -> list[Token]:
    """One word token per space-separated word, the first ``heading`` of them heading matter."""
    out, at = [], 0
    for k, word in enumerate(text.split()):
        out.append(Token(k, word, TokenKind.WORD, None, 0, at, at + len(word), is_heading=k < heading))
        at += len(word) + 1
    return out


def asr_words(*spans: tuple[str, int, int]) -> list[AsrWord]:
    """Recognized words (text, start ms, end ms), each heard at probability 0.9."""
    return [AsrWord(text, s, e, 0.9) for text, s, e in spans]


def ops(*spec: tuple[OpKind, tuple[int, ...], tuple[int, ...]]) -> list[AlignOp]:
    """Alignment steps (kind, token indices, recognized word indices); a match's similarity 1."""
    return [AlignOp(kind, t, a, 1.0 if kind is OpKind.MATCH else 0.0) for kind, t, a in spec]


def with_phrases(
    transcript: Transcript, after: Sequence[Token], phrases: Sequence[str], path: Path
) -> tuple[Transcript, set[int]]:
    """The transcript with each phrase written after the token beside it (tokens in order), saved to ``path``
    and read again; and the indices of the words written in."""
    text = Path(transcript.path).read_text(encoding="utf-8")
    pieces, at, spans = [], 0, []
    for token, phrase in zip(after, phrases):
        pieces += [text[at : token.end_char], " "]
        start = sum(map(len, pieces))
        pieces.append(phrase)
        spans.append((start, start + len(phrase)))
        at = token.end_char
    path.write_text("".join(pieces) + text[at:], encoding="utf-8")
    edited = read_transcript(path)
    return edited, {t.index for t in edited.tokens if any(a <= t.start_char < b for a, b in spans)}
