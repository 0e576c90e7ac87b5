"""SubRip (.srt) output.

Cues are numbered from 1, each block is the number, ``HH:MM:SS,mmm -->
HH:MM:SS,mmm``, the text lines and a blank line. SubRip has no escaping, so
text is written as is (players may read ``<b>`` in it as markup); lines that
are blank are dropped, because a blank line ends a cue (as cdown/srt's
``make_legal_content`` does).

With ``OutputOptions.srt_speaker_prefix``, the first cue of each new speaker starts
with ``Name: `` (:func:`aligner.cues.speaker_prefix`). Note cues never get a
prefix and do not change the current speaker.

The prefix fits inside ``max_line_chars``: the cue builder keeps room for it
on the first line of every speaker's first cue, whether or not a prefix will
be shown, so the layout is the same for every writer and every
``OutputOptions`` (why there and not here: :mod:`aligner.cues`). This module
cannot re-wrap: it is not given the limits, and a prefixed cue may need a line
more than its cue has. :func:`speaker_prefixes` and the cue builder name the
same cues; ``tests/system/test_caption_limits.py`` holds them to it.

One cue at a time: where two speakers' cues overlap (an interjection over
the end of a sentence, a backchannel held for its minimum time; see
:mod:`aligner.cues`), each SRT cue ends where the next one starts. WebVTT
keeps the overlap. Desktop players (VLC, mpv and others built on libass)
stack overlapping SubRip cues, but ExoPlayer/Media3-based Android players,
several web players and some TVs show one of them or draw them over each
other (docs/outputs.md), and SRT is the file sent to the most players.
"""

from __future__ import annotations

from collections.abc import Sequence

from aligner import timecode
from aligner.cues import speaker_prefix
from aligner.options import OutputOptions
from aligner.types import Cue, Result

__all__ = ["render_srt", "speaker_prefixes"]


def legal_lines(lines: Sequence[str]) -> list[str]:
    """Cue lines without blank ones (a blank line would end the cue early)."""
    return [line for part in lines for line in part.splitlines() if line.strip()]


def speaker_prefixes(cues: Sequence[Cue]) -> list[str | None]:
    """For each cue, the speaker to announce, or None.

    A cue announces its speaker when it is a word cue, its speaker is known
    and differs from the previous word cue's speaker.
    """
    announced: list[str | None] = []
    current: str | None = None
    for cue in cues:
        if cue.is_note:
            announced.append(None)
            continue
        announced.append(cue.speaker if cue.speaker is not None and cue.speaker != current else None)
        current = cue.speaker
    return announced


def render_srt(result: Result, output: OutputOptions = OutputOptions()) -> str:
    """Render ``result.cues`` as SubRip text (``\\n`` line ends, UTF-8 safe); ``output`` says whether to prefix speakers."""
    prefixes = speaker_prefixes(result.cues) if output.srt_speaker_prefix else [None] * len(result.cues)
    shown = [(cue, speaker, lines) for cue, speaker in zip(result.cues, prefixes) if (lines := legal_lines(cue.lines))]
    blocks: list[str] = []
    for k, (cue, speaker, lines) in enumerate(shown):
        if speaker is not None:
            lines[0] = speaker_prefix(speaker) + lines[0]
        number = len(blocks) + 1
        end = min(cue.end_ms, shown[k + 1][0].start_ms) if k + 1 < len(shown) else cue.end_ms  # one at a time
        timing = f"{timecode.format_srt(cue.start_ms)} --> {timecode.format_srt(end)}"
        blocks.append("\n".join([str(number), timing, *lines]) + "\n\n")
    return "".join(blocks)
