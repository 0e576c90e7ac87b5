"""The second pass: listen again wherever the transcript's words were not found.

The first pass decides what was said from one recognition of the whole
episode, made with voice activity detection (VAD) and without knowing the
transcript. Its misses are the tail users see: a telephone guest VAD
dropped, a quiet remote guest or a name tiny.en misheard ("sap flow" heard
as "sat flute"), speech under a music bed. Matching then finds no words
there, and the timing stage can only interpolate the transcript's words or
call them ``not_in_audio``.

So after matching, every *stretch* (the unmatched transcript words between
two matched neighbours, the *anchors*, or an episode edge) is recognised
again on its own:

- without VAD, so VAD never decides that transcript text is absent;
- with the anchors and ``CONTEXT_MS`` of audio beyond them, so Whisper hears
  the stretch in its sentence (and again without them where that hears too
  little: the context may be another, louder speaker, ``MIN_HEARD_SHARE``;
  or where the speech there is quiet, lifted first, :mod:`aligner.level`);
- prompted (``initial_prompt``) with the transcript's text from the word
  before the stretch to the word after it, so it knows the names and jargon
  to listen for.

The stretch's transcript words are matched to what it hears there
(:func:`aligner.match.align_tokens`). Where that finds more of them than the
first recognition's words between the anchors did, the new words replace
those words, are refined like the first pass's (:mod:`aligner.refine`),
and join the alignment between the same anchors; the anchors themselves,
and every match outside the stretch, stay as they were. What is still not
found is timed as before (:mod:`aligner.timing`).

A prompt can make Whisper "hear" text that was cut. Two checks stand
against that: a re-heard word counts only if it lies between the anchors
(not in the context around them), and only if the forced aligner found it
in the audio too (method ``sphinx`` or ``onset``,
not a failed ``whisper``). Unprompted (the default), a word heard as one of
``MIN_TEXT_RUN`` transcript words in a row counts without the aligner. ``docs/accuracy.md`` measures what the pass gains
and what it costs, with and without the prompt.

Worked example (the quiet remote guest, 20 dB under the host): the first
pass heard nothing of "It's easy to forget how new all of this is" after the
host's "...to you?", so the ten words were ``not_in_audio``. The stretch runs
from "you?" to the next anchor, the host's "Let's"; recognised again with
the transcript's sentence as the prompt, it comes back as "It's easy to
forget how new all of this is", matched word for word, refined by
pocketsphinx, and timed ``sphinx``/``onset`` like any matched word.

Results are cached (by audio, model, decoding options, stretch and prompt),
so a re-run after a transcript edit recognises only the stretches the edit
created.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aligner import cache
from aligner.audio import AudioFile
from aligner.match import align_tokens, is_alignable
from aligner.options import AlignOptions, RecognizeOptions
from aligner.types import SAMPLE_RATE, AlignOp, AsrWord, OpKind, Recognition, Refinement, TimingMethod, Token

if TYPE_CHECKING:  # loaded only when a stretch is not in the cache
    import numpy as np
    from faster_whisper import WhisperModel

__all__ = [
    "CONTEXT_MS",
    "RELISTEN_RECIPE",
    "Replacement",
    "SecondPass",
    "Stretch",
    "find_stretches",
    "relisten",
    "splice",
]

RELISTEN_RECIPE = 4
"""The version of what this module computes: part of each cached stretch's key (2: heard alone, see
``MIN_HEARD_SHARE``; 3: quiet speech heard alone and lifted, the hearing matching more words counts;
4: the level about each frame's mean)."""

CONTEXT_MS = 1000
"""Audio recognised beyond each anchor, so the stretch is heard in its sentence."""

MIN_STRETCH_MS = 150
"""Less audio than this between the anchors holds no word worth recognising again."""

MAX_STRETCH_MS = 90_000
"""A longer stretch (a cut segment beside an ad read, say) is left to the timing stage."""

MIN_HEARD_SHARE = 0.5
"""A stretch heard again with fewer words between its anchors than this share of its transcript words
is heard once more without the context, between the anchors alone; so is a stretch whose speech is quiet
(:func:`aligner.level.lift_quiet_speech`), lifted first. The hearing whose words there match more of the
stretch's transcript words counts.

The context is another speaker as often as the same sentence. The quiet remote guest's answer "I think
map makers understand this better than most experts. The data told a very different story. ..." came
back as nothing, the host's loud "at work feel like?" before it and "But where" after it heard, in both
passes: tiny.en, given the two voices 20 dB apart in one clip, wrote down only the louder. The 9.9 s
between the anchors alone came back as "I think that Nathan's understand this better than who's experts.
They've told a very different story. ..." (benchmark condition ``remote``).

The held-out quiet remote guest's 15 s answer, the host's loud "I thought", "Wow", "Okay" said over it and
his ad read after it, came back as the host's words and the ad, more words than half the stretch's: it was
not heard alone, and its 53 words were ``not_in_audio`` (88.0% of the spoken words timed, ``not_in_audio``
precision 0.583). Heard alone with the answer lifted 20 dB, it came back word for word (100%, 1.000).
A count of words would have kept the first hearing (the ad's words outnumber the answer's): what counts
is how many of the stretch's transcript words each hearing matches."""

ANCHOR_SLACK_MS = 30
"""How far a re-heard word may reach over an anchor's time (a frame or three of the aligner)."""

MIN_WORDS_MISHEARD = 3
"""A stretch with fewer words, where the first pass heard other words, is not recognised again.

One or two misheard words ("origin all" for "original") are spread over the
speech heard there within a few tens of ms; recognising every such stretch
again cost a third more on the short benchmark episodes for nothing."""

SHORT_GAP_MS = 1500
"""A stretch of one or two words with at most this much audio between two anchors is :mod:`aligner.confirm`'s.

Recognising it again costs a Whisper window (a few tenths of a second) and
rarely hears what the first pass missed; the forced aligner's check costs a
hundredth of that."""

MIN_MS_PER_WORD = 120
"""A stretch with less audio between its anchors than this per word is not recognised again.

That is 500 words a minute, twice a fast talker's rate: the words are not
there (on the project benchmark, most such stretches are sentences a producer
added: six words in 0.4 s)."""

SKIPPED_SPEECH_MS = 2400
"""A first-pass word heard longer than this is Whisper passing over speech it did not write down.

Its timestamps stretch one word over what it skipped: on the quiet remote
guest, "I've been doing fun." put "been" at 125.8-146.3 s over 24 s of the
guest's answer, so "been" and "doing" matched the transcript there and the
27 words after "doing" had 1 s between anchors, too little to recognise again
(``MIN_MS_PER_WORD``): ``not_in_audio``. Such a match is no anchor, and the
stretch around it takes in the anchor runs of at most
``SUSPECT_ANCHOR_TOKENS`` tokens beside it ("doing", "How") with the
stretches beyond, so the whole answer is recognised again at once. The
longest word heard on the project benchmark and its conditions otherwise
lasts 2.0 s ("Shoe", said alone in a word list, with the pause after it)
and 2.24 s ("years?" before a pause). 2400 rather than 3000: the held-out
remote guest's "Stay with us." (the host) was heard 2 s early, over the
guest's "not everyone agrees with me on this", "us." lasting 2.48 s; with
"Stay with us" an anchor, the guest's words re-heard after "Stay" lay
outside the stretch and were ``not_in_audio`` (7 words; all of them timed
with 2400, and "Stay with" 2135 -> 0 ms)."""

SUSPECT_ANCHOR_TOKENS = 3
"""Anchor runs this short beside a skip are matched in the skipped speech too (see ``SKIPPED_SPEECH_MS``)."""

DETACHED_MS = 1000
"""A stretch too short for its words takes in the match before it if that match is this far from its run.

On the telephone call-in, "In the end, it's all about the compass." was heard as "In the end." and,
2.2 s later over the host's "uh huh", "It's": the four words after "it's" had 0.35 s before the next
anchor, too little to recognise again (``MIN_MS_PER_WORD``). Taken in, the stretch runs from "end" and
holds the pause, where VAD dropped the quiet caller."""

MIN_TEXT_RUN = 3
"""Unprompted, this many words heard again in a row as the transcript has them count without the aligner.

On the quiet remote guest the forced aligner lost "We started this project
back in 2005." heard again word for word (reverberant speech 20 dB down):
the words were ``not_in_audio``. Whisper, not told the text, does not make
up six words of the transcript in their order; they are timed as it heard
them (method ``whisper``). With the prompt on, every match needs the aligner."""

_ACOUSTIC = (TimingMethod.SPHINX, TimingMethod.ONSET)


@dataclass(frozen=True, slots=True)
class Stretch:
    """Unmatched transcript words and the audio between their anchors.

    ``ops`` is the slice of the alignment between the anchors (``ops[first:last]``):
    DELETEs of the stretch's tokens and INSERTs of the recognized words there.
    ``start_ms``/``end_ms`` bound the audio between the anchors;
    ``window_start_ms``/``window_end_ms`` what is recognised (the anchors and
    context too). ``found`` counts the stretch's tokens the first pass
    matched (in speech it skipped, see ``SKIPPED_SPEECH_MS``): the second
    pass must find more.
    """

    first: int
    last: int
    tokens: tuple[int, ...]
    start_ms: int
    end_ms: int
    window_start_ms: int
    window_end_ms: int
    prompt: str
    found: int = 0


@dataclass(frozen=True, slots=True)
class SecondPass:
    """The alignment after the second pass, and the words it is over.

    ``words``/``methods`` replace the (refined) recognition's; ``ops`` index
    ``words``. ``found`` counts the transcript words the pass matched.
    """

    words: tuple[AsrWord, ...]
    methods: tuple[TimingMethod, ...]
    ops: tuple[AlignOp, ...]
    stretches: int
    found: int


@dataclass(frozen=True, slots=True)
class Replacement:
    """New words for ``ops[first:last]`` (what lies between two anchors) and their alignment.

    ``ops`` index ``words`` (local indices, from 0).
    """

    first: int
    last: int
    words: tuple[AsrWord, ...]
    methods: tuple[TimingMethod, ...]
    ops: tuple[AlignOp, ...]


def find_stretches(
    tokens: Sequence[Token],
    ops: Sequence[AlignOp],
    words: Sequence[AsrWord],
    duration_ms: int,
    heard: Sequence[AsrWord] | None = None,
) -> list[Stretch]:
    """The stretches worth recognising again, in time order.

    A stretch needs a spoken-body word (headings, bylines and closing lines
    are expected to be absent: recognising intro music again to find the
    title would only invite a hallucination), at least ``MIN_STRETCH_MS`` of
    audio and at most ``MAX_STRETCH_MS`` (and ``MIN_MS_PER_WORD`` a word), and either ``MIN_WORDS_MISHEARD``
    words or no recognized words between its anchors.

    ``heard`` is the first pass as recognised (``words`` may be refined; the
    same indices): a match on a word it holds longer than ``SKIPPED_SPEECH_MS``
    is no anchor, and the stretch around it takes in the short anchor runs
    next to it (see :data:`SKIPPED_SPEECH_MS`).
    """
    heard = words if heard is None else heard
    blocks = _blocks(ops, heard)
    stretches: list[Stretch] = []
    for b, (is_anchor, first, last) in enumerate(blocks):
        if is_anchor:
            continue
        before = blocks[b - 1][2] - 1 if b > 0 else None
        after = blocks[b + 1][1] if b + 1 < len(blocks) else None
        pending = [i for op in ops[first:last] if op.kind is not OpKind.INSERT for i in op.token_indices]
        body = [i for i in pending if not tokens[i].is_heading and is_alignable(tokens[i])]
        if not body:
            continue
        found = sum(len(op.token_indices) for op in ops[first:last] if op.kind is OpKind.MATCH)
        stretch = _stretch(tokens, ops, words, duration_ms, before, after, body, found)
        if stretch is None and before is not None and _detached(ops, words, blocks[b - 1][1], before):
            taken = [i for i in ops[before].token_indices if not tokens[i].is_heading and is_alignable(tokens[i])]
            found += len(ops[before].token_indices)
            stretch = _stretch(tokens, ops, words, duration_ms, before - 1, after, [*taken, *body], found)
        if stretch is not None:
            stretches.append(stretch)
    return stretches


def _detached(ops: Sequence[AlignOp], words: Sequence[AsrWord], run_first: int, last: int) -> bool:
    """Whether the last match of an anchor run ``ops[run_first:last + 1]`` follows the rest after a long pause.

    Such a word ("it's" heard 2.2 s after "In the end," over the other speaker's "uh huh", its own
    "all about the compass" never heard) may be matched to speech that is not it; see ``DETACHED_MS``.
    """
    if last - run_first < 1:
        return False
    previous = words[ops[last - 1].asr_indices[-1]]
    return words[ops[last].asr_indices[0]].start_ms - previous.end_ms > DETACHED_MS


@dataclass(slots=True)
class _Block:
    """``ops[first:last]``: a run of anchors, or what lies between two (``suspect``: a match in skipped speech)."""

    anchor: bool
    first: int
    last: int
    suspect: bool = False


def _blocks(ops: Sequence[AlignOp], heard: Sequence[AsrWord]) -> list[tuple[bool, int, int]]:
    """The alignment as alternating blocks ``(is_anchor, first, last)`` of ``ops[first:last]``.

    An anchor block is a run of matches; the rest are the stretches' ops. A
    match on a word heard longer than ``SKIPPED_SPEECH_MS`` belongs to the
    stretch around it, which then takes in every anchor run of at most
    ``SUSPECT_ANCHOR_TOKENS`` tokens beside it and the stretch beyond.
    """
    blocks: list[_Block] = []
    for k, op in enumerate(ops):
        skipped = op.kind is OpKind.MATCH and any(
            heard[j].end_ms - heard[j].start_ms > SKIPPED_SPEECH_MS for j in op.asr_indices
        )
        anchor = op.kind is OpKind.MATCH and not skipped
        if blocks and blocks[-1].anchor == anchor:
            blocks[-1].last = k + 1
            blocks[-1].suspect |= skipped
        else:
            blocks.append(_Block(anchor, k, k + 1, skipped))

    def short(block: _Block) -> bool:
        return sum(len(op.token_indices) for op in ops[block.first : block.last]) <= SUSPECT_ANCHOR_TOKENS

    b = 0
    while b < len(blocks):
        if blocks[b].anchor or not blocks[b].suspect:
            b += 1
            continue
        while b + 2 < len(blocks) and short(blocks[b + 1]):  # take in a short anchor run and the stretch after
            blocks[b].last = blocks[b + 2].last
            del blocks[b + 1 : b + 3]
        while b >= 2 and short(blocks[b - 1]):  # and before
            blocks[b - 2].last, blocks[b - 2].suspect = blocks[b].last, True
            del blocks[b - 1 : b + 1]
            b -= 2
        b += 1
    return [(block.anchor, block.first, block.last) for block in blocks]


def _stretch(
    tokens: Sequence[Token],
    ops: Sequence[AlignOp],
    words: Sequence[AsrWord],
    duration_ms: int,
    before: int | None,
    after: int | None,
    body: list[int],
    found: int,
) -> Stretch | None:
    start = words[ops[before].asr_indices[-1]].end_ms if before is not None else 0
    end = words[ops[after].asr_indices[0]].start_ms if after is not None else duration_ms
    if not MIN_STRETCH_MS <= end - start <= MAX_STRETCH_MS:
        return None
    window_start = words[ops[before].asr_indices[0]].start_ms if before is not None else start
    window_end = words[ops[after].asr_indices[-1]].end_ms if after is not None else end
    first_token = ops[before].token_indices[0] if before is not None else body[0]
    last_token = ops[after].token_indices[-1] if after is not None else body[-1]
    first, last = 0 if before is None else before + 1, len(ops) if after is None else after
    if not found:  # a stretch with matches inside is one where Whisper skipped speech: always heard again
        heard_there = any(op.kind is OpKind.INSERT for op in ops[first:last])
        if len(body) < MIN_WORDS_MISHEARD and heard_there:
            return None  # a word or two misheard: aligner.confirm aligns them, or the timing stage spreads them
        if len(body) < MIN_WORDS_MISHEARD and before is not None and after is not None and end - start <= SHORT_GAP_MS:
            return None  # a word or two unheard in running speech: aligner.confirm asks the forced aligner, cheaper
    if end - start < MIN_MS_PER_WORD * len(body):
        return None  # too little audio for these words: a sentence the producer added between two said ones
    prompt = " ".join(t.text for t in tokens[first_token : last_token + 1] if is_alignable(t))
    return Stretch(
        first=first,
        last=last,
        tokens=tuple(body),
        start_ms=start,
        end_ms=end,
        window_start_ms=max(window_start - CONTEXT_MS, 0),
        window_end_ms=min(window_end + CONTEXT_MS, duration_ms),
        prompt=prompt,
        found=found,
    )


def relisten(
    audio: AudioFile,
    tokens: Sequence[Token],
    ops: Sequence[AlignOp],
    recognition: Recognition,
    refinement: Refinement,
    options: AlignOptions,
) -> SecondPass:
    """The second pass over every stretch (see the module docstring).

    Args:
        recognition: the first pass.
        refinement: its refinement (the pass needs one: a re-heard word
            counts only where the forced aligner finds it too).
        ops: the first pass's alignment of ``tokens`` to ``recognition.words``.

    Returns:
        The alignment and words to time; the first pass's, unchanged, where
        nothing new was found.
    """
    words, methods = refinement.words, refinement.methods
    stretches = find_stretches(tokens, ops, words, recognition.duration_ms, recognition.words)
    unchanged = SecondPass(tuple(words), methods, tuple(ops), len(stretches), 0)
    if not stretches:
        return unchanged
    replacements: list[Replacement] = []
    for stretch, refined in zip(stretches, _listen_again(audio, tokens, stretches, recognition.duration_ms, options)):
        inside = [k for k, w in enumerate(refined.words) if _between_anchors(w, stretch)]
        inner = [refined.words[k] for k in inside]
        new_methods = [refined.methods[k] for k in inside]
        if not inner:
            continue
        local = _local_ops(tokens, stretch, inner, new_methods, prompted=options.relisten_prompt)
        if local is not None:
            replacements.append(Replacement(stretch.first, stretch.last, tuple(inner), tuple(new_methods), local))
    if not replacements:
        return unchanged
    return splice(ops, words, methods, replacements, len(stretches))


def _between_anchors(word: AsrWord, stretch: Stretch) -> bool:
    """Whether a re-heard word lies between the anchors (within ``ANCHOR_SLACK_MS``).

    A word placed over an anchor is the anchor heard again, or speech
    overlapping it (an interjection over another speaker's word): matched,
    it would push the anchor's time, which the first pass had right.
    """
    return word.start_ms >= stretch.start_ms - ANCHOR_SLACK_MS and word.end_ms <= stretch.end_ms + ANCHOR_SLACK_MS


def _inner(words: Sequence[AsrWord], stretch: Stretch) -> list[AsrWord]:
    """The re-heard words whose middle lies between the anchors: the rest is the anchors and context."""
    return [w for w in words if stretch.start_ms <= (w.start_ms + w.end_ms) // 2 <= stretch.end_ms]


def _listen_again(
    audio: AudioFile, tokens: Sequence[Token], stretches: Sequence[Stretch], duration_ms: int, options: AlignOptions
) -> list[Refinement]:
    """Each stretch's words between its anchors, recognised again and refined; cached per stretch.

    The audio is decoded once, for the stretches whose results are not in
    the cache; the stretches are recognised one by one with one model and
    refined with one forced aligner, in time order.
    """
    store = _Store(audio, duration_ms, options)
    heard = [store.heard(s) for s in stretches]
    refined = [store.refined(s, _inner(h, s)) if h is not None else None for s, h in zip(stretches, heard)]
    needed = [k for k, r in enumerate(refined) if r is None]
    if not needed:
        return [r or Refinement((), ()) for r in refined]
    from aligner.audio import read_spans
    from aligner.level import lift_quiet_speech
    from aligner.recognize import load_model
    from aligner.refine import refine_words
    from aligner.refine.sphinx import SphinxAligner

    rec = options.recognize
    aligner: SphinxAligner | None = None
    spans = [(stretches[k].window_start_ms, stretches[k].window_end_ms) for k in needed]
    for k, (offset, _), samples in zip(needed, spans, read_spans(audio.path, spans)):
        stretch = stretches[k]
        words = heard[k]
        if words is None:
            model = load_model(rec.model, rec.device, rec.compute_type, rec.threads)  # loaded once a process
            prompt = stretch.prompt if options.relisten_prompt else None
            words = _heard(model, offset, samples, rec, prompt, duration_ms)
            first = (stretch.start_ms - offset) * SAMPLE_RATE // 1000
            inside = samples[first : (stretch.end_ms - offset) * SAMPLE_RATE // 1000]
            lifted = lift_quiet_speech(inside)
            if lifted is not None or len(_inner(words, stretch)) < MIN_HEARD_SHARE * len(stretch.tokens):
                alone = _heard(model, stretch.start_ms, inside if lifted is None else lifted, rec, prompt, duration_ms)
                if _matched(tokens, stretch, alone) > _matched(tokens, stretch, words):
                    words = alone
            store.store_heard(stretch, words)
        inner = _inner(words, stretch)
        refinement = store.refined(stretch, inner)
        if refinement is None:
            aligner = aligner or SphinxAligner()
            end = min(offset + len(samples) * 1000 // SAMPLE_RATE, duration_ms)
            refinement = refine_words(inner, [(offset, samples)], duration_ms=end, aligner=aligner)
            store.store_refined(stretch, inner, refinement)
        refined[k] = refinement
    return [r or Refinement((), ()) for r in refined]


def _matched(tokens: Sequence[Token], stretch: Stretch, words: Sequence[AsrWord]) -> int:
    """How many of the stretch's transcript words a hearing's words between the anchors match."""
    ops = align_tokens([tokens[i] for i in stretch.tokens], _inner(words, stretch))
    return sum(len(op.token_indices) for op in ops if op.kind is OpKind.MATCH)


def _heard(
    model: WhisperModel, offset_ms: int, samples: np.ndarray, rec: RecognizeOptions, prompt: str | None, end_ms: int
) -> list[AsrWord]:
    """What the recognizer hears in ``samples`` (starting at ``offset_ms``), up to the episode's end."""
    from aligner.recognize import recognize_span

    return [w for w in recognize_span(model, offset_ms, samples, rec, prompt=prompt) if w.end_ms <= end_ms]


class _Store:
    """The second pass's cache entries: each stretch's words heard again, and their refinement.

    With ``use_cache`` off, nothing is found and nothing stored.
    """

    def __init__(self, audio: AudioFile, duration_ms: int, options: AlignOptions) -> None:
        from aligner.recognize import cache_key

        self._audio = audio
        self._duration_ms = duration_ms
        self._options = options
        self._folder = _folder(options)
        self._base = cache_key(audio.sha256, options.recognize)

    def heard(self, stretch: Stretch) -> list[AsrWord] | None:
        if not self._options.use_cache:
            return None
        stored = cache.load(self._folder, self._heard_key(stretch))
        return list(stored.words) if stored is not None else None

    def store_heard(self, stretch: Stretch, words: list[AsrWord]) -> None:
        if self._options.use_cache:
            entry = Recognition(tuple(words), (), self._duration_ms, "", "")
            cache.store(self._folder, self._heard_key(stretch), entry)

    def refined(self, stretch: Stretch, inner: list[AsrWord]) -> Refinement | None:
        """The stored refinement of ``inner``; an empty one when there is nothing to refine."""
        if not inner:
            return Refinement((), ())
        if not self._options.use_cache:
            return None
        return cache.load_refinement(self._folder, self._refined_key(stretch, inner), inner, self._duration_ms)

    def store_refined(self, stretch: Stretch, inner: list[AsrWord], refinement: Refinement) -> None:
        if self._options.use_cache:
            cache.store_refinement(self._folder, self._refined_key(stretch, inner), refinement)

    def _heard_key(self, stretch: Stretch) -> str:
        prompt = stretch.prompt if self._options.relisten_prompt else None
        material = [self._base, RELISTEN_RECIPE, stretch.window_start_ms, stretch.window_end_ms, prompt]
        return "relisten-" + hashlib.sha256(json.dumps(material).encode()).hexdigest()

    def _refined_key(self, stretch: Stretch, inner: list[AsrWord]) -> str:
        from aligner.refine import refinement_key

        material = [refinement_key(self._audio.sha256, inner), stretch.window_start_ms, stretch.window_end_ms]
        return "relisten-refine-" + hashlib.sha256(json.dumps(material).encode()).hexdigest()


def _folder(options: AlignOptions) -> Path:
    return Path(options.cache_dir) if options.cache_dir is not None else cache.default_cache_dir()


def _in_matched_runs(ops: Sequence[AlignOp]) -> set[int]:
    """Indices of the ops in runs of at least ``MIN_TEXT_RUN`` consecutive matches."""
    inside: set[int] = set()
    k = 0
    while k < len(ops):
        end = k
        while end < len(ops) and ops[end].kind is OpKind.MATCH:
            end += 1
        if end - k >= MIN_TEXT_RUN:
            inside.update(range(k, end))
        k = max(end, k + 1)
    return inside


def _local_ops(
    tokens: Sequence[Token],
    stretch: Stretch,
    inner: list[AsrWord],
    methods: list[TimingMethod],
    *,
    prompted: bool = False,
) -> tuple[AlignOp, ...] | None:
    """The stretch's tokens aligned to its new words (indices local to ``inner``), or None if no better.

    A match counts where the forced aligner confirmed its words (see the
    module docstring) or, unless Whisper was prompted with the transcript,
    where it is one of ``MIN_TEXT_RUN`` matches in a row; the others become
    a DELETE and INSERTs.
    """
    run = list(stretch.tokens)
    local = align_tokens([tokens[i] for i in run], inner)
    in_run = _in_matched_runs(local) if not prompted else set()
    result: list[AlignOp] = []
    found = 0
    for k, op in enumerate(local):
        token_indices = tuple(run[i] for i in op.token_indices)
        confirmed = k in in_run or all(methods[j] in _ACOUSTIC for j in op.asr_indices)
        if op.kind is OpKind.MATCH and confirmed:
            result.append(AlignOp(OpKind.MATCH, token_indices, op.asr_indices, op.similarity))
            found += len(token_indices)
        elif op.kind is OpKind.MATCH:
            result.extend(AlignOp(OpKind.DELETE, (i,), ()) for i in token_indices)
            result.extend(AlignOp(OpKind.INSERT, (), (j,)) for j in op.asr_indices)
        else:
            result.append(AlignOp(op.kind, token_indices, op.asr_indices, op.similarity))
    return tuple(result) if found > stretch.found else None


def splice(
    ops: Sequence[AlignOp],
    words: Sequence[AsrWord],
    methods: Sequence[TimingMethod],
    replacements: Sequence[Replacement],
    stretches: int,
) -> SecondPass:
    """The alignment with each replacement's ops and words put in (replacements in order, not overlapping).

    Recognized words are renumbered: a replaced stretch's old words (its
    INSERTs) leave, its new words come in at their place in time.
    ``stretches`` is only recorded (how many were looked at).

    A token of the replaced ops that the replacement's ops leave out stays
    unmatched (a DELETE, in token order): a stretch aligns only its body's
    words, and the closing line after the last anchor ("Subscribe to ...",
    never said) dropped out of the alignment with its ops, so the timing
    stage placed it, zero-length, after the last word instead of calling it
    ``not_in_audio``.
    """
    new_words: list[AsrWord] = []
    new_methods: list[TimingMethod] = []
    new_ops: list[AlignOp] = []
    renumber: dict[int, int] = {}

    def keep(j: int) -> int:
        if j not in renumber:
            renumber[j] = len(new_words)
            new_words.append(words[j])
            new_methods.append(methods[j])
        return renumber[j]

    found = 0
    position = 0
    for replacement in replacements:
        for op in ops[position : replacement.first]:
            new_ops.append(AlignOp(op.kind, op.token_indices, tuple(keep(j) for j in op.asr_indices), op.similarity))
        base = len(new_words)
        new_words.extend(replacement.words)
        new_methods.extend(replacement.methods)
        for op in _with_left_out(replacement.ops, ops[replacement.first : replacement.last]):
            new_ops.append(AlignOp(op.kind, op.token_indices, tuple(base + j for j in op.asr_indices), op.similarity))
            if op.kind is OpKind.MATCH:
                found += len(op.token_indices)
        position = replacement.last
    for op in ops[position:]:
        new_ops.append(AlignOp(op.kind, op.token_indices, tuple(keep(j) for j in op.asr_indices), op.similarity))
    return SecondPass(tuple(new_words), tuple(new_methods), tuple(new_ops), stretches, found)


def _with_left_out(local: Sequence[AlignOp], replaced: Sequence[AlignOp]) -> list[AlignOp]:
    """``local`` with a DELETE for each token of ``replaced`` it does not hold, each before the first op
    holding a later token (so the tokens stay in order)."""
    held = {i for op in local for i in op.token_indices}
    missing = sorted(i for op in replaced for i in op.token_indices if i not in held)
    merged: list[AlignOp] = []
    for op in local:
        while missing and op.token_indices and missing[0] < op.token_indices[0]:
            merged.append(AlignOp(OpKind.DELETE, (missing.pop(0),), ()))
        merged.append(op)
    merged.extend(AlignOp(OpKind.DELETE, (i,), ()) for i in missing)
    return merged
