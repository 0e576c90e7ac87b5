"""aligner.lines: break kinds, line wraps, and LineWrapper answering exactly as wrap() does."""

from __future__ import annotations

import doctest
import random

import aligner.lines
from aligner.lines import LineWrapper, break_kind, wrap

_COSTS = (1.0, 0.5)
_WORDS = "So. that was the plan. We set off at dawn, and by noon “the whole valley” was ours! I I think extraordinarily".split()


def _carry_by_wrap(tokens: list[str], width: int, indent: int) -> float:
    starts, carries = wrap(tokens, width, 2, indent)
    return max((_COSTS[carries[i] - 1] for i in starts if i in carries), default=0.0)


def test_the_docstring_examples_hold() -> None:
    assert doctest.testmod(aligner.lines).failed == 0


def test_line_wrapper_gives_wraps_carry_cost_for_every_two_line_run() -> None:
    rng = random.Random(3)
    checked = 0
    for _ in range(300):
        tokens = [rng.choice(_WORDS) for _ in range(rng.randint(2, 30))]
        wrapper = LineWrapper([len(t) for t in tokens], [break_kind(t) for t in tokens])
        for _ in range(10):
            lo = rng.randrange(len(tokens) - 1)
            hi = rng.randint(lo + 2, len(tokens))
            width, indent = rng.randint(8, 50), rng.choice([0, 0, 5, 13])
            run = tokens[lo:hi]
            lengths = [len(t) for t in run]
            lengths[0] += indent
            if aligner.lines.count_lines(lengths, width) != 2:
                continue
            assert wrapper.carry_cost(lo, hi, indent, width, 2, _COSTS) == _carry_by_wrap(run, width, indent), run
            checked += 1
    assert checked > 500
