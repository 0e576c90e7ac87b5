"""Audacity label track (.labels.txt): one label per timed word or note.

Audacity's File > Import > Labels reads a text file of lines
``start<TAB>end<TAB>label`` with times in seconds (its own export writes six
decimals; any decimal number is read). Imported beside the episode, the
track shows every transcript word under the waveform, so an editor can find
and cut by text. A label cannot hold a tab or a line break (either would
start a new field or label), so those become spaces. Words with no time are
left out; a zero-length word becomes a point label (start = end), which
Audacity supports.

Example::

    0.820	1.420	Hello
    1.420	1.680	and
"""

from __future__ import annotations

from aligner.options import OutputOptions
from aligner.timecode import format_seconds
from aligner.types import Result

__all__ = ["render_audacity"]


def _label(text: str) -> str:
    return " ".join(text.split())


def render_audacity(result: Result, output: OutputOptions = OutputOptions()) -> str:
    """Render every timed token as an Audacity label line.

    Args:
        result: the timed words (notes such as ``[music]`` included).
        output: unused; labels have no options.
    """
    lines: list[str] = []
    for word in result.words:
        if word.start_ms is None or word.end_ms is None:
            continue
        end = max(word.end_ms, word.start_ms)
        lines.append(f"{format_seconds(word.start_ms)}\t{format_seconds(end)}\t{_label(word.token.text)}\n")
    return "".join(lines)
