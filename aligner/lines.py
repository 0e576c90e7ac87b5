"""Caption lines: how good a break each word's end is, and a cue's words wrapped into balanced lines.

:mod:`aligner.cues` decides where cues break; this module decides where a
cue's lines break, and tells the cue builder what a wrap would cost, so that
a cue whose lines cannot avoid ending on a sentence's first word is priced
as such (see :func:`wrap` and :class:`LineWrapper`).

A word's end is a sentence end (``. ? ! …``, closing quotes allowed, not
``Dr.``), a clause end (``, ; : — –``), a plain word, or a word that leans on
the next (``the``, ``of``, ``and``, ``I``): :func:`break_kind`. Among the
wraps into the fewest lines, :func:`wrap_lines` takes the most balanced, plus
a small cost for wrapping after a word without punctuation and a larger one
for ending a line on the first word or two of a sentence that goes on below
it (``Talk.” This / is episode 193``).
"""

from __future__ import annotations

import enum
import functools
import math
import re
from collections.abc import Sequence
from itertools import pairwise

__all__ = ["BreakKind", "LineWrapper", "break_kind", "count_lines", "words_carried", "wrap", "wrap_lines"]

# Characters that may follow the punctuation that ends a sentence or clause.
_CLOSERS = "\"'”’)]}»›"
_SENTENCE_END = re.compile(r"[.?!…‽]+[" + re.escape(_CLOSERS) + r"]*$")
_CLAUSE_END = re.compile(r"(?:[,;:—–]|--)[" + re.escape(_CLOSERS) + r"]*$")
_DASHES = frozenset({"-", "–", "—", "--"})
# Short English words that bind to the word after them: a break right after one reads badly
# ("... for a / few seconds"). English only: the bundled model is English.
_CLINGING = frozenset(
    "a an the to of in on at by for from with into as and or but nor so if than that which who whose "
    "my your his her its our their this these those i we you he she they is are was were be".split()
)
# Words ending in "." that rarely end a sentence.
_ABBREVIATIONS = frozenset({"mr.", "mrs.", "ms.", "dr.", "prof.", "st.", "jr.", "sr.", "vs.", "e.g.", "i.e."})

# Costs of a line wrap by BreakKind, in units of a full line squared.
_WRAP_COST = (0.0, 0.05, 0.12, 0.2)
_CARRY_WRAP_COST = (1.0, 0.5)  # a line ending on the first one or two words of a sentence going on below it


class BreakKind(enum.IntEnum):
    """How good a place the end of a word is for a cue or line break (lower is better)."""

    SENTENCE = 0
    CLAUSE = 1
    WORD = 2
    CLINGING = 3  # after an article, preposition, conjunction or pronoun ("a", "of", "and", "I")


@functools.lru_cache(maxsize=1 << 16)
def break_kind(text: str) -> BreakKind:
    """Classify the boundary after a word by its trailing punctuation.

    Sentence ends are ``. ? ! …`` possibly followed by closing quotes or
    brackets (``done.”``), except a few abbreviations (``Dr.``); clause ends
    are ``, ; : — –`` (and ``--``), or a dash standing alone as a word; a
    few short English words that lean on the next word (``the``, ``of``,
    ``and``, ``I``) make the worst place for a break.

    >>> [break_kind(t).name for t in ["done.”", "well,", "Dr.", "river", "the"]]
    ['SENTENCE', 'CLAUSE', 'WORD', 'WORD', 'CLINGING']
    """
    if text in _DASHES or _CLAUSE_END.search(text):
        return BreakKind.CLAUSE
    if _SENTENCE_END.search(text) and text.lower().rstrip(_CLOSERS) not in _ABBREVIATIONS:
        return BreakKind.SENTENCE
    if text.lower() in _CLINGING:
        return BreakKind.CLINGING
    return BreakKind.WORD


def count_lines(lengths: Sequence[int], width: int) -> int:
    """Fewest lines of ``width`` characters holding tokens of these lengths (greedy is optimal).

    A token longer than ``width`` takes a line of its own.
    """
    lines, used = 0, -1
    for size in lengths:
        if used >= 0 and used + 1 + size <= width:
            used += 1 + size
        else:
            lines, used = lines + 1, size
    return lines


def wrap_lines(
    tokens: Sequence[str], *, max_line_chars: int, max_lines: int, first_line_indent: int = 0
) -> tuple[str, ...]:
    """Wrap words into the fewest lines of ``max_line_chars``, balanced.

    The number of lines is the fewest that hold the words (a word longer
    than a line gets a line of its own). Among the wraps into that many
    lines, it takes the one with the smallest sum of squared line lengths
    (balanced lines), plus a small cost for wrapping after a word without
    punctuation and a larger one for ending a line on the first word of a
    sentence that goes on below it (``Talk.” This / is episode 193``).
    If more than ``max_lines`` lines are needed (only for a cue that could
    not be split), lines are filled greedily. ``first_line_indent``
    characters of the first line are taken already (the SRT writer's
    ``Name: ``): the first word and the indent count as one word.

    >>> wrap_lines("one two three four five six".split(), max_line_chars=20, max_lines=2)
    ('one two three', 'four five six')
    >>> wrap_lines("Well, I suppose that is the way it goes".split(), max_line_chars=30, max_lines=2)
    ('Well, I suppose', 'that is the way it goes')
    >>> wrap_lines("Hi. I suppose it is".split(), max_line_chars=20, max_lines=2, first_line_indent=8)
    ('Hi.', 'I suppose it is')
    """
    tokens = list(tokens)
    starts, _ = wrap(tokens, max_line_chars, max_lines, first_line_indent)
    return tuple(" ".join(tokens[i:j]) for i, j in pairwise((*starts, len(tokens))))


def words_carried(sentence_end: Sequence[bool], stop: int) -> int:
    """How many first words of a sentence a run ending before item ``stop`` ends on: 1, 2, or 0 for none.

    ``sentence_end[i]``: item ``i`` ends a sentence. It counts only where the
    sentence goes on after the run: a run ending a sentence, or at the end,
    carries nothing.

    >>> ends = [w.endswith(".") for w in "Hello to Brain Talk. This is episode 193".split()]
    >>> [words_carried(ends, stop) for stop in (4, 5, 6, 7, 8)]
    [0, 1, 2, 0, 0]
    """
    if not 0 < stop < len(sentence_end) or sentence_end[stop - 1]:
        return 0
    for count in (1, 2):
        if stop - count - 1 < 0 or sentence_end[stop - count]:
            return 0
        if sentence_end[stop - count - 1]:
            return count
    return 0


def wrap(tokens: Sequence[str], width: int, max_lines: int, indent: int) -> tuple[list[int], dict[int, int]]:
    """:func:`wrap_lines`' choice, as the index of each line's first token (``[]`` for no tokens).

    Also returns, for each place ``i`` where a line ending before ``tokens[i]``
    would end on a sentence's first word or two, how many (:func:`_carried`).
    """
    if not tokens:
        return [], {}
    lengths = [len(token) for token in tokens]
    lengths[0] += indent
    needed = count_lines(lengths, width)
    kinds = [break_kind(token) for token in tokens]
    k = len(tokens)
    carries: dict[int, int] = {}  # the same as words_carried(ends, i) for each i in range(1, k), but faster
    ends = [kind is BreakKind.SENTENCE for kind in kinds]
    for j in range(k - 2):
        if ends[j]:
            for count in (1, 2):
                i = j + 1 + count
                if i >= k or ends[i - 1]:
                    break
                carries[i] = count
    if needed <= 1:
        return [0], carries
    if needed > max_lines:
        return _greedy_lines(lengths, width), carries

    offsets = [0]
    for size in lengths:
        offsets.append(offsets[-1] + size)

    def length(i: int, j: int) -> int:
        return offsets[j] - offsets[i] + (j - i - 1)

    wrap_cost = [0.0] + [_WRAP_COST[kind] for kind in kinds]  # wrap_cost[i]: after tokens[i - 1]
    for i, carried in carries.items():
        wrap_cost[i] += _CARRY_WRAP_COST[carried - 1]

    if needed == 2:  # nearly every cue: the general search below, in one pass over the split points
        plain = [len(token) for token in tokens]  # the indent is LineWrapper's own argument
        return [0, LineWrapper(plain, kinds).two_line_split(0, k, indent, width)], carries
    inf = math.inf
    # best[l][j]: cheapest wrap of tokens[:j] into l lines
    best = [[inf] * (k + 1) for _ in range(needed + 1)]
    back = [[0] * (k + 1) for _ in range(needed + 1)]
    best[0][0] = 0.0
    for line in range(1, needed + 1):
        for j in range(line, k + 1):
            for i in range(line - 1, j):
                if best[line - 1][i] == inf:
                    continue
                size = length(i, j)
                if size > width and j - i > 1:
                    continue
                shown = size - indent if i == 0 else size
                cost = best[line - 1][i] + (shown / width) ** 2 + wrap_cost[i]
                if cost < best[line][j]:
                    best[line][j] = cost
                    back[line][j] = i
    starts: list[int] = []
    j = k
    for line in range(needed, 0, -1):
        j = back[line][j]
        starts.append(j)
    return starts[::-1], carries


def _greedy_lines(lengths: Sequence[int], width: int) -> list[int]:
    starts: list[int] = []
    used = -1
    for i, size in enumerate(lengths):
        if starts and used + 1 + size <= width:
            used += 1 + size
        else:
            starts.append(i)
            used = size
    return starts


class LineWrapper:
    """The two-line wrap of :func:`wrap` for any run of a fixed token sequence, without rebuilding it.

    The cue builder asks, for thousands of candidate cues, whether the
    candidate's lines could only be wrapped by ending one on a sentence's
    first word or two (:func:`wrap`'s ``carries`` at its chosen line start).
    Asking :func:`wrap` means rebuilding the token lengths, break kinds,
    carries and prefix sums of each candidate: most of the cue builder's time
    on a long episode. This class builds them once for the whole sequence and
    answers for a run ``[lo, hi)`` with exactly :func:`wrap`'s arithmetic, in
    the same order (so ties break the same way).

    Worked example: the tokens ``Talk.” This is episode 193`` (lengths 6, 4,
    2, 7, 3) in two lines of 16. A second line may start at "This" (then it
    holds 19 characters: too long), at "is" (the first line ends on "This",
    the sentence's first word: +1.0), at "episode" (the first line ends on
    "This is", its first two words: +0.5) or later (a first line of 22:
    too long). Balance is equal for the two that fit (11 + 14 and 14 + 11
    characters), so the wrap is "Talk.” This is" / "episode 193", and
    :meth:`carry_cost` is 0.5, as :func:`wrap` says:

    >>> tokens = "Talk.” This is episode 193".split()
    >>> LineWrapper([len(t) for t in tokens], [break_kind(t) for t in tokens]).carry_cost(0, 5, 0, 16, 2, (1.0, 0.5))
    0.5
    >>> wrap(tokens, 16, 2, 0)
    ([0, 3], {2: 1, 3: 2})
    """

    def __init__(self, lengths: Sequence[int], kinds: Sequence[BreakKind]) -> None:
        self._offsets = [0]
        for size in lengths:
            self._offsets.append(self._offsets[-1] + size)
        self._wrap_after = [_WRAP_COST[kind] for kind in kinds]  # the cost of a wrap after token i
        # For a line starting at token i: how many words of a sentence come before it on the
        # line above (1 or 2; 0 for none or more), and where that sentence's previous one ended.
        self._carry = [0] * (len(lengths) + 1)
        self._end_before = [-1] * (len(lengths) + 1)
        last_end = -1
        for i in range(1, len(lengths) + 1):
            if kinds[i - 1] is BreakKind.SENTENCE:
                last_end = i - 1
            elif last_end >= 0 and i - 1 - last_end <= 2:
                self._carry[i] = i - 1 - last_end
                self._end_before[i] = last_end

    def two_line_split(self, lo: int, hi: int, indent: int, width: int) -> int:
        """Where :func:`wrap` starts the second of two lines for tokens ``[lo, hi)`` (``lo`` if none fits).

        ``indent`` characters of the first line are taken. A line may
        overrun ``width`` only if it is one token. Costs are added in the
        order :func:`wrap`'s general search adds them, so ties break alike.
        """
        offsets, wrap_after, carry, end_before = self._offsets, self._wrap_after, self._carry, self._end_before
        best, split = math.inf, lo
        for i in range(lo + 1, hi):
            first = offsets[i] - offsets[lo] + (i - lo - 1) + indent
            second = offsets[hi] - offsets[i] + (hi - i - 1)
            if (first > width and i - lo > 1) or (second > width and hi - i > 1):
                continue
            after = wrap_after[i - 1]
            if carry[i] and end_before[i] >= lo:
                after += _CARRY_WRAP_COST[carry[i] - 1]
            cost = 0.0 + ((first - indent) / width) ** 2 + 0.0 + (second / width) ** 2 + after
            if cost < best:
                best, split = cost, i
        return split

    def carry_cost(self, lo: int, hi: int, indent: int, width: int, lines: int, costs: Sequence[float]) -> float:
        """``costs[c - 1]`` if the wrap of tokens ``[lo, hi)`` into ``lines`` lines starts one ``c`` words into a sentence.

        ``indent`` characters of the first line are taken. Only two lines are
        answered here; for more, the caller uses :func:`wrap`.
        """
        if lines != 2:
            raise ValueError("LineWrapper answers for two lines only")
        split = self.two_line_split(lo, hi, indent, width)
        if split > lo and self._carry[split] and self._end_before[split] >= lo:
            return costs[self._carry[split] - 1]
        return 0.0
