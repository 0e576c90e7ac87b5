"""Forced alignment of a few seconds of audio to known words, with pocketsphinx.

The only module that imports pocketsphinx. Its wheel ships a US English
acoustic model and the CMU pronouncing dictionary, so this works offline.
Given the words said in a window, it finds the best path through their
phones and returns each word's start and end on its 10 ms frame grid, and
the silence it found before and after each word.

The words are not aligned as a bare sequence but through a small grammar
(:func:`_grammar`), because what the recognizer wrote is not quite what was
said: speakers add fillers ("um", "uh") and false starts ("I I think")
that the recognizer often drops, and the recognizer sometimes writes a word
nobody said. So between any two words the grammar allows silence (free), a
filler, and a repeat of the next word, and it allows a word to be skipped;
those three are very unlikely (``1e-20`` against ``1.0``), so they are taken
only where the audio leaves no better path. On the benchmark this turned the
worst cases (a word stretched over a dropped filler, a chunk lost to a
hallucinated "Well,") from 200-800 ms errors into 10-30 ms ones. Only "um"
and "uh" are in the grammar: "you know" and "I mean" (spoken in the
benchmark episodes too, and left out of their transcripts) are words the
recognizer writes down, and with them in the grammar as well the words were
timed the same on seeds 1-4 (``benchmarks/refine_settings.py``), in a
larger grammar.

Only the first (word-level) pass is run: pocketsphinx's second, phone-level
pass costs twice as much again and moved word boundaries by at most one
frame on the fixture episode. ``topn=1`` (one Gaussian per mixture instead
of four) saves about 30% of the time; on the benchmark it cost 0.2 points of
words within 25 ms and nothing within 100 ms.

A window that cannot be aligned (the search finds no path through the
grammar) gives None, never a guess.

Each window is aligned afresh: pocketsphinx's ``-remove_noise`` stage keeps
a running noise estimate from one utterance to the next (its cepstral mean
does not: the acoustic model's ``feat.params`` normalizes each window by its
own, ``-cmn batch``), so a window came out a frame or a few different after a
different history. :meth:`SphinxAligner.align` resets the feature stage first
(``reinit_feat``, 0.06 ms), so a window's words depend on nothing but the
window: refiners can share a run's chunks in any order (a pool of processes,
:mod:`aligner.refine.alongside`), and a second pass whose windows are partly
cached aligns the rest as a full run would. On the benchmark's rows, the
reset moved 61 starts by more than 20 ms one way and 60 the other
(``benchmarks/word_diff.py``), every row within its noise.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from aligner.refine.pronounce import pronunciations
from aligner.types import SAMPLE_RATE

__all__ = ["AlignedWord", "SphinxAligner"]

Transition = tuple[int, int, float] | tuple[int, int, float, str]
"""An FSG transition: from state, to state, probability, and the word said (none for an empty step)."""

FRAME_MS = 10
TOPN = 1
"""Gaussians scored per mixture (pocketsphinx default 4); see the module docstring."""

WIDE_BEAMS = {"beam": 1e-80, "pbeam": 1e-80, "wbeam": 1e-60}
"""A search wider than pocketsphinx's default (1e-48, 1e-48, 7e-29), for a window whose words
are known to be said but that the default search finds no path through (:mod:`aligner.retrace`)."""

_ALTERNATE = re.compile(r"\(\d+\)$")


@dataclass(frozen=True, slots=True)
class AlignedWord:
    """One word's place in a window, in ms from the window's start.

    ``pause_before_ms``/``pause_after_ms``: silence (or noise) the aligner
    put right before and after the word, 0 when it abuts another word, a
    filler or a word's first saying ("we, we still": the second "we" has no
    pause before it, so no edge is looked for in the first); the window's own
    edges count as pause.
    """

    start_ms: int
    end_ms: int
    pause_before_ms: int
    pause_after_ms: int


class SphinxAligner:
    """Aligns recognized words to short windows of 16 kHz mono audio.

    Create one per run: loading the model and dictionary takes a few tenths of
    a second. Not thread-safe (one decoder). ``wide``: search with
    :data:`WIDE_BEAMS` (for the few windows the default finds no path through).
    """

    def __init__(self, *, wide: bool = False) -> None:
        import pocketsphinx

        beams = WIDE_BEAMS if wide else {}
        self._decoder = pocketsphinx.Decoder(lm=None, loglevel="FATAL", bestpath=False, topn=TOPN, **beams)
        for k, (filler, (phones, _)) in enumerate(FILLERS.items()):
            self._decoder.add_word(filler, phones, update=k == len(FILLERS) - 1)
        self._names: dict[str, str | None] = {}
        self._added = 0

    def word_name(self, text: str) -> str | None:
        """The dictionary entry to align ``text`` as, adding one if needed; None if unpronounceable.

        Words outside the dictionary get an entry of their own (named
        ``aligner-word-N``) with every pronunciation from
        :func:`aligner.pronounce.pronunciations` as alternatives.
        """
        if text in self._names:
            return self._names[text]
        variants = pronunciations(text, self._decoder.lookup_word)
        name: str | None = None
        if variants:
            folded = text.casefold().translate({0x2019: "'"}).strip('.,;:!?"“”()[]{}')
            if self._decoder.lookup_word(folded) == variants[0] and len(variants) == 1:
                name = folded
            else:
                self._added += 1
                name = f"aligner-word-{self._added}"
                for k, phones in enumerate(variants):
                    entry = name if k == 0 else f"{name}({k + 1})"
                    self._decoder.add_word(entry, phones, update=k == len(variants) - 1)
        self._names[text] = name
        return name

    def first_phones(self, name: str, count: int = 2) -> frozenset[tuple[str, ...]]:
        """The first ``count`` phones of each pronunciation of ``name`` (an entry from :meth:`word_name`)."""
        found: set[tuple[str, ...]] = set()
        k = 1
        while phones := self._decoder.lookup_word(name if k == 1 else f"{name}({k})"):
            found.add(tuple(phones.split()[:count]))
            k += 1
        return frozenset(found)

    def align(
        self,
        samples: np.ndarray,
        names: Sequence[str],
        *,
        optional: Collection[int] = (),
        said: Collection[int] = (),
    ) -> list[AlignedWord | None] | None:
        """Each named word's place in ``samples`` (float32, 16 kHz, mono), or None if alignment fails.

        The words are aligned in order through a small grammar (see
        :func:`_grammar`) that also lets the speaker say a filler ("um",
        "uh") before or after any word, or say a word twice, as people
        do and recognizers leave out; those sounds then stay outside the words.

        Args:
            samples: the window's audio.
            names: entries from :meth:`word_name`, in the order they are said.
            optional: positions in ``names`` of words that may not have been
                said: skipping one costs what saying it does
                (``OPTIONAL_SKIP_PROBABILITY``), so the audio decides
                (:mod:`aligner.confirm`); a skipped word comes back None.
            said: positions of words known to be said (the transcript's, in
                :mod:`aligner.retrace` and :mod:`aligner.confirm`'s second
                chance for a phrase): they cannot be skipped at all.
        """
        found = self._decode(samples, names, _grammar(names, optional, said=said))
        return None if found is None else found[0]

    def hesitations(
        self, samples: np.ndarray, names: Sequence[str], *, optional: Collection[int] = ()
    ) -> tuple[list[AlignedWord | None], list[tuple[int, int, str]]] | None:
        """As :meth:`align`, with a filler as likely as silence; also what the path said besides the words.

        Those are ``(start, end, label)``: the label "um" or "uh" for a
        filler, and the word's name for a first saying ("I, I think": the
        first "i"). For a sound between two words that no recognizer wrote
        (:mod:`aligner.cut.unheard`): where the audio holds an "um", the
        path takes it; the caller checks that the words came out where the
        alignment put them, so that a word of the transcript mistimed next
        to the sound is not taken for a filler.
        """
        found = self._decode(samples, names, _grammar(names, optional, filler_probability=1.0))
        if found is None:
            return None
        aligned, path = found
        said: list[tuple[int, int, str]] = []
        for position, (word, start, end) in enumerate(path):
            following = next((w for w, _, _ in path[position + 1 :] if w not in FILLERS), None)
            if word in FILLERS:
                said.append((start, end, FILLERS[word][1]))
            elif following == word:
                said.append((start, end, word))
        return aligned, said

    def _decode(
        self, samples: np.ndarray, names: Sequence[str], grammar: Sequence[Transition]
    ) -> tuple[list[AlignedWord | None], list[tuple[str, int, int]]] | None:
        """The words' places and the decoded path (word, start, end in ms), or None if alignment fails."""
        if not names or len(samples) < SAMPLE_RATE // 10:
            return None
        pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()
        decoder = self._decoder
        try:
            decoder.reinit_feat()
            fsg = decoder.create_fsg("chunk", 0, len(names), list(grammar))
            decoder.add_fsg("chunk", fsg)
            decoder.activate_search("chunk")
            decoder.start_utt()
            decoder.process_raw(pcm, full_utt=True)
            decoder.end_utt()
        except (RuntimeError, ValueError, KeyError):
            return None
        if decoder.hyp() is None:
            return None
        window_ms = len(samples) * 1000 // SAMPLE_RATE
        path = [
            (_ALTERNATE.sub("", segment.word), segment.start_frame * FRAME_MS, (segment.end_frame + 1) * FRAME_MS)
            for segment in decoder.seg()
            if not _is_silence_or_noise(segment.word)
        ]
        spans = _follow(path, names)
        if spans is None:
            return None
        placed = [span for span in spans if span is not None]
        if not placed:
            return None
        return _placed(spans, path, window_ms), path


FILLERS = {
    "aligner-filler-um": ("AH M", "um"),
    "aligner-filler-uh": ("AH", "uh"),
}
"""Fillers a speaker may say between any two words (the transcript and often the recognizer leave them out):
their phones, and the filler they are."""

# Grammar weights, against 1.0 for saying the next word (see the module docstring).
SILENCE_PROBABILITY = 1.0  # silence between words costs nothing
SKIP_PROBABILITY = 1e-20  # a recognized word that was not said
FILLER_PROBABILITY = 1e-20  # a filler that was said but not recognized
REPEAT_PROBABILITY = 1e-20  # a word said twice, recognized once
OPTIONAL_SKIP_PROBABILITY = 1.0  # a transcript word that may not be said: the acoustic match alone decides


def _grammar(
    names: Sequence[str],
    optional: Collection[int] = (),
    *,
    filler_probability: float = FILLER_PROBABILITY,
    said: Collection[int] = (),
) -> list[Transition]:
    """Transitions ``(from, to, probability[, word])`` of the chunk's grammar.

    State i means "the first i words are said". Word i leads from state i to
    i + 1, and so does an empty step (word i skipped; as likely as the word
    itself for an ``optional`` position, and none for a ``said`` one). Every state has loops
    for silence and for each filler (``filler_probability``), and state i a loop saying word i an
    extra time if it is short (``MAX_REPEAT_LETTERS``) and no neighbour is the
    same word (a repeat could not be told from it). Worked example, names
    ``["so", "we"]``::

        0 --so--> 1 --we--> 2        (0 --> 1 and 1 --> 2 also empty, 1e-20)
        loops on 0, 1, 2: <sil> (1.0), um, uh (1e-20)
        loops: 0 --so--> 0, 1 --we--> 1 (1e-20)
    """
    transitions: list[Transition] = [(i, i + 1, 1.0, name) for i, name in enumerate(names)]
    transitions.extend(
        (i, i + 1, OPTIONAL_SKIP_PROBABILITY if i in optional else SKIP_PROBABILITY)
        for i in range(len(names))
        if i not in said
    )
    transitions.extend((i, i, SILENCE_PROBABILITY, "<sil>") for i in range(len(names) + 1))
    for i in range(len(names) + 1):
        transitions.extend((i, i, filler_probability, filler) for filler in FILLERS)
    for i, name in enumerate(names):
        if _may_repeat(names, i):
            transitions.append((i, i, REPEAT_PROBABILITY, name))
    return transitions


MAX_REPEAT_LETTERS = 4
"""Only short words get a repeat loop: false starts are function words ("I I", "the the"), and a
longer word's loop once let "study" claim the next speaker's "sure" as its second saying."""


def _may_repeat(names: Sequence[str], i: int) -> bool:
    return (
        len(names[i]) <= MAX_REPEAT_LETTERS
        and (i == 0 or names[i - 1] != names[i])
        and (i + 1 == len(names) or names[i + 1] != names[i])
    )


def _follow(path: Sequence[tuple[str, int, int]], names: Sequence[str]) -> list[tuple[int, int] | None] | None:
    """(start, end) of each of ``names`` along the decoded path (None: skipped), or None if the path is not theirs.

    Fillers are passed over; of a word said twice, the second saying is the
    word (the first is the false start the transcript leaves out); a name
    the path does not reach before the next one is a skipped word.
    """
    spans: list[tuple[int, int] | None] = []
    for position, (word, start, end) in enumerate(path):
        if word in FILLERS:
            continue
        try:
            k = names.index(word, len(spans))
        except ValueError:
            return None
        following = next((w for w, _, _ in path[position + 1 :] if w not in FILLERS), None)
        if following == word and _may_repeat(names, k):
            continue  # said again next: this was the first saying
        spans.extend([None] * (k - len(spans)))
        spans.append((start, end))
    spans.extend([None] * (len(names) - len(spans)))
    return spans


def _placed(
    spans: Sequence[tuple[int, int] | None], path: Sequence[tuple[str, int, int]], window_ms: int
) -> list[AlignedWord | None]:
    """Each word's span with the pauses around it: silence only, so a filler or a first saying on the path
    ends the pause before a word (in "we, we still" the second "we" has none) and begins the one after."""
    aligned: list[AlignedWord | None] = []
    for span in spans:
        if span is None:
            aligned.append(None)
            continue
        start, end = span[0], min(span[1], window_ms)
        previous_end = max((e for _, s, e in path if e <= start), default=0)
        next_start = min((s for _, s, e in path if s >= end), default=window_ms)
        aligned.append(AlignedWord(start, end, max(start - previous_end, 0), max(next_start - end, 0)))
    return aligned


def _is_silence_or_noise(word: str) -> bool:
    """Silence, noise and the grammar's empty steps ("(NULL)") in a decoded path."""
    return word.startswith(("<", "[", "("))
