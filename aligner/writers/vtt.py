"""WebVTT (.vtt) output.

``WEBVTT``, a blank line, then numbered cues: identifier, ``HH:MM:SS.mmm -->
HH:MM:SS.mmm``, the text lines, a blank line. Every cue whose speaker is
known starts with a voice span ``<v Name>``. Text and names are escaped
(``&`` ``<`` ``>`` become ``&amp;`` ``&lt;`` ``&gt;``), as the WebVTT spec
requires in cue payloads, which also means ``-->`` can never appear in one;
blank lines are dropped, because a blank line ends a cue.
"""

from __future__ import annotations

from aligner import timecode
from aligner.options import CaptionOptions
from aligner.types import Result
from aligner.writers.srt import legal_lines

__all__ = ["escape", "render_vtt"]


def escape(text: str) -> str:
    """Escape text for a WebVTT cue payload or voice annotation.

    >>> escape("a <b> & c --> d")
    'a &lt;b&gt; &amp; c --&gt; d'
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_vtt(result: Result, options: CaptionOptions) -> str:
    """Render ``result.cues`` as WebVTT text (``\\n`` line ends)."""
    parts = ["WEBVTT\n\n"]
    number = 0
    for cue in result.cues:
        lines = [escape(line) for line in legal_lines(cue.lines)]
        if not lines:
            continue
        if cue.speaker is not None and cue.speaker.strip():
            lines[0] = f"<v {escape(' '.join(cue.speaker.split()))}>{lines[0]}"
        number += 1
        timing = f"{timecode.format_vtt(cue.start_ms)} --> {timecode.format_vtt(cue.end_ms)}"
        parts.append("\n".join([str(number), timing, *lines]) + "\n\n")
    return "".join(parts)
