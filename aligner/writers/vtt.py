"""WebVTT (.vtt) output, optionally with word timestamps.

``WEBVTT``, a blank line, then numbered cues: identifier, ``HH:MM:SS.mmm -->
HH:MM:SS.mmm``, the text lines, a blank line. Every cue whose speaker is
known starts with a voice span ``<v Name>``, which is how Apple Podcasts'
transcript ingestion and web players learn who speaks, except a cue that
holds only notes: ``[music]`` in Jane's paragraph is no speech of Jane's,
and ``<v Jane Miller>[music]`` would put it in her voice (a player styles
it as hers; a reader, ours too, takes it for her words). Text and names are
escaped (``&`` ``<`` ``>`` become ``&amp;`` ``&lt;`` ``&gt;``), as the WebVTT
spec requires in cue payloads, which also means ``-->`` can never appear in
one; blank lines are dropped, because a blank line ends a cue.

With ``OutputOptions.vtt_words`` each word after a cue's first is preceded by
a cue timestamp tag, ``<00:00:01.250>``, its start time, so a player can
paint the words as they are spoken ("karaoke" captions). The spec allows a
timestamp only strictly after the cue's start and any earlier timestamp in
the cue and strictly before its end, so a word whose start breaks that order
(a zero-length word, a word squeezed at the cue's edge) gets no tag and is
shown with the word before it. Example::

    1
    00:00:00.820 --> 00:00:03.000
    <v Jane Miller>Hello <00:00:01.420>and <00:00:01.680>welcome
"""

from __future__ import annotations

from collections.abc import Sequence

from aligner import timecode
from aligner.options import OutputOptions
from aligner.types import Cue, Result, TimedWord, TokenKind
from aligner.writers.srt import legal_lines

__all__ = ["escape", "holds_only_notes", "render_vtt", "word_timed_lines"]


def escape(text: str) -> str:
    """Escape text for a WebVTT cue payload or voice annotation.

    >>> escape("a <b> & c --> d")
    'a &lt;b&gt; &amp; c --&gt; d'
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def word_timed_lines(cue: Cue, words: Sequence[TimedWord]) -> list[str] | None:
    """The cue's lines, escaped, with a timestamp tag before each word that can take one.

    A cue's lines are its tokens' texts joined by spaces and wrapped between
    tokens (:func:`aligner.cues.build_cues`), so each line is rebuilt
    from the tokens it holds. Returns None if the lines do not match the
    tokens (a cue built by hand, say); the caller then writes plain lines.
    """
    tokens = [words[i] for i in cue.word_indices]
    lines: list[str] = []
    k = 0
    last_ms = cue.start_ms
    for line in cue.lines:
        parts: list[str] = []
        texts: list[str] = []
        while k < len(tokens) and len(" ".join(texts)) < len(line):
            word = tokens[k]
            start = word.start_ms
            tag = ""
            if k > 0 and start is not None and last_ms < start < cue.end_ms:
                tag = f"<{timecode.format_vtt(start)}>"
                last_ms = start
            texts.append(word.token.text)
            parts.append(tag + escape(word.token.text))
            k += 1
        if " ".join(texts) != line:
            return None
        if line.strip():
            lines.append(" ".join(parts))
    if k != len(tokens):
        return None
    return lines


def holds_only_notes(cue: Cue, words: Sequence[TimedWord]) -> bool:
    """Whether a cue shows notes and nothing else (a note cue, or hand-made cues of note tokens).

    The SRT writer's speaker prefix follows the cue builder's ``is_note``
    (:func:`aligner.writers.srt.speaker_prefixes`); the cue builder only
    makes a cue of notes alone as a note cue, so the two agree on its cues.
    """
    if cue.is_note:
        return True
    return bool(cue.word_indices) and all(words[i].token.kind is TokenKind.NOTE for i in cue.word_indices)


def render_vtt(result: Result, output: OutputOptions = OutputOptions()) -> str:
    """Render ``result.cues`` as WebVTT text (``\\n`` line ends).

    Args:
        result: the cues (and, for word timestamps, the words) to write.
        output: ``vtt_words`` adds word timestamps.
    """
    parts = ["WEBVTT\n\n"]
    number = 0
    for cue in result.cues:
        lines = word_timed_lines(cue, result.words) if output.vtt_words else None
        if lines is None:
            lines = [escape(line) for line in legal_lines(cue.lines)]
        if not lines:
            continue
        if cue.speaker is not None and cue.speaker.strip() and not holds_only_notes(cue, result.words):
            lines[0] = f"<v {escape(' '.join(cue.speaker.split()))}>{lines[0]}"
        number += 1
        timing = f"{timecode.format_vtt(cue.start_ms)} --> {timecode.format_vtt(cue.end_ms)}"
        parts.append("\n".join([str(number), timing, *lines]) + "\n\n")
    return "".join(parts)
