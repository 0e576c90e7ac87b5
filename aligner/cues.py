"""Caption cues from timed transcript words.

:func:`build_cues` turns ``Result.words`` (every transcript token, timed or
not) into :class:`~aligner.types.Cue` records. It is a fixed pipeline of small
pure functions, run in this order (the stable-ts caption operations, with the
choice of breaks made once, globally, instead of by repeated splitting):

1. :func:`_timed_items` keeps the tokens that have both times, clamps the
   times to ``[0, duration_ms]`` and rejects times that go backwards (a bug in
   the timing stage; the error names the tokens).
2. :func:`_build_units` groups tokens into units that are never split: a word,
   or a short timed note glued to the word that follows it. A timed note
   lasting at least ``min_duration_ms`` is a unit of its own and becomes a note
   cue. Each unit records whether a cue *must* end before it (hard break:
   speaker change, pause longer than ``max_gap_ms``, a note) and how good a
   break after it is (:class:`BreakKind`: sentence end, clause punctuation,
   plain word, or a word such as "the" or "of" that leans on the next). The
   first word unit of a speaker's turn keeps room before it for the SRT
   writer's ``Name: `` (below).
3. :func:`_choose_breaks` picks the cue boundaries by dynamic programming over
   the units. Every cue must fit ``max_lines`` lines of ``max_line_chars`` and
   last at most ``max_duration_ms``; among the layouts that do, it takes the
   one of least total cost, where each cue costs

   * the square of its unused share of the character capacity (so two
     balanced cues beat one full cue and a scrap),
   * its break: 0 at a sentence end, 0.35 at clause punctuation, 1.2 after a
     plain word, 1.6 after a leaning word (up to half off after a pause
     approaching ``max_gap_ms``; nothing at a hard break),
   * 2.0 if it is a single word cut from a longer run (an orphan),
   * 0.3 for each sentence end inside it, and 1.0 more if it also began
     mid-sentence (the tail of one sentence and the head of the next),
   * 1.0 if it ends on the first word of a sentence that the next cue goes
     on with (``… Talk.” This``), 0.5 on its first two words; as much again
     if its lines cannot be wrapped without one of them ending so (step 4).
4. :func:`wrap_lines` wraps each cue's text into the fewest lines, balanced,
   preferring to wrap after punctuation and not to end a line on the first
   word or two of a sentence that goes on below it.
5. :func:`_assign_times` sets each cue's start to its first token's start and
   its end to its last token's end plus a short linger (``LINGER_MS``, at most
   ``max_gap_ms``, so it never spans a long pause), extended for
   ``min_duration_ms`` and for ``max_chars_per_second``, never past the next
   cue's start, the end of the audio or ``start + max_duration_ms``. Where
   two named speakers' speech overlaps, or a short cue ("Right.") would be
   cut below ``min_duration_ms`` by the other speaker's next cue, the cue
   stays up over that cue, to its last word's end or ``min_duration_ms``:
   cues of two speakers may overlap in time as their speech does (WebVTT
   shows both; the SRT writer ends each cue at the next one's start, since
   many SRT players show one cue at a time). A cue
   starts with its first word: with word times from the refinement stage
   that is within a frame or two of the speech it shows. A short note shown
   inline (``[laughs] Sorry.``) does not pull the start earlier: its time is
   only the pause it was placed in, not a measured sound.

Notes (``[music]``, ``[laughs]``): an untimed note never appears. A timed note
whose span is at least ``min_duration_ms`` becomes its own cue
(``is_note=True``). A shorter timed note always ends the cue before it and is
shown inline at the start of the cue holding the next word, provided that word
is timed, follows within ``max_gap_ms``, belongs to the note's speaker (or the
note has none), comes before any long note, and fits in one cue with the note
(lines and duration). Otherwise (``[crosstalk]`` at the end of a turn, a
``[laughs]`` before the other speaker answers) it closes the cue of the word
before it, on the same conditions, or failing that is a short cue of its
own: a note in the transcript is dropped from the captions only where no cue
can start for it (at the very millisecond of the words around it). A note is never
wrapped inside; like a word, it may overflow a line only on a line of its own.

The SRT speaker prefix: SRT starts the first cue of each speaker's turn with
``Name: `` (:func:`speaker_prefix`; :mod:`aligner.writers.srt`), on the first
line. Cues are built once and rendered by every writer, so the cue builder
keeps that room on the first line of such a cue *always*: to the line
counting and wrapping, ``Name: `` and the turn's first word are one word (a
line over the limit is still only ever one word, with its ``Name: ``).
Balance is judged on what every format shows, the text without the prefix.
Keeping the room whether or not the SRT prefix is on makes a cue's layout
depend on the caption limits alone: ``--no-speaker-prefix`` or a second
:func:`aligner.render` with other output options changes no WebVTT or JSON
line and can push no SRT line over the limit, and :func:`aligner.align` needs
no output option. The SRT writer cannot make the room itself: it is not given
the limits, and a cue laid out without the prefix may need a line more than
``max_lines`` with it. The cost is a first line up to ``len(name) + 2``
characters shorter at each change of speaker where no prefix is shown
(WebVTT, JSON, SRT with the prefix off).

Worked example (defaults: 42 characters x 2 lines = 84 a cue): "So that was
the plan. We set off at dawn, and by noon the whole valley was ours to
explore." is 91 characters, so it needs two cues. Breaking after "plan."
leaves 21 + 69 characters: (63/84)^2 + (15/84)^2 = 0.59, and a sentence end
costs nothing. Breaking after "dawn," leaves 41 + 49 characters: 0.26 + 0.17,
plus 0.35 for the clause break and 0.3 for the first cue holding a sentence end
= 1.08. The sentence end wins. Had the text begun "So. We set off at dawn,
...", a break after "So." would cost 0.93 for a nearly empty cue plus 2.0 for
a one-word cue, and the comma (23 + 72 characters: 0.53 + 0.02 + 0.35 + 0.3 =
1.2) wins instead.

Worked example of a carried word (the fixture's opening, no speaker named):
"Hello and welcome to “Brain Talk.” This is episode 193, recorded in March
2024." is 79 characters, one cue of (5/84)^2 = 0.004 plus 0.3 for the sentence
end inside. But the second sentence, 44 characters, fits no line, so the
cue's two lines can only break after "This" (39 + 39) or "is" (42 + 36); the
wrap takes "… “Brain Talk.” This is" / "episode 193, …", and the cue costs 0.5
more, 0.80 in all. Two cues broken after "Talk.”" (34 + 44 characters: 0.35
+ 0.23 = 0.58) win. Spoken by Jane Miller, the one cue would not fit at all:
``Jane Miller: `` makes it 92 characters.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from aligner.lines import BreakKind, LineWrapper, break_kind, count_lines, words_carried, wrap, wrap_lines
from aligner.options import CaptionOptions
from aligner.types import Cue, TimedWord, TokenKind

__all__ = ["BreakKind", "break_kind", "build_cues", "cue_text", "speaker_prefix", "wrap_lines"]

# Costs of the break chooser, in units of one empty cue (an empty cue costs 1.0).
_BREAK_COST = (0.0, 0.35, 1.2, 1.6)  # indexed by BreakKind: sentence, clause, word, clinging word
_PAUSE_DISCOUNT = 0.5  # a break at a pause of max_gap_ms costs this much less (linear below)
_ORPHAN_COST = 2.0  # a cue of one word cut from a run of several
_CROSS_COST = 0.3  # per sentence end inside a cue (a cue holds one sentence where it can)
_TAIL_CROSS_COST = 1.0  # once more if that cue also began mid-sentence (a sentence's tail + the next's head)
# A cue ending on the first one or two words of a sentence that the next cue goes on with, or whose lines
# cannot be wrapped without one ending so ("… Talk.” This / is episode 193").
_CARRY_COST = (1.0, 0.5)
_OVER_LIMIT_COST = 1000.0  # a cue over the line or duration limits (only when nothing else is possible)
LINGER_MS = 300
"""A speech cue stays up this long after its last word ends (ms), where the next cue and
``max_gap_ms`` allow: the eye is still reading when the voice stops, and two cues a short pause
apart then meet instead of flickering off and on."""


def cue_text(cue: Cue) -> str:
    """The cue's text as displayed: its lines joined by newlines."""
    return "\n".join(cue.lines)


def speaker_prefix(speaker: str) -> str:
    """What SRT puts before the first line of a speaker's turn; the cue lines keep room for it.

    >>> speaker_prefix("Jane Miller")
    'Jane Miller: '
    """
    return f"{speaker}: "


# ----------------------------------------------------------------------------------------------
# Step 1: timed items


@dataclass(frozen=True, slots=True)
class _Item:
    index: int  # into the words given to build_cues
    text: str
    start_ms: int
    end_ms: int
    speaker: str | None
    is_note: bool


def _timed_items(words: Sequence[TimedWord], duration_ms: int) -> list[_Item]:
    """Tokens with both times, clamped to ``[0, duration_ms]``, in order.

    Starts are clamped to ``duration_ms - 1``, so that a token starting at the
    very end of the audio (a zero-length word there) can still have a cue.

    Raises:
        ValueError: a token ends before it starts, or starts before the timed
            token before it (the timing stage must not produce either).
    """
    items: list[_Item] = []
    for index, word in enumerate(words):
        if word.start_ms is None or word.end_ms is None:
            continue
        if word.end_ms < word.start_ms:
            raise ValueError(
                f"word {index} ({word.token.text!r}) ends at {word.end_ms} ms before its start {word.start_ms} ms"
            )
        # a token starting at the very end of the audio starts 1 ms earlier, so its cue can last 1 ms
        start = min(max(word.start_ms, 0), duration_ms - 1)
        end = min(max(word.end_ms, start), duration_ms)
        if items and start < items[-1].start_ms:
            prev = items[-1]
            raise ValueError(
                f"times go backwards: word {index} ({word.token.text!r}) starts at {start} ms, "
                f"before word {prev.index} ({prev.text!r}) at {prev.start_ms} ms"
            )
        is_note = word.token.kind is TokenKind.NOTE
        text = " ".join(word.token.text.split()) if is_note else word.token.text
        if not text:
            continue
        items.append(_Item(index, text, start, end, word.token.speaker, is_note))
    return items


# ----------------------------------------------------------------------------------------------
# Step 2: units


@dataclass(frozen=True, slots=True)
class _Unit:
    items: tuple[_Item, ...]
    tokens: tuple[str, ...]  # display texts, one per item (a note is never wrapped inside)
    start_ms: int
    end_ms: int  # latest end of its items
    speaker: str | None
    is_note: bool  # a long note: a cue of its own
    hard_before: bool  # a cue must end before this unit
    kind_after: BreakKind
    pause_before_ms: int
    prefix_chars: int  # room its cue's first line keeps for an SRT "Name: " (0 unless it opens a turn)


def _build_units(items: Sequence[_Item], options: CaptionOptions) -> list[_Unit]:
    """Group items into unbreakable units and mark the hard breaks.

    See the module docstring for what happens to notes. A word unit whose
    speaker is named and is not the previous word unit's opens a speaker's
    turn, after a hard break (the speaker changed, or a note cue came
    between), so it is the first unit of its cue, and ``prefix_chars`` keeps
    room for the ``Name: `` the SRT writer puts before it
    (:func:`aligner.writers.srt.speaker_prefixes` is the same rule).
    """
    units: list[_Unit] = []
    pending: list[_Item] = []  # short notes waiting for the next word
    announced: str | None = None  # the speaker of the last word unit

    def add(group: tuple[_Item, ...], *, is_note: bool, hard: bool, prefix: int) -> None:
        first, last = group[0], group[-1]
        prev = units[-1] if units else None
        pause = first.start_ms - prev.end_ms if prev else 0
        hard = hard or prev is None or prev.is_note or prev.speaker != last.speaker or pause > options.max_gap_ms
        tokens = tuple(item.text for item in group)
        units.append(
            _Unit(
                items=group,
                tokens=tokens,
                start_ms=first.start_ms,
                end_ms=max(item.end_ms for item in group),
                speaker=last.speaker,
                is_note=is_note,
                hard_before=hard,
                kind_after=BreakKind.SENTENCE if is_note else break_kind(last.text),
                pause_before_ms=max(pause, 0),
                prefix_chars=prefix,
            )
        )

    def place_apart(notes: Sequence[_Item], next_start_ms: int | None) -> None:
        """Short notes that cannot open the next word's cue: at the end of the word before, or a cue each.

        A cue of its own needs to start before the next word does (cues start
        one after the other); a note at the very time of the next word that
        fits nowhere else is the one case dropped.
        """
        for note in notes:
            prev = units[-1] if units else None
            if prev is not None and not prev.is_note and _note_trails(prev, note, options):
                units[-1] = replace(
                    prev,
                    items=(*prev.items, note),
                    tokens=(*prev.tokens, note.text),
                    end_ms=max(prev.end_ms, note.end_ms),
                )
            elif (next_start_ms is None or note.start_ms < next_start_ms) and (
                prev is None or note.start_ms > prev.start_ms
            ):
                add((note,), is_note=True, hard=True, prefix=0)

    for item in items:
        if item.is_note:
            if item.end_ms - item.start_ms >= options.min_duration_ms:
                place_apart(pending, item.start_ms)  # a long note comes between them and any later word
                pending.clear()
                add((item,), is_note=True, hard=True, prefix=0)
            else:
                pending.append(item)
            continue
        prefix = len(speaker_prefix(item.speaker)) if item.speaker is not None and item.speaker != announced else 0
        notes = tuple(pending)
        pending.clear()
        if notes and _note_fits(notes, item, options, prefix):
            announced = item.speaker
            add((*notes, item), is_note=False, hard=True, prefix=prefix)
            continue
        place_apart(notes, item.start_ms)
        announced = item.speaker
        add((item,), is_note=False, hard=False, prefix=prefix)
    place_apart(pending, None)
    return units


def _note_trails(unit: _Unit, note: _Item, options: CaptionOptions) -> bool:
    """Whether a short note may close ``unit``'s cue: the same speaker (or none), close after it, on its lines."""
    if note.speaker is not None and note.speaker != unit.speaker:
        return False
    if note.start_ms - unit.end_ms > options.max_gap_ms or note.end_ms - unit.start_ms > options.max_duration_ms:
        return False
    lengths = [len(text) for text in (*unit.tokens, note.text)]
    lengths[0] += unit.prefix_chars
    return count_lines(lengths, options.max_line_chars) <= options.max_lines


def _note_fits(notes: Sequence[_Item], word: _Item, options: CaptionOptions, prefix: int) -> bool:
    """Whether short notes may be shown inline before ``word`` (see module docstring), after ``prefix`` characters."""
    if any(note.speaker is not None and note.speaker != word.speaker for note in notes):
        return False
    chain = (*notes, word)
    if any(b.start_ms - a.end_ms > options.max_gap_ms for a, b in pairwise(chain)):
        return False
    if word.end_ms - notes[0].start_ms > options.max_duration_ms:
        return False
    lengths = [len(item.text) for item in chain]
    lengths[0] += prefix
    return count_lines(lengths, options.max_line_chars) <= options.max_lines


# ----------------------------------------------------------------------------------------------
# Step 3: cue breaks


def _choose_breaks(units: Sequence[_Unit], *, options: CaptionOptions) -> list[tuple[int, int]]:
    """Split the units into cues, returned as ``(first, stop)`` unit ranges.

    Dynamic programming over break positions (``best[b]`` is the cheapest
    layout of ``units[:b]``); costs are described in the module docstring.

    A cue may end before unit ``b`` only if ``b`` starts strictly after the
    cue's first unit, so that every cue can last at least 1 ms without
    overlapping the next (starts are below ``duration_ms``). With sane times this
    never binds; with words sharing one start time (zero-length words, a
    speaker change at the same millisecond) those words share a cue.
    """
    n = len(units)
    capacity = options.max_cue_chars
    # run_size[i]: number of units between the hard breaks around unit i
    run_size = [0] * n
    start = 0
    for i in range(1, n + 1):
        if i == n or units[i].hard_before:
            for j in range(start, i):
                run_size[j] = i - start
            start = i

    # Everything the loops read, looked up once: they visit a unit once per cue that could hold it
    # (a 90-minute episode has some 15,000 units), and attribute lookups dominated their time.
    unit_chars = [len(" ".join(unit.tokens)) for unit in units]  # what every format shows: no "Name: "
    token_lengths = [[len(token) for token in unit.tokens] for unit in units]
    for unit, lengths in zip(units, token_lengths):
        lengths[0] += unit.prefix_chars  # the "Name: " and the first word are one word to the layout
    lone_length = [lengths[0] if len(lengths) == 1 else -1 for lengths in token_lengths]  # most units are one word
    starts = [_first_word_start(unit) for unit in units]  # where each cue would start: an inline note does not count
    ends = [unit.end_ms for unit in units]
    hard = [unit.hard_before for unit in units]
    sentence_end = [unit.kind_after is BreakKind.SENTENCE for unit in units]
    break_cost = [_BREAK_COST[unit.kind_after] for unit in units]
    lone_penalty = [0.0 if unit.is_note else _ORPHAN_COST for unit in units]
    gap = max(options.max_gap_ms, 1)
    pause_factor = [1.0 - _PAUSE_DISCOUNT * min(unit.pause_before_ms / gap, 1.0) for unit in units]
    width, max_lines, max_duration = options.max_line_chars, options.max_lines, options.max_duration_ms

    carried_at = [words_carried(sentence_end, b) for b in range(n + 1)]  # a cue ending before unit b carries so many

    # Every unit's tokens in one sequence, so a candidate cue's line wrap is a run of it (LineWrapper).
    first_token = [0] * (n + 1)
    flat_lengths: list[int] = []
    flat_kinds: list[BreakKind] = []
    for i, unit in enumerate(units):
        first_token[i] = len(flat_lengths)
        flat_lengths.extend(len(token) for token in unit.tokens)
        flat_kinds.extend(break_kind(token) for token in unit.tokens)
    first_token[n] = len(flat_lengths)
    wrapper = LineWrapper(flat_lengths, flat_kinds)

    def line_carry_cost(a: int, b: int, lines: int) -> float:
        """The carry cost of the wrap of units[a:b] into ``lines`` lines (:func:`aligner.lines.wrap`'s choice)."""
        if lines == 2:  # nearly every cue
            return wrapper.carry_cost(first_token[a], first_token[b], units[a].prefix_chars, width, 2, _CARRY_COST)
        tokens = [token for unit in units[a:b] for token in unit.tokens]
        starts, carries = wrap(tokens, width, max_lines, units[a].prefix_chars)
        return max((_CARRY_COST[carries[i] - 1] for i in starts if i in carries), default=0.0)

    inf = math.inf
    best = [inf] * (n + 1)
    back = [0] * (n + 1)
    best[0] = 0.0
    for a in range(n):
        best_a = best[a]
        if best_a == inf:
            continue
        first_start = starts[a]
        chars = -1
        lines, used = 0, -1
        latest_end = first_start
        found = False
        starts_sentence = a == 0 or hard[a] or sentence_end[a - 1]
        tail_cost = 0.0 if starts_sentence else _TAIL_CROSS_COST
        orphan = lone_penalty[a] if run_size[a] > 1 else 0.0
        crossed = 0  # sentence ends inside the cue
        for b in range(a + 1, n + 1):
            last = b - 1  # the unit this step adds
            if last > a and sentence_end[last - 1]:
                crossed += 1
            chars += 1 + unit_chars[last]
            length = lone_length[last]
            if length >= 0:
                if used >= 0 and used + 1 + length <= width:
                    used += 1 + length
                else:
                    lines, used = lines + 1, length
            else:
                for length in token_lengths[last]:
                    if used >= 0 and used + 1 + length <= width:
                        used += 1 + length
                    else:
                        lines, used = lines + 1, length
            if ends[last] > latest_end:
                latest_end = ends[last]
            single = last == a
            over = not single and (lines > max_lines or latest_end - first_start > max_duration)
            if b < n:
                can_break = first_start < starts[b]
                must_break = hard[b] and can_break
            else:
                can_break = must_break = True
            if can_break:
                unused = capacity - chars if chars < capacity else 0
                cost = (unused / capacity) ** 2
                if over:
                    cost += _OVER_LIMIT_COST
                if single:
                    cost += orphan
                if crossed:
                    cost += crossed * _CROSS_COST + tail_cost
                if not must_break:
                    cost += break_cost[last] * pause_factor[b]
                    carried = carried_at[b]
                    if carried and b - carried > a:
                        cost += _CARRY_COST[carried - 1]  # it ends on the first words of the next cue's sentence
                total = best_a + cost
                if total < best[b] and crossed and lines > 1 and not over:
                    total += line_carry_cost(
                        a, b, lines
                    )  # its lines cannot avoid ending one on a sentence's first words
                if total < best[b]:
                    best[b] = total
                    back[b] = a
                found = True
            if must_break or (over and found):
                break

    ranges: list[tuple[int, int]] = []
    b = n
    while b > 0:
        ranges.append((back[b], b))
        b = back[b]
    ranges.reverse()
    return ranges


# ----------------------------------------------------------------------------------------------
# Step 5: times


def _first_word_start(unit: _Unit) -> int:
    """Where a cue opening with ``unit`` starts: its word's start, past any inline notes."""
    return next((item.start_ms for item in unit.items if not item.is_note), unit.start_ms)


def _assign_times(
    groups: Sequence[tuple[Sequence[_Unit], tuple[str, ...]]], *, duration_ms: int, options: CaptionOptions
) -> list[Cue]:
    """Give each cue its start and end and build the records.

    start = first word's start (already at most ``duration_ms - 1``), or a
    note cue's own start.
    end = the latest of (last token's end + linger, start + ``min_duration_ms``,
    start + the time to read its text at ``max_chars_per_second``), capped at
    start + ``max_duration_ms``, the next cue's start and ``duration_ms``, and
    at least start + 1. So a cue ends before its last word does only where the
    word is longer than ``max_duration_ms`` or overlaps the first word of the
    next cue of the same speaker (recognizer times can overlap). The linger is ``LINGER_MS``, at
    most ``max_gap_ms``, and none for a note cue (its span is the sound's own).

    Two speakers may overlap: where the next cue is another named speaker's
    word cue, a word cue may stay up past its start, to its own last word's
    end (the speech overlaps: an interjection over the end of a sentence) or
    to ``min_duration_ms`` (a backchannel the other speaker talks straight
    after), but never past the next cue of its own speaker, a note cue or an
    unnamed one: see :func:`_overlap_cap`. The linger and the reading time
    never reach over the other speaker.
    """
    linger = min(LINGER_MS, options.max_gap_ms)
    starts = [_first_word_start(units[0]) for units, _ in groups]
    speakers = [_word_speaker(units) for units, _ in groups]
    cues: list[Cue] = []
    for k, (units, lines) in enumerate(groups):
        start = starts[k]
        next_start = starts[k + 1] if k + 1 < len(groups) else duration_ms
        natural_end = max(unit.end_ms for unit in units)
        chars = len(" ".join(lines))
        reading_ms = math.ceil(chars * 1000 / options.max_chars_per_second)
        is_note = len(units) == 1 and units[0].is_note
        wanted = max(natural_end + (0 if is_note else linger), start + options.min_duration_ms, start + reading_ms)
        end = min(wanted, start + options.max_duration_ms, next_start, duration_ms)
        cap = _overlap_cap(k, starts, speakers, duration_ms)
        if cap > next_start:
            held = max(natural_end, start + options.min_duration_ms)
            end = max(end, min(held, start + options.max_duration_ms, cap))
        end = max(end, start + 1)
        cues.append(
            Cue(
                index=k,
                start_ms=start,
                end_ms=end,
                lines=lines,
                speaker=units[0].speaker,
                word_indices=tuple(item.index for unit in units for item in unit.items),
                is_note=is_note,
            )
        )
    return cues


def _word_speaker(units: Sequence[_Unit]) -> str | None:
    """The named speaker of a word cue; None for a note cue or an unnamed speaker."""
    if len(units) == 1 and units[0].is_note:
        return None
    return units[0].speaker or None


def _overlap_cap(k: int, starts: Sequence[int], speakers: Sequence[str | None], duration_ms: int) -> int:
    """How late cue ``k`` may end: the start of the next cue that is not another named speaker's word cue.

    >>> _overlap_cap(0, [0, 500, 900, 1500], ["Ann", "Bob", "Bob", "Ann"], 3000)
    1500
    >>> _overlap_cap(1, [0, 500, 900, 1500], ["Ann", "Bob", "Bob", "Ann"], 3000)
    900
    """
    own = speakers[k]
    if own is None:
        return starts[k + 1] if k + 1 < len(starts) else duration_ms
    for j in range(k + 1, len(starts)):
        if speakers[j] is None or speakers[j] == own:
            return starts[j]
    return duration_ms


# ----------------------------------------------------------------------------------------------


_DEFAULT_OPTIONS = CaptionOptions()


def build_cues(
    words: Sequence[TimedWord], *, duration_ms: int, options: CaptionOptions = _DEFAULT_OPTIONS
) -> tuple[Cue, ...]:
    """Build caption cues from every transcript token, in order.

    Args:
        words: ``Result.words``: words and notes, timed or not, in transcript
            order; timed tokens must not start before the timed token before
            them.
        duration_ms: length of the audio; every cue lies within
            ``[0, duration_ms]``.
        options: line, duration, reading-speed and pause limits.

    Returns:
        Cues in time order, indexed from 0. ``Cue.word_indices`` index
        ``words``; joining the texts of those tokens with spaces gives
        ``" ".join(cue.lines)``, and the concatenated indices of all cues are
        the timed tokens in order, less any dropped short notes.

    Raises:
        ValueError: ``duration_ms`` is negative, a token ends before it starts
            or starts before the timed token before it.

    See the module docstring for the algorithm.
    """
    if duration_ms < 0:
        raise ValueError(f"negative audio duration: {duration_ms} ms")
    if duration_ms == 0:
        return ()
    units = _build_units(_timed_items(words, duration_ms), options)
    if not units:
        return ()
    groups = []
    for first, stop in _choose_breaks(units, options=options):
        cue_units = units[first:stop]
        tokens = [token for unit in cue_units for token in unit.tokens]
        lines = wrap_lines(
            tokens,
            max_line_chars=options.max_line_chars,
            max_lines=options.max_lines,
            first_line_indent=cue_units[0].prefix_chars,
        )
        groups.append((cue_units, lines))
    return tuple(_assign_times(groups, duration_ms=duration_ms, options=options))
