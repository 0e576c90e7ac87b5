"""Views of a parsed Transcript that the reader tests compare against, written once."""

from __future__ import annotations

import re
from pathlib import Path

from aligner.types import Transcript


def texts(t: Transcript) -> list[str]:
    return [token.text for token in t.tokens]


def words(t: Transcript) -> list[tuple[str, str | None]]:
    """Every token as (text, speaker)."""
    return [(token.text, token.speaker) for token in t.tokens]


def body(t: Transcript) -> list[tuple[str, str | None]]:
    """The tokens outside heading matter, as (text, speaker)."""
    return [(token.text, token.speaker) for token in t.tokens if not token.is_heading]


def heading_matter(t: Transcript) -> list[str]:
    return [token.text for token in t.tokens if token.is_heading]


def section_titles(t: Transcript) -> list[str]:
    return [token.text for token in t.tokens if token.is_section_title]


def stamps(t: Transcript) -> list[tuple[str, int]]:
    """Each stamp as (the text of its token, ms)."""
    return [(t.tokens[s.token_index].text, s.time_ms) for s in t.stamps]


def decoded_source(path: Path) -> str:
    """A UTF-8 fixture's text as the readers decode it (a BOM dropped)."""
    return path.read_bytes().removeprefix(b"\xef\xbb\xbf").decode("utf-8")


def assert_plain_spans(source: str, t: Transcript, *, forbidden: re.Pattern[str] | None = None) -> None:
    """Tokens in order, each span exactly its text in ``source``; none matching ``forbidden`` (markup)."""
    previous = 0
    for token in t.tokens:
        if forbidden is not None:
            assert not forbidden.search(token.text), token
        assert source[token.start_char : token.end_char] == token.text, token
        assert token.start_char >= previous
        previous = token.end_char


def truth_starts(truth: dict, transcript: Transcript) -> dict[int, int]:
    """True start of each spoken transcript token; the truth lists the transcript's words in order."""
    import difflib

    def key(text: str) -> str:
        return "".join(c for c in text.casefold() if c.isalnum())

    tokens = [t for t in transcript.tokens if key(t.text)]
    truth_words = truth["transcript_words"]
    matcher = difflib.SequenceMatcher(None, [key(t.text) for t in tokens], [key(w["raw"]) for w in truth_words])
    to_token = {b + k: tokens[a + k].index for a, b, n in matcher.get_matching_blocks() for k in range(n)}
    starts: dict[int, int] = {}
    for word in truth["spoken_words"]:
        if word["transcript_index"] in to_token:
            starts.setdefault(to_token[word["transcript_index"]], word["start_ms"])
    return starts
