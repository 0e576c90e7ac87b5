"""Small alignments written by hand, for the tests of the passes after matching (confirm, retrace)."""

from __future__ import annotations

from aligner.types import AlignOp, AsrWord, OpKind, Token, TokenKind


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
