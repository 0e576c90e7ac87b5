"""Integer milliseconds to and from caption timestamps.

This is the only module that formats or parses times, so rounding happens in
one place: the recognizer's float seconds become int ms once, and everything
after works in whole milliseconds. divmod on ints cannot produce "00:00:60.000".
"""

from __future__ import annotations

import re

MAX_MS = 100 * 3600 * 1000 - 1  # 99:59:59.999, the widest an HH field holds


def seconds_to_ms(seconds: float) -> int:
    """Round float seconds to whole milliseconds (half away from zero)."""
    if seconds < 0:
        return -int(-seconds * 1000 + 0.5)
    return int(seconds * 1000 + 0.5)


def ms_to_seconds(ms: int) -> float:
    """Milliseconds as float seconds with 3 decimals, for JSON.

    For whole milliseconds, ``ms / 1000`` is already the float nearest the
    3-decimal value, what ``round(ms / 1000, 3)`` gives (a property test
    checks it), without the rounding call: a 90-minute episode's JSON has
    some 30,000 times.
    """
    return ms / 1000


def _split(ms: int) -> tuple[int, int, int, int]:
    ms = min(max(ms, 0), MAX_MS)
    seconds, millis = divmod(ms, 1000)
    minutes, secs = divmod(seconds, 60)
    hours, mins = divmod(minutes, 60)
    return hours, mins, secs, millis


def format_srt(ms: int) -> str:
    """``HH:MM:SS,mmm``; negative times clamp to 0."""
    h, m, s, f = _split(ms)
    return f"{h:02d}:{m:02d}:{s:02d},{f:03d}"


def format_vtt(ms: int) -> str:
    """``HH:MM:SS.mmm``; negative times clamp to 0."""
    h, m, s, f = _split(ms)
    return f"{h:02d}:{m:02d}:{s:02d}.{f:03d}"


def format_seconds(ms: int) -> str:
    """Seconds with exactly three decimals, ``S.mmm`` (``64085`` -> ``"64.085"``).

    For formats that count plain seconds (Praat TextGrid, Audacity labels):
    built from integers, so no float noise; negative times clamp to 0.
    """
    seconds, millis = divmod(max(ms, 0), 1000)
    return f"{seconds}.{millis:03d}"


def format_clock(ms: int) -> str:
    """Short human form for summaries: ``M:SS`` or ``H:MM:SS``."""
    h, m, s, _ = _split(ms)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


_STAMP = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{3})$")


def parse_timestamp(text: str) -> int:
    """Parse ``[HH:]MM:SS.mmm`` (or with a comma) to milliseconds.

    Raises:
        ValueError: the text is not such a timestamp.
    """
    match = _STAMP.match(text.strip())
    if not match:
        raise ValueError(f"not a timestamp: {text!r}")
    hours = int(match.group(1) or 0)
    return ((hours * 60 + int(match.group(2))) * 60 + int(match.group(3))) * 1000 + int(match.group(4))


_CLOCK = re.compile(r"^(?:(\d{1,3}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?$")


def parse_clock(text: str) -> int:
    """Parse the looser stamps transcripts and old caption files carry, to milliseconds.

    ``H:MM:SS``, ``HH:MM:SS``, ``M:SS`` and ``MM:SS``, each optionally with a
    fraction of one to three digits after ``.`` or ``,`` (``0:01:02.5`` is
    62500 ms). Minutes and seconds over 59 are refused: they are typos, and a
    typo taken as a time would mislead the aligner.

    Raises:
        ValueError: the text is not such a stamp.
    """
    match = _CLOCK.match(text.strip())
    if not match or int(match.group(3)) > 59 or (match.group(1) is not None and int(match.group(2)) > 59):
        raise ValueError(f"not a timestamp: {text!r}")
    hours = int(match.group(1) or 0)
    fraction = (match.group(4) or "0").ljust(3, "0")
    return ((hours * 60 + int(match.group(2))) * 60 + int(match.group(3))) * 1000 + int(fraction)
