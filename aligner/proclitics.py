"""Short words that lean on the next ("a", "an", "the", "I") said with it, not before the pause in front of it.

"a" is one reduced vowel, 30-60 ms, said run into the word after it; so,
nearly as often, are "an", "the" and "I" (proclitics). Where
a pause comes before that word, pocketsphinx can give "a" something else
and leave the article's own sound to the noun's start:

- a filler before it ("Thompson, um a marine biologist"): "um" and "a" are
  the same vowel to the aligner (AH), so "a" takes the "um" and the pause
  after it; the noun starts where the real "a" does (benchmark seed 3: "a"
  383 ms early, "marine" 47 ms early);
- a comma's pause before it ("Martin Wilson, a marine biologist"): "a" is
  squeezed into the three frames after "Wilson", the pause follows, and the
  noun starts at the real "a" (festival's voice: 240 ms early).

Either way the aligner leaves a pause between "a" and the word it belongs
to, which is how speakers say a hesitation *after* an article too ("it's
a... marine biologist"): so only two shapes are moved, each unlike a said
"a...". An "a" squeezed (at most ``SQUEEZED_MS``) against the word before
it, or one standing alone between two pauses (a filler's place), with a
pause of ``MIN_PAUSE_MS`` or more after it, is put in the last ``SAID_MS``
of that pause, against the word after it, which keeps its start. A
lengthened "a" run on from the word before it ("it's a..."), the
hesitation's shape, stays; so does one the aligner ran on into its noun
over a filler and a pause (seed 4's "Turner, uh a coach": "a" 450 ms long
from the "uh"), which only the audio could split.

The same shapes hold "the" on a caller's removed "uh" ("Uh, the numbers
have gone", held-out telephone: 234 -> 49 ms) and "I" squeezed after a
sentence's end (espeak's "crazy. I was lucky", 418 -> 72 ms; the held-out
remote guest's "I", 604 -> 37 ms).

Worked example (seed 3): "Thompson," ends at 11.200 s, "a" placed
11.320-11.500 s (on the "um"), "marine" at 11.750 s. "a" stands between
two pauses (120 and 250 ms), so it becomes 11.700-11.750 s (the
synthesizer's truth: 11.703-11.753 s).

Measured (``python benchmarks/run_benchmark.py --conditions --systems aligner
--cached``, the same with ``--held-out --no-default``, then
``benchmarks/word_diff.py``): 5 starts better by more than 20 ms (the "a"s
of seed 3, the producer's edits, festival's and the telephone call-in,
207-383 ms early -> 3-40 ms), none worse; with "an", "the" and "I", 3 more
better, none worse. Moving "a" to the noun's start
and the noun after it instead, or taking an "a" up to 80 ms as squeezed,
made 4 worse (a said "ride a bike" whose "bike" was placed late moved
with it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from aligner.types import TimedWord, TimingMethod, TokenKind

__all__ = [
    "LEANING_WORDS",
    "MIN_ALONE_PAUSE_MS",
    "MIN_PAUSE_MS",
    "SAID_MS",
    "SQUEEZED_MS",
    "proclitics_with_their_words",
]

LEANING_WORDS = frozenset({"a", "an", "the", "i"})
"""The words moved (casefolded, without punctuation: "a," or "I." ends a phrase and stays)."""

MIN_PAUSE_MS = 150
"""A pause the aligner left between "a" and the next word at least this long (a word's gap is not one)."""

SQUEEZED_MS = 40
"""An "a" this short against the word before it was squeezed in: pocketsphinx's least is 30 ms."""

MIN_ALONE_PAUSE_MS = 100
"""... or one this far after the word before it stands alone, in a filler's place."""

SAID_MS = 50
"""What a word moved to the next is given: the benchmark's said "a"s last 38-62 ms."""

_PLACED = (TimingMethod.SPHINX, TimingMethod.ONSET, TimingMethod.ACOUSTIC)


def proclitics_with_their_words(words: Sequence[TimedWord]) -> tuple[TimedWord, ...]:
    """``words`` (the timing stage's, in token order) with each leaning word moved to the next (module docstring)."""
    out = list(words)
    for k in range(1, len(out) - 1):
        before, leaning, after = out[k - 1], out[k], out[k + 1]
        if leaning.token.text.casefold() not in LEANING_WORDS or leaning.method not in _PLACED:
            continue
        if after.token.kind is not TokenKind.WORD or after.method not in _PLACED:
            continue
        if before.token.kind is not TokenKind.WORD or before.end_ms is None or after.end_ms is None:
            continue
        if before.token.speaker != leaning.token.speaker or after.token.speaker != leaning.token.speaker:
            continue
        assert leaning.start_ms is not None and leaning.end_ms is not None and after.start_ms is not None
        pause_after = after.start_ms - leaning.end_ms
        pause_before = leaning.start_ms - before.end_ms
        squeezed = leaning.end_ms - leaning.start_ms <= SQUEEZED_MS and pause_before <= 0
        alone = pause_before >= MIN_ALONE_PAUSE_MS
        if pause_after < MIN_PAUSE_MS or not (squeezed or alone):
            continue
        out[k] = replace(leaning, start_ms=after.start_ms - SAID_MS, end_ms=after.start_ms)
    return tuple(out)
