"""The edit list, written three ways: the versioned JSON, Audacity labels, and a CMX 3600 EDL.

Times are the *source's*: the list says what was taken out of the original,
so an editor can review each cut on the original in their own tool and undo
any of them (docs/cut.md). The JSON's schema is
``aligner/schema/edits.schema.json``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from aligner.cut.plan import Cut

__all__ = ["EDITS_VERSION", "EDL_FPS", "render_audacity_edits", "render_edits_json", "render_edl"]

EDITS_VERSION = 1

EDL_FPS = 30
"""Frames per second of the EDL's timecodes (non-drop); an EDL cannot say finer than a frame (33 ms)."""


def render_edits_json(
    cuts: Sequence[Cut], *, source: str, output: str | None, source_duration_ms: int, edited_duration_ms: int
) -> str:
    removed = sum(c.end_ms - c.start_ms for c in cuts)
    document = {
        "version": EDITS_VERSION,
        "source": source,
        "output": output,
        "source_seconds": source_duration_ms / 1000,
        "edited_seconds": edited_duration_ms / 1000,
        "removed_seconds": removed / 1000,
        "cuts": [{"start": c.start_ms / 1000, "end": c.end_ms / 1000, "kind": c.kind, "heard": c.heard} for c in cuts],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_audacity_edits(cuts: Sequence[Cut]) -> str:
    """One label per cut (Audacity: File > Import > Labels, on the original audio)."""
    lines = []
    for c in cuts:
        heard = " ".join(c.heard.split())
        lines.append(f"{c.start_ms / 1000:.6f}\t{c.end_ms / 1000:.6f}\t{c.kind}{': ' + heard if heard else ''}")
    return "".join(line + "\n" for line in lines)


def render_edl(cuts: Sequence[Cut], *, title: str, clip: str, source_duration_ms: int) -> str:
    """The kept stretches of the source as CMX 3600 audio events, laid end to end on the record side."""
    events = []
    record = 0
    kept = [(a, b) for a, b in _kept(cuts, source_duration_ms) if b > a]
    for number, (start, end) in enumerate(kept, start=1):
        length = end - start
        events.append(
            f"{number:03d}  AX       A     C        {_timecode(start)} {_timecode(end)} "
            f"{_timecode(record)} {_timecode(record + length)}\n* FROM CLIP NAME: {clip}\n"
        )
        record += length
    return f"TITLE: {title}\nFCM: NON-DROP FRAME\n\n" + "\n".join(events)


def _kept(cuts: Sequence[Cut], duration_ms: int) -> list[tuple[int, int]]:
    out, start = [], 0
    for c in cuts:
        out.append((start, c.start_ms))
        start = c.end_ms
    out.append((start, duration_ms))
    return out


def _timecode(ms: int) -> str:
    frames = round(ms * EDL_FPS / 1000)
    seconds, frame = divmod(frames, EDL_FPS)
    minutes, second = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours:02d}:{minute:02d}:{second:02d}:{frame:02d}"
