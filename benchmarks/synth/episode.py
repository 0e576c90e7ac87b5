"""Assemble one episode: place synthesized sentences and music on a timeline, and keep the transcript.

:class:`EpisodeBuilder` is driven by :mod:`synth.script`, one sentence or music cue at a time, in time order.
Each sentence is given in make_episode's edit syntax; it is synthesized (voice.say), cut from flite's wave
at a whole millisecond and placed ``gap_ms`` after the last sound, so every word's truth is
placement + flite's own phone times. What the transcript shows is kept alongside: the turns, their
paragraphs and each written token. :meth:`EpisodeBuilder.finish` renders the Markdown (recording each
word's character span), mixes the audio and returns the truth.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from synth.fixture import make_episode
from synth.voice import SAMPLE_RATE_HZ, PhoneBook, say

SAMPLES_PER_MS = SAMPLE_RATE_HZ // 1000
CUT_MARGIN_MS = make_episode.CUT_MARGIN_MS
MUSIC_SPEECH_CLEARANCE_MS = 750
ROOM_TONE_DBFS = -60.0
"""A steady noise floor under everything, as a real recording has (without it, each sentence would rise out
of digital silence). The pauses flite leaves around a sentence are kept no louder than this."""
EDGE_FADE_MS = 5  # ramps at the clip's edges and between its margins and its words (see _margin_envelope)
MAX_LEVEL_BEFORE_DB = -25.0
"""The 30 ms ending 10 ms before each sentence's first word (flite's times are good to its 5 ms frame), on
the speech track, must be this far below the sentence's speech."""
"""Music counts as "music only" (no transcript word belongs there) this far from any speech."""

WORD_KINDS = ("title", "subtitle", "byline", "disclaimer", "speech", "added", "closing")


@dataclass(frozen=True)
class Speaker:
    """A voice in the episode. ``name`` is None for the ad announcer, who is not in the transcript."""

    name: str | None
    voice: str
    stretch: float  # flite duration_stretch: >1 is slower
    gain_db: float  # level relative to make_episode's -20 dBFS speech
    role: str  # host, guest, announcer


@dataclass
class _Turn:
    speaker: str
    label: str
    paragraphs: list[list[int]] = field(default_factory=lambda: [[]])


@dataclass
class _Note:
    text: str


@dataclass(frozen=True)
class Header:
    """The lines above and below the turns, as published show notes have them."""

    title: str
    subtitle: str
    byline: str
    disclaimer: str
    closing: str


@dataclass(frozen=True)
class Built:
    markdown: str
    truth: dict
    mixed: np.ndarray  # int16 mono at 16 kHz
    silence: dict[str, float]


def _margin_envelope(clip: np.ndarray, first_ms: float, last_ms: float) -> np.ndarray:
    """Gain per sample for a sentence clip: 1 over its words, and in the pause flite left around them (the
    clip's margins), at most the room tone's level.

    Why: kal16's pauses carry its diphones' recording noise at about -45 dBFS (awb's about -55), which would
    start each sentence with a 40 ms blip of noise out of the room tone, an onset no real recording has and
    one an energy-based aligner could mistake for speech. Only the margins are touched, never the words:
    the gain ramps back to 1 over the 5 ms ending 5 ms before the first phone (flite's frame), and from 1
    over the 5 ms starting 5 ms after the last phone. The clip's outer 5 ms fade in and out against clicks.
    """
    n = len(clip)
    ramp = EDGE_FADE_MS * SAMPLES_PER_MS
    head_end = max(0, int((first_ms - 2 * EDGE_FADE_MS) * SAMPLES_PER_MS))  # margin before the words
    tail_start = min(n, int((last_ms + 2 * EDGE_FADE_MS) * SAMPLES_PER_MS))  # margin after them
    envelope = np.ones(n)
    for lo, hi, rising in ((0, head_end, True), (tail_start, n, False)):
        if hi - lo <= 0:
            continue
        level = make_episode.rms_dbfs(clip[lo:hi])
        floor = min(1.0, 10 ** ((ROOM_TONE_DBFS - level) / 20))
        envelope[lo:hi] = floor
        if rising:  # floor -> 1 just before the words
            envelope[hi : min(n, hi + ramp)] = np.linspace(floor, 1.0, min(n, hi + ramp) - hi)
        else:  # 1 -> floor just after them
            envelope[max(0, lo - ramp) : lo] = np.linspace(1.0, floor, lo - max(0, lo - ramp))
    edge = np.linspace(0.0, 1.0, min(ramp, n // 2))
    envelope[: len(edge)] *= edge
    envelope[n - len(edge) :] *= edge[::-1]
    return envelope


class EpisodeBuilder:
    """The timeline and transcript of one episode, built in time order."""

    def __init__(self, book: PhoneBook, label: Callable[[str], str]) -> None:
        self.book = book
        self.label = label
        self.cursor_ms = 0  # end of the last sound placed
        self._tokens: list[tuple[str, str]] = []  # (written text, kind: speech/added/note)
        self._blocks: list[_Turn | _Note] = []
        self._placements: list[tuple[int, np.ndarray, bool]] = []  # (ms, int16, is speech)
        self._utterances: list[dict] = []
        self._spoken: list[dict] = []  # with "token": global token id or None
        self._music: list[dict] = []
        self._ads: list[dict] = []
        self.speakers: dict[str, Speaker] = {}

    # --- speech ------------------------------------------------------------------------------------

    def say(
        self,
        speaker: Speaker,
        markup: str,
        *,
        gap_ms: int,
        kind: str = "speech",
        in_transcript: bool = True,
        new_paragraph: bool = False,
        new_turn: bool = False,
    ) -> None:
        """Say one sentence ``gap_ms`` after the last sound (and write it, unless ``in_transcript`` is False).

        ``kind`` names what a sentence left out of the transcript is (ad, backchannel, cut); its spoken
        words get that as their edit. A sentence with nothing to say (an added, written-only sentence) is
        only written.

        Raises:
            voice.Unsayable: flite's phones do not split into the words; nothing was placed or written.
        """
        parsed = make_episode.parse_turn(make_episode.Turn(speaker.name or "", "", (markup,), 0))
        sentence = parsed.sentences[0] if parsed.sentences else None
        speech = None
        if sentence is not None:
            speech = say(
                sentence.flite_text, [w.text for w in sentence.words], speaker.voice, speaker.stretch, self.book
            )
        ids = self._attach(speaker, parsed, new_paragraph, new_turn) if in_transcript else {}
        if speech is None or sentence is None:
            return
        clip, cut_start_ms = make_episode.cut_speech(speech, CUT_MARGIN_MS)
        first_ms = speech.words[0].start_s * 1000 - cut_start_ms  # where the words start and end in the clip
        last_ms = speech.words[-1].end_s * 1000 - cut_start_ms
        envelope = _margin_envelope(clip, first_ms, last_ms) * 10 ** (speaker.gain_db / 20)
        clip = np.round(np.clip(clip * envelope, -32767, 32767)).astype(np.int16)
        place_ms = round(self.cursor_ms + gap_ms - (speech.words[0].start_s * 1000 - cut_start_ms))
        self._placements.append((place_ms, clip, True))
        utterance = len(self._utterances)
        words = []
        for timed, said in zip(speech.words, sentence.words):
            token = ids.get(said.token) if said.token is not None and in_transcript else None
            words.append(
                {
                    "word": timed.text,
                    "start_ms": round(place_ms + timed.start_s * 1000 - cut_start_ms),
                    "end_ms": round(place_ms + timed.end_s * 1000 - cut_start_ms),
                    "speaker": speaker.name,
                    "utterance": utterance,
                    "token": token,
                    "edit": said.edit if in_transcript else kind,
                    "phones": " ".join(timed.phones),
                }
            )
        self._spoken += words
        self._utterances.append(
            {
                "index": utterance,
                "speaker": speaker.name,
                "voice": speaker.voice,
                "kind": kind,
                "in_transcript": in_transcript,
                "text": sentence.flite_text,
                "phones_identical": f"{speech.phones_identical}/{speech.phone_count}",
                "start_ms": words[0]["start_ms"],
                "end_ms": words[-1]["end_ms"],
            }
        )
        if kind == "ad":
            if self._ads and self._ads[-1]["open"]:
                self._ads[-1]["end_ms"] = words[-1]["end_ms"]
            else:
                self._ads.append({"start_ms": words[0]["start_ms"], "end_ms": words[-1]["end_ms"], "open": True})
        elif self._ads:
            self._ads[-1]["open"] = False
        self.cursor_ms = words[-1]["end_ms"]

    def _attach(self, speaker: Speaker, parsed, new_paragraph: bool, new_turn: bool) -> dict[int, int]:
        """Add a sentence's written tokens to the speaker's current turn; local token index -> global id."""
        last = self._blocks[-1] if self._blocks else None
        if new_turn or not isinstance(last, _Turn) or last.speaker != speaker.name:
            last = _Turn(speaker.name or "", self.label(speaker.name or ""))
            self._blocks.append(last)
        elif new_paragraph and last.paragraphs[-1]:
            last.paragraphs.append([])
        ids = {}
        for local, token in enumerate(parsed.tokens):
            ids[local] = len(self._tokens)
            self._tokens.append((token.text, token.kind))
        for j, paragraph in enumerate(parsed.paragraphs):
            if j > 0:
                last.paragraphs.append([])
            last.paragraphs[-1] += [ids[i] for i in paragraph]
        return ids

    # --- music and notes ---------------------------------------------------------------------------

    def note(self, text: str) -> None:
        """A note line such as [music] between turns."""
        self._blocks.append(_Note(text))

    def music(self, kind: str, duration_ms: int, *, gap_ms: int, start_ms: int | None = None) -> None:
        """Place music: a "sting" (C-F-G-C chords) or an "outro" (a soft pad, louder than the intro bed)."""
        start = self.cursor_ms + gap_ms if start_ms is None else start_ms
        if kind == "sting":
            samples = make_episode.make_sting(duration_ms)
        else:
            samples = make_episode.make_bed(duration_ms)
            samples = np.round(np.clip(samples * 10 ** (8 / 20), -32767, 32767)).astype(np.int16)
        self._placements.append((start, samples, False))
        self._music.append({"kind": kind, "start_ms": start, "end_ms": start + duration_ms})
        self.cursor_ms = max(self.cursor_ms, start + duration_ms)

    def bed(self, end_ms: int) -> None:
        """The quiet music bed from 0 to ``end_ms``, under the opening words (placed without moving time)."""
        self._placements.append((0, make_episode.make_bed(end_ms), False))
        self._music.insert(0, {"kind": "bed", "start_ms": 0, "end_ms": end_ms})

    # --- the end -----------------------------------------------------------------------------------

    def finish(self, header: Header, *, trailing_ms: int, meta: dict, noise_seed: int) -> Built:
        duration_ms = self.cursor_ms + trailing_ms
        mixed, speech = self._mix(duration_ms, noise_seed)
        silence = self._check_silence(speech)
        markdown, words, token_word = self._render(header)
        spoken = []
        for entry in self._spoken:
            entry = dict(entry)
            token = entry.pop("token")
            index = token_word.get(token) if token is not None else None
            entry["transcript_index"] = index
            entry["transcript_text"] = words[index]["text"] if index is not None else None
            spoken.append(entry)
        spoken_indices = {w["transcript_index"] for w in spoken if w["transcript_index"] is not None}
        for word in words:
            word["is_spoken"] = word["index"] in spoken_indices
        truth = {
            "schema_version": 1,
            **meta,
            "sample_rate_hz": SAMPLE_RATE_HZ,
            "duration_ms": duration_ms,
            "timing_method": (
                "flite -psdur end times of every phone, one call per sentence; each word's phones from flite -ps "
                "on the word alone, matched in order to the sentence's non-pause phones (counts equal); word "
                "start = its first phone's start, end = its last phone's end; plus the sentence's placement in "
                "the mix. Accurate to about 5 ms (flite's frame); a plosive's closure counts as part of its word."
            ),
            "speakers": {
                s.name: {"voice": s.voice, "role": s.role, "duration_stretch": s.stretch}
                for s in self.speakers.values()
                if s.name
            },
            "music": self._music,
            "ads": [{"start_ms": a["start_ms"], "end_ms": a["end_ms"]} for a in self._ads],
            "no_transcript_regions": self._no_transcript_regions(),
            "utterances": self._utterances,
            "spoken_words": spoken,
            "transcript_words": words,
            "unspoken_transcript_words": [w["index"] for w in words if not w["is_spoken"]],
        }
        return Built(markdown, truth, mixed, silence)

    def _check_silence(self, speech: np.ndarray) -> dict[str, float]:
        """The speech track (no music, no room tone) just before each sentence's first word, relative to the
        sentence's level: evidence that no sound of the sentence comes before its truth start."""
        rms = make_episode.rms_dbfs
        before = []
        for u in self._utterances:
            start, end = u["start_ms"] * SAMPLES_PER_MS, u["end_ms"] * SAMPLES_PER_MS
            window = speech[start - 40 * SAMPLES_PER_MS : start - 10 * SAMPLES_PER_MS]
            before.append(rms(window) - rms(speech[start:end]))
        if max(before) > MAX_LEVEL_BEFORE_DB:
            worst = int(np.argmax(before))
            raise RuntimeError(
                f"sound {max(before):.1f} dB before sentence {worst}'s first word: {self._utterances[worst]}"
            )
        return {
            "max_level_before_first_word_db": max(before),
            "median_level_before_first_word_db": float(np.median(before)),
        }

    def _mix(self, duration_ms: int, noise_seed: int) -> tuple[np.ndarray, np.ndarray]:
        """Sum every placement over room tone (numpy, not pydub: pydub copies the whole track per overlay,
        which is slow at 15 minutes)."""
        n = duration_ms * SAMPLES_PER_MS
        noise = np.random.default_rng(noise_seed).standard_normal(n)
        noise = np.convolve(noise, np.ones(8) / 8, mode="same")  # softer hiss: less energy at the top
        mix = noise * (10 ** (ROOM_TONE_DBFS / 20) * 32768 / np.sqrt(np.mean(noise**2)))
        speech = np.zeros(n)
        for start_ms, samples, is_speech in self._placements:
            start = start_ms * SAMPLES_PER_MS
            end = min(n, start + len(samples))
            mix[start:end] += samples[: end - start]
            if is_speech:
                speech[start:end] += samples[: end - start]
        as_int16 = lambda x: np.clip(np.round(x), -32768, 32767).astype(np.int16)
        return as_int16(mix), as_int16(speech)

    def _no_transcript_regions(self) -> list[dict]:
        """Where no transcript word belongs: each ad read, and music at least MUSIC_SPEECH_CLEARANCE_MS from
        any speech (the bed's stretch before the first word, stings, the outro)."""
        regions = [{"kind": "ad", "start_ms": a["start_ms"], "end_ms": a["end_ms"]} for a in self._ads]
        speech = [
            (u["start_ms"] - MUSIC_SPEECH_CLEARANCE_MS, u["end_ms"] + MUSIC_SPEECH_CLEARANCE_MS)
            for u in self._utterances
        ]
        for music in self._music:
            pieces = [(music["start_ms"], music["end_ms"])]
            for s0, s1 in speech:
                pieces = [p for a, b in pieces for p in ((a, min(b, s0)), (max(a, s1), b)) if p[1] - p[0] > 0]
            regions += [{"kind": "music", "start_ms": a, "end_ms": b} for a, b in pieces if b - a >= 200]
        merged: list[dict] = []
        for region in sorted(regions, key=lambda r: (r["kind"], r["start_ms"])):
            if merged and merged[-1]["kind"] == region["kind"] and region["start_ms"] <= merged[-1]["end_ms"]:
                merged[-1]["end_ms"] = max(merged[-1]["end_ms"], region["end_ms"])
            else:
                merged.append(dict(region))
        return sorted(merged, key=lambda r: r["start_ms"])

    def _render(self, header: Header) -> tuple[str, list[dict], dict[int, int]]:
        """The Markdown, its words (with character spans of each bare word) and token id -> word index."""
        doc = _Document()
        words: list[dict] = []
        token_word: dict[int, int] = {}

        def add_words(raw_tokens: list[str], offsets: list[int], line: int, kinds: list[str], ids: list[int | None]):
            for raw, offset, kind, token in zip(raw_tokens, offsets, kinds, ids):
                if kind == "note":
                    continue
                text = make_episode.markdown_word(raw)
                if not text:
                    continue
                at = raw.find(text)
                if at < 0:
                    raise RuntimeError(f"word {text!r} is not inside its token {raw!r}")
                if token is not None:
                    token_word[token] = len(words)
                words.append(
                    {
                        "index": len(words),
                        "text": text,
                        "raw": raw,
                        "kind": kind,
                        "line": line,
                        "source": {"start": offset + at, "end": offset + at + len(text)},
                    }
                )

        def plain_line(text: str, kind: str) -> None:
            raw = text.split(" ")
            line, offsets = doc.line(raw)
            add_words(raw, offsets, line, [kind] * len(raw), [None] * len(raw))

        plain_line(f"## {header.title}", "title")
        plain_line(header.subtitle, "subtitle")
        plain_line(header.byline, "byline")
        doc.line(["---"])
        plain_line(header.disclaimer, "disclaimer")
        for block in self._blocks:
            if isinstance(block, _Note):
                doc.line([block.text])
                continue
            doc.line([block.label])
            for paragraph in block.paragraphs:
                if not paragraph:
                    continue
                raw = [self._tokens[i][0] for i in paragraph]
                line, offsets = doc.line(raw)
                add_words(raw, offsets, line, [self._tokens[i][1] for i in paragraph], list(paragraph))
        doc.line(["---"])
        plain_line(header.closing, "closing")
        return doc.text(), words, token_word


class _Document:
    """Markdown built line by line (each followed by a blank line), keeping every token's character offset."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._lines = 0

    def line(self, tokens: list[str]) -> tuple[int, list[int]]:
        offsets, position = [], self._length
        for token in tokens:
            offsets.append(position)
            position += len(token) + 1
        text = " ".join(tokens)
        self._parts.append(text + "\n\n")
        self._length += len(text) + 2
        self._lines += 2
        return self._lines - 1, offsets

    def text(self) -> str:
        return "".join(self._parts)[:-1]  # one newline at the end
