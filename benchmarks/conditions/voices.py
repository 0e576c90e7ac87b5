"""More voices with per-word truth: flite's 8 kHz kal, espeak-ng's English accents, festival's voices.

Each backend says a sentence and reports every word's start and end from the synthesizer's own account of
what it generated, never from a recognizer or an aligner:

- ``flite8k:kal``: flite's 8 kHz diphone voice, timed exactly as synth.voice times the 16 kHz voices
  (``flite -psdur`` phone ends split among the words by their phone counts, looked up one word at a time),
  then resampled to 16 kHz (zero-phase);
- ``espeak:VOICE``: espeak-ng through its C library (ctypes), which reports an event at the output sample
  where each phoneme begins, tagged with the text position of the word it belongs to; a word starts at its
  first phoneme and ends where the next phoneme (or pause) begins; 22.05 kHz resampled to 16 kHz;
- ``festival:VOICE``: festival's Segment relation, whose end times are those the waveform was generated from;
  a word starts where the segment before its first one ends and ends with its last segment.

Any other voice name is one of flite's 16 kHz voices, said by synth.voice.say. A sentence whose words the
synthesizer does not report one for one (it expanded a word, or merged two) raises synth.voice.Unsayable,
and the script draws another, as for flite.

Needs, from Debian: espeak-ng (``libespeak-ng1``) and festival with festvox-kallpc16k, festvox-kdlpc16k and
festvox-us-slt-hts.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np
from scipy import signal
from synth.fixture import make_episode
from synth.voice import RESPELL, PhoneBook, Speech, SpokenWord, Unsayable, say

SAMPLE_RATE_HZ = 16_000
ESPEAK_RATE_WPM = 165  # espeak-ng's default is 175; a guest on a podcast speaks a little slower
ESPEAK_LEAD_S = 0.2  # silence put before espeak-ng's wave, which starts with the first phoneme


def synthesize(text: str, words: list[str], voice: str, stretch: float, book: PhoneBook) -> Speech:
    """Say ``text`` (its bare spoken words ``words``, in order) in ``voice`` and time every word."""
    kind, _, name = voice.partition(":")
    if not name:
        return say(text, words, voice, stretch, book)
    said, owner = _respelled(words)
    for word, parts in RESPELL.items():
        text = re.sub(rf"(?i)(?<![\w-]){re.escape(word)}(?![\w-])", " ".join(parts), text)
    if kind == "flite8k":
        samples, times, phones = _flite8k(text, said, name, stretch, book)
    elif kind == "espeak":
        samples, times, phones = _espeak(text, said, name, stretch)
    elif kind == "festival":
        samples, times, phones = _festival(text, said, name, stretch)
    else:
        raise ValueError(f"unknown voice kind {kind!r} in {voice!r}")
    merged = []
    for index, word in enumerate(words):
        mine = [i for i, o in enumerate(owner) if o == index]
        merged.append(
            SpokenWord(word, times[mine[0]][0], times[mine[-1]][1], tuple(p for i in mine for p in phones[i]))
        )
    count = sum(len(p) for p in phones)
    return Speech(samples, tuple(merged), count, count)


def _respelled(words: list[str]) -> tuple[list[str], list[int]]:
    said, owner = [], []
    for index, word in enumerate(words):
        parts = RESPELL.get(word.casefold(), (word,))
        said += parts
        owner += [index] * len(parts)
    return said, owner


def _to_16k(samples: np.ndarray, rate: int) -> np.ndarray:
    x = samples.astype(np.float64)
    if rate != SAMPLE_RATE_HZ:
        g = np.gcd(rate, SAMPLE_RATE_HZ)
        x = signal.resample_poly(x, SAMPLE_RATE_HZ // g, rate // g)
    return np.round(np.clip(x, -32767, 32767)).astype(np.int16)


def _read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path)) as w:
        if w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise RuntimeError(f"{path}: expected 16-bit mono")
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).copy(), w.getframerate()


def _norm(word: str) -> str:
    return re.sub(r"[^a-z0-9']", "", word.lower().replace("’", "'"))


Timed = tuple[np.ndarray, list[tuple[float, float]], list[tuple[str, ...]]]


# --- flite's 8 kHz voice ----------------------------------------------------------------------------------


def _flite8k(text: str, words: list[str], voice: str, stretch: float, book: PhoneBook) -> Timed:
    with tempfile.TemporaryDirectory() as tmp:
        wav_path = Path(tmp) / "s.wav"
        out = make_episode.flite(
            ["-voice", voice, "--setf", f"duration_stretch={stretch}", "-psdur", "-t", text, "-o", str(wav_path)]
        )
        samples, rate = _read_wav(wav_path)
    segments, previous = [], 0.0
    for item in out.split():
        phone, _, end = item.rpartition(":")
        segments.append((phone, previous, float(end)))
        previous = float(end)
    phones = [s for s in segments if s[0] != "pau"]
    book.prime(words, voice)
    expected = [book(w, voice) for w in words]
    if sum(map(len, expected)) != len(phones):
        raise Unsayable(f"flite {voice}: {len(phones)} phones for {text!r}, its words alone have another count")
    times, position, matches = [], 0, 0
    for word_phones in expected:
        mine = phones[position : position + len(word_phones)]
        matches += sum(a == b for a, (b, _, _) in zip(word_phones, mine))
        times.append((mine[0][1], mine[-1][2]))
        position += len(word_phones)
    if matches < 0.85 * len(phones):
        raise Unsayable(f"flite {voice}: only {matches} of {len(phones)} phones of {text!r} match its words alone")
    return _to_16k(samples, rate), times, expected


# --- espeak-ng --------------------------------------------------------------------------------------------


_ESPEAK_CHILD = r"""
import ctypes, json, sys

class Event(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint), ("text_position", ctypes.c_int),
                ("length", ctypes.c_int), ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                ("user_data", ctypes.c_void_p), ("id", ctypes.c_char * 8)]  # espeak_EVENT (speak_lib.h)

voice, rate_wpm, raw_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
text = sys.stdin.buffer.read()
lib = ctypes.CDLL("libespeak-ng.so.1")
rate = lib.espeak_Initialize(2, 0, None, 0x8001)  # AUDIO_OUTPUT_SYNCHRONOUS; PHONEME_EVENTS | DONT_EXIT
chunks, events = [], []

def on_audio(wav, count, ev):
    if count > 0:
        chunks.append(ctypes.string_at(wav, 2 * count))
    i = 0
    while ev[i].type != 0:
        e = ev[i]
        events.append([e.type, e.text_position, e.length, e.sample, bytes(e.id).split(b"\0")[0].decode("latin-1")])
        i += 1
    return 0

callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(Event))(on_audio)
lib.espeak_SetSynthCallback(callback)
if rate <= 0 or lib.espeak_SetVoiceByName(voice.encode()) != 0:
    sys.exit(f"espeak-ng: no voice {voice!r}")
lib.espeak_SetParameter(1, rate_wpm, 0)  # espeakRATE
lib.espeak_Synth(text, len(text) + 1, 0, 0, 0, 1, None, None)  # POS_CHARACTER, espeakCHARS_UTF8
lib.espeak_Synchronize()
with open(raw_path, "wb") as f:
    f.write(b"".join(chunks))
json.dump({"rate": rate, "events": events}, sys.stdout)
"""
"""Says one text with espeak-ng's library and reports its samples (a file) and events (JSON on stdout).

Each text is said by a new process: the library keeps state between texts (the first text after
initialising gets other pause lengths than the same text said again), so in one process a sentence's samples
would depend on what was said before it. A new process says the same text the same way every time."""

_EVENT_WORD, _EVENT_PHONEME = 1, 7


def espeak_version() -> str:
    out = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, check=False).stdout
    return out.split("Data at")[0].strip()


def _espeak_run(text: str, voice: str, rate_wpm: int) -> tuple[np.ndarray, int, list[tuple]]:
    """Samples, sample rate and events of ``text`` said by a new espeak-ng process (_ESPEAK_CHILD)."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "s.raw"
        done = subprocess.run(
            [sys.executable, "-c", _ESPEAK_CHILD, voice, str(rate_wpm), str(raw)],
            input=text.encode(),
            capture_output=True,
            check=True,
        )
        samples = np.frombuffer(raw.read_bytes(), dtype="<i2").copy()
    report = json.loads(done.stdout)
    return samples, report["rate"], [tuple(e) for e in report["events"]]


@functools.cache
def _espeak_word_phonemes(word: str, voice: str, rate_wpm: int) -> tuple[str, ...]:
    """The phonemes espeak-ng says for ``word`` alone (pauses left out)."""
    _, _, events = _espeak_run(word, voice, rate_wpm)
    return tuple(name for kind, _, _, _, name in events if kind == _EVENT_PHONEME and not name.startswith("_"))


def _is_vowel(phoneme: str) -> bool:
    return phoneme[:1] in "aeiouAEIOU@3V0"


def _distance(said: tuple[str, ...], alone: tuple[str, ...]) -> float:
    """Edit distance between phoneme strings: 1 to insert or delete, 0.5 to swap a vowel for a vowel or a
    consonant for a consonant, 1 otherwise."""
    row = [float(j) for j in range(len(alone) + 1)]
    for i, a in enumerate(said, 1):
        prev, row = row, [float(i)] + [0.0] * len(alone)
        for j, b in enumerate(alone, 1):
            swap = 0.0 if a == b else 0.5 if _is_vowel(a) == _is_vowel(b) else 1.0
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + swap)
    return row[-1]


def _split(said: tuple[str, ...], alone: list[tuple[str, ...]]) -> list[int] | None:
    """Phoneme counts splitting ``said`` (a word event's phonemes) among words whose phonemes alone are
    ``alone``: the split whose parts are nearest to the words alone, each word at least one phoneme; of equal
    ones, the one giving the earlier words more (espeak-ng joins short words to the word before them, and a
    linking "r-" is the end of the word before). None when the best is still far from the words alone."""
    n, m = len(said), len(alone)
    best: dict[tuple[int, int], tuple[float, list[int]]] = {(0, 0): (0.0, [])}
    for i in range(1, m + 1):
        for k in range(i, n - (m - i) + 1):
            options = []
            for j in range(i - 1, k):
                if (i - 1, j) in best:
                    cost, counts = best[i - 1, j]
                    options.append((cost + _distance(said[j:k], alone[i - 1]), [-c for c in counts], [*counts, k - j]))
            if options:
                cost, _, counts = min(options)
                best[i, k] = (cost, counts)
    if (m, n) not in best:
        return None
    cost, counts = best[m, n]
    return counts if cost <= max(2.0, 0.25 * n) else None


def _espeak(text: str, words: list[str], voice: str, stretch: float) -> Timed:
    """espeak-ng's phoneme events, grouped by word.

    Word events come in order, each before its phonemes, and each phoneme event carries its word event's text
    position. espeak-ng joins some short words to the one before ("in the" is one word event, its phonemes
    "I n D @2"; "for a" is "f 3 r- @"); such a group's phonemes are split among its words where they best
    match each word's phonemes said alone (:func:`_split`), or the sentence is redrawn.
    """
    rate_wpm = round(ESPEAK_RATE_WPM / stretch)
    samples, rate, events = _espeak_run(text, voice, rate_wpm)
    lead = round(ESPEAK_LEAD_S * rate)  # espeak-ng starts at its first phoneme: give the clip a pause to start in
    samples = np.concatenate([np.zeros(lead, np.int16), samples])
    events = [(kind, pos, length, sample + lead, name) for kind, pos, length, sample, name in events]
    positions, cursor = [], 0
    for word in words:  # 1-based character position of each word in the text
        at = text.find(word, cursor)
        if at < 0:
            raise Unsayable(f"{word!r} not found in {text!r}")
        positions.append(at + 1)
        cursor = at + len(word)
    groups: list[tuple[int, list[int]]] = []  # (event position, indices of the words it says)
    k = 0
    events = [e for e in events if e[0] != _EVENT_WORD or e[2] > 0]  # an empty word event ends the text
    for kind, pos, _, _, _ in events:
        if kind != _EVENT_WORD:
            continue
        if k >= len(words) or not 0 <= positions[k] - pos <= 1:  # one character early after a full stop
            raise Unsayable(f"espeak-ng {voice}: a word event at {pos} where {words[k : k + 1]} was expected")
        groups.append((pos, [k]))
        k += 1
        while k < len(words) and not any(
            kind2 == _EVENT_WORD and 0 <= positions[k] - pos2 <= 1 for kind2, pos2, _, _, _ in events
        ):
            groups[-1][1].append(k)  # joined to the word before
            k += 1
    if k != len(words):
        raise Unsayable(f"espeak-ng {voice}: {k} of {len(words)} words have a word event in {text!r}")
    phonemes = [(pos, sample, name) for kind, pos, _, sample, name in events if kind == _EVENT_PHONEME]
    times: list[tuple[float, float]] = []
    phones: list[tuple[str, ...]] = []
    for pos, members in groups:
        mine = [i for i, (at, _, name) in enumerate(phonemes) if at == pos and not name.startswith("_")]
        if not mine or mine[-1] + 1 >= len(phonemes) or mine != list(range(mine[0], mine[-1] + 1)):
            raise Unsayable(f"espeak-ng {voice}: no run of phonemes for a word of {text!r}")
        said = tuple(phonemes[i][2] for i in mine)
        counts = [len(mine)]
        if len(members) > 1:
            alone = [_espeak_word_phonemes(words[m], voice, rate_wpm) for m in members]
            split = _split(said, alone)
            if split is None:
                raise Unsayable(f"espeak-ng {voice}: {said} for {[words[m] for m in members]}, alone {alone}")
            counts = split
        start = mine[0]
        for count in counts:
            part = list(range(start, start + count))
            times.append((phonemes[part[0]][1] / rate, phonemes[part[-1] + 1][1] / rate))
            phones.append(tuple(phonemes[i][2] for i in part))
            start += count
    return _to_16k(samples, rate), times, phones


# --- festival ---------------------------------------------------------------------------------------------

_FESTIVAL_SCRIPT = """(voice_{voice})
(Parameter.set 'Duration_Stretch {stretch})
(set! utt (Utterance Text "{text}"))
(utt.synth utt)
(utt.save.wave utt "{wav}" 'riff)
(mapcar
  (lambda (w)
    (format t "W\t%s" (item.name w))
    (mapcar
      (lambda (syl)
        (mapcar
          (lambda (seg) (format t "\t%s %f %f" (item.name seg) (item.feat seg "segment_start") (item.feat seg "end")))
          (item.daughters syl)))
      (item.daughters (item.relation w 'SylStructure)))
    (format t "\n"))
  (utt.relation.items utt 'Word))
"""
"""For each Word item, its name and its segments (phone, start, end) through the syllable structure."""


def festival_version() -> str:
    return subprocess.run(["festival", "--version"], capture_output=True, text=True, check=False).stdout.strip()


def _festival(text: str, words: list[str], voice: str, stretch: float) -> Timed:
    with tempfile.TemporaryDirectory() as tmp:
        wav_path = Path(tmp) / "s.wav"
        script = Path(tmp) / "s.scm"
        quoted = text.replace("\\", " ").replace('"', " ")
        script.write_text(
            _FESTIVAL_SCRIPT.format(voice=voice, stretch=stretch, text=quoted, wav=wav_path), encoding="utf-8"
        )
        out = subprocess.run(["festival", "-b", str(script)], capture_output=True, text=True, check=True).stdout
        samples, rate = _read_wav(wav_path)
    rows = [line.split("\t")[1:] for line in out.splitlines() if line.startswith("W\t")]
    times, phones = [], []
    k = 0
    for word in words:  # festival's words, joined where it split one ("let's" is "let" and "'s")
        parts, joined = [], ""
        while k < len(rows) and len(joined) < len(_norm(word)):
            parts.append(rows[k])
            joined += _norm(rows[k][0])
            k += 1
        if joined != _norm(word):
            raise Unsayable(f"festival {voice} said {[r[0] for r in rows]} for {words}")
        segments = [(phone, float(a), float(b)) for row in parts for phone, a, b in (c.split(" ") for c in row[1:])]
        if not segments:
            raise Unsayable(f"festival {voice}: no segments for {word!r} in {text!r}")
        times.append((segments[0][1], segments[-1][2]))
        phones.append(tuple(p for p, _, _ in segments))
    if k != len(rows):
        raise Unsayable(f"festival {voice} said {[r[0] for r in rows]} for {words}")
    return _to_16k(samples, rate), times, phones
