"""Speech with per-word truth times: flite through the fixture generator, with a stored phone lookup.

make_episode.synthesize times each word by counting its phones, looked up with one ``flite -ps`` call per
word. A 15-minute episode has about a thousand distinct words per voice, and each call loads the voice
(~80 ms), so lookups here run several at a time and are stored under benchmarks/data/, so later episodes
reuse them. They are not batched into one call ("w1. w2. w3."): flite then picks a homograph's
pronunciation from its neighbours and the final period ("use." is "y uw s", "use" alone "y uw z"), so a
word's phones would depend on which words happened to share its batch, and the same seed would not always
give the same truth file.

Some words flite cannot say as meant ("mm-hmm" is spelled out letter by letter); RESPELL gives the words
flite is given instead, and their times are merged back into the one word.
"""

from __future__ import annotations

import json
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from synth.fixture import make_episode

SAMPLE_RATE_HZ = make_episode.SAMPLE_RATE_HZ
VOICES = ("slt", "rms", "awb", "kal16")
"""flite's 16 kHz voices: slt (US female), rms (US male), awb (Scottish male), kal16 (US male, diphone)."""

RESPELL: dict[str, tuple[str, ...]] = {"mm-hmm": ("um", "hum")}
MIN_PHONE_IDENTITY = 0.85
"""Share of a sentence's phones that must equal its words' phones said alone. Counts alone can agree while a
phone moved from one word to the next (a misplaced boundary); a moved phone shifts every phone between,
which this catches. Context changes a few phones legitimately ("a" as "ax" or "ey"): 0.92 is the lowest
seen in 120 trial sentences."""
_LOOKUP_WORKERS = 4  # flite processes at a time (each mostly loads its voice)


class Unsayable(Exception):
    """flite's phones for a sentence do not split into its words (context changed a word's phone count, or
    too many phones differ from the words said alone)."""


@dataclass(frozen=True)
class SpokenWord:
    """One word as said: its text and its start and end in seconds in flite's wave."""

    text: str
    start_s: float
    end_s: float
    phones: tuple[str, ...]


@dataclass(frozen=True)
class Speech:
    """One synthesized sentence: int16 samples at 16 kHz and its words' times."""

    samples: np.ndarray
    words: tuple[SpokenWord, ...]
    phones_identical: int  # phones equal to the isolated-word lookup
    phone_count: int


class PhoneBook:
    """Phones of single words per voice, looked up a few at a time and kept in a JSON file between runs."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._phones: dict[str, dict[str, tuple[str, ...]]] = {}
        self._dirty = False
        if path is not None and path.is_file():
            stored = json.loads(path.read_text(encoding="utf-8"))
            self._phones = {v: {w: tuple(p.split()) for w, p in words.items()} for v, words in stored.items()}

    def __call__(self, word: str, voice: str) -> tuple[str, ...]:
        known = self._phones.setdefault(voice, {})
        if word not in known:
            self.prime([word], voice)
        return known[word]

    def prime(self, words: list[str], voice: str) -> None:
        """Look up every word of ``words`` this book lacks: make_episode.word_phones, several at a time."""
        known = self._phones.setdefault(voice, {})
        missing = sorted({w for w in words if w not in known})
        if not missing:
            return
        with ThreadPoolExecutor(max_workers=_LOOKUP_WORKERS) as pool:
            phones = list(pool.map(lambda w: make_episode.word_phones(w, voice), missing))
        known.update(zip(missing, phones))
        self._dirty = True

    def save(self) -> None:
        if self.path is None or not self._dirty:
            return
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            data = {v: {w: " ".join(p) for w, p in sorted(words.items())} for v, words in sorted(self._phones.items())}
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")
            os.replace(tmp, self.path)
            self._dirty = False


def say(text: str, words: list[str], voice: str, stretch: float, book: PhoneBook) -> Speech:
    """Synthesize ``text`` (``words`` are its spoken words, bare, in order) and time every word.

    Raises:
        Unsayable: flite's phones for the sentence do not split into the words' phone counts.
    """
    flite_words: list[str] = []
    owner: list[int] = []  # for each flite word, the index of the word it says
    for index, word in enumerate(words):
        parts = RESPELL.get(word.casefold(), (word,))
        flite_words += parts
        owner += [index] * len(parts)
    for word, parts in RESPELL.items():
        text = _replace_word(text, word, " ".join(parts))
    book.prime(flite_words, voice)
    try:
        synth = make_episode.synthesize(text, flite_words, voice, stretch, phones_of=book)
    except RuntimeError as exc:
        if "phones for" in str(exc):
            raise Unsayable(str(exc)) from None
        raise
    if synth.phone_matches < MIN_PHONE_IDENTITY * synth.phone_count:
        raise Unsayable(f"only {synth.phone_matches} of {synth.phone_count} phones of {text!r} match its words alone")
    merged: list[SpokenWord] = []
    for index, word in enumerate(words):
        mine = [(t, f) for t, f, o in zip(synth.words, flite_words, owner) if o == index]
        phones = tuple(p for _, f in mine for p in book(f, voice))
        merged.append(SpokenWord(word, mine[0][0].start_s, mine[-1][0].end_s, phones))
    return Speech(synth.samples, tuple(merged), synth.phone_matches, synth.phone_count)


def _replace_word(text: str, word: str, replacement: str) -> str:
    return re.sub(rf"(?i)(?<![\w-]){re.escape(word)}(?![\w-])", replacement, text)
