"""Caption presets: the line, duration and reading-speed limits of a house style.

A preset is a complete :class:`~aligner.options.CaptionOptions`; options given
explicitly replace single fields of it (``--preset bbc --max-lines 3``). Each
preset records where its numbers come from, and the README repeats them.

- ``podcast`` (the default): the core defaults, 42 characters a line, 2 lines,
  5/6 s to 7 s on screen, 20 characters a second, a cue always ends at a pause
  over 1.5 s.
- ``netflix``: Netflix's English (USA) Timed Text Style Guide and its General
  Requirements: "42 characters per line", "2 lines maximum", minimum duration
  "5/6 (five-sixths) of a second per subtitle event", maximum "7 seconds per
  subtitle event", reading speed "Adult programs: Up to 20 characters per
  second". These are the numbers the core defaults were taken from, so the
  two presets are equal; ``netflix`` exists so a command line says which
  style it follows.
- ``bbc``: the BBC Subtitle Guidelines. Line length (3.1): "37 characters" on
  broadcast (Teletext), the equivalent of 68% of a 16:9 frame online; lines
  (3.3): "a maximum subtitle length of two lines"; timing (4): "160-180
  words-per-minute (WPM) or 0.33 to 0.375 second per word". Our limit counts
  characters, so 180 words a minute becomes 17 characters a second: 3 words a
  second times 5.74 characters a word (a word plus its space, measured over
  the 14,221 body words of ``fixtures/transcripts/real_example.md``) is 17.2.
  The guidelines set no fixed minimum or maximum time on screen (4.1 asks
  for about 0.3 s a word, which the reading speed already gives), so those
  stay at the core 5/6 s and 7 s.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from aligner.errors import OptionsError
from aligner.options import CaptionOptions

__all__ = ["DEFAULT_PRESET", "PRESETS", "Preset", "preset_options"]


@dataclass(frozen=True, slots=True)
class Preset:
    """A named set of caption limits and the guideline they come from."""

    name: str
    options: CaptionOptions
    source: str


PRESETS: dict[str, Preset] = {
    "podcast": Preset(
        "podcast",
        CaptionOptions(),
        "aligner's defaults (common subtitle guidance: 42 x 2, 5/6-7 s, 20 cps)",
    ),
    "netflix": Preset(
        "netflix",
        CaptionOptions(
            max_line_chars=42,
            max_lines=2,
            min_duration_ms=833,
            max_duration_ms=7000,
            max_chars_per_second=20.0,
        ),
        "Netflix English (USA) Timed Text Style Guide and General Requirements",
    ),
    "bbc": Preset(
        "bbc",
        CaptionOptions(
            max_line_chars=37,
            max_lines=2,
            min_duration_ms=833,
            max_duration_ms=7000,
            max_chars_per_second=17.0,
        ),
        "BBC Subtitle Guidelines (3.1 line length, 3.3 lines, 4 timing: 160-180 wpm)",
    ),
}

DEFAULT_PRESET = "podcast"


def preset_options(
    name: str = DEFAULT_PRESET,
    *,
    max_line_chars: int | None = None,
    max_lines: int | None = None,
    min_duration_ms: int | None = None,
    max_duration_ms: int | None = None,
    max_chars_per_second: float | None = None,
    max_gap_ms: int | None = None,
) -> CaptionOptions:
    """The caption options of preset ``name``, with the fields given replaced.

    Args:
        name: a key of :data:`PRESETS`.
        max_line_chars, max_lines, min_duration_ms, max_duration_ms,
        max_chars_per_second, max_gap_ms: the :class:`CaptionOptions` fields
            given explicitly; None keeps the preset's value. The result is
            validated like any CaptionOptions.

    Raises:
        OptionsError: an unknown preset name, or limits that cannot work.
    """
    preset = PRESETS.get(name)
    if preset is None:
        raise OptionsError(f"unknown caption preset {name!r}; choose from {', '.join(PRESETS)}")
    given: dict[str, Any] = {
        "max_line_chars": max_line_chars,
        "max_lines": max_lines,
        "min_duration_ms": min_duration_ms,
        "max_duration_ms": max_duration_ms,
        "max_chars_per_second": max_chars_per_second,
        "max_gap_ms": max_gap_ms,
    }
    return replace(preset.options, **{key: value for key, value in given.items() if value is not None})
