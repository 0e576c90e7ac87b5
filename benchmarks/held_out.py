"""Held-out condition episodes: every condition of benchmarks/conditions again, with seeds nothing was tuned on.

A change chosen because it helps a row of ``run_benchmark.py --conditions``
may only fit that row's one episode. The held-out episodes are the same
conditions built from other seeds (other sentences, voices, levels,
placements; the real-voice episodes reorder and re-place the same
recordings), so ``run_benchmark.py --conditions --held-out`` tells whether
the change holds on material it was not chosen on. Nothing is tuned on them:
look at them after a change, not while making it.

Kept outside the conditions package, whose code is part of every condition
episode's cache key (:func:`conditions.conditions_digest`).
"""

from __future__ import annotations

from dataclasses import replace

from conditions import Condition

HELD_OUT_SEED_OFFSET = 1000
"""Added to each condition's seeds (the project's conditions use 101-109 and 201-202)."""

SEED_INSTEAD = {"espeak": 1137}
"""Where the generator cannot build the offset seed: espeak's 1107, 1117, 1127 and 1147 stop at a closing
line one of the drawn voices cannot say in a way flite times ("Daniel, thank you so much for coming on
the show."); 1137 is the first of 1107 + 10k that builds."""


def held_out(condition: Condition) -> Condition:
    """``condition`` with its held-out seeds, its row titled so."""
    episodes = tuple(
        (SEED_INSTEAD.get(condition.name, seed + HELD_OUT_SEED_OFFSET), minutes) for seed, minutes in condition.episodes
    )
    return replace(condition, title=f"{condition.title}, held out", episodes=episodes)
