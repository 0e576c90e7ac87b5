"""The condition episodes' timeline: synth's EpisodeBuilder, plus what the conditions need.

:class:`ConditionBuilder` extends synth.episode.EpisodeBuilder (whose code is left as it is: the default
episodes must stay byte-identical) with:

- other voices (conditions.voices: flite's 8 kHz voice, espeak-ng, festival) by the speaker's ``voice``;
- an effect per speaker (a telephone line, a room), applied to each of their clips after the level is set
  and before the gain, without delay (conditions.effects);
- ``at_ms``: a sentence whose first word starts at a given time, over the other speaker (a backchannel or an
  interjection); the cursor only moves forward;
- real recordings placed sample-exactly, with truth from their clean onset and offset (conditions.real);
- other sounds (laughter, a producer's music bed, line noise) placed at a time, and regions of other kinds
  where no transcript word belongs (laughter alone, an outtake);
- a written word whose edit is ``inserted`` (``{|the|inserted}``: the producer wrote it, nobody said it) is
  a transcript word of kind "inserted" in the truth, as an added sentence's words are of kind "added".

The check that nothing of a sentence sounds before its first word is made on each clip alone, not on the
speech track, since the track now has overlapping speech.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from synth.episode import (
    CUT_MARGIN_MS,
    MAX_LEVEL_BEFORE_DB,
    MUSIC_SPEECH_CLEARANCE_MS,
    SAMPLES_PER_MS,
    Built,
    EpisodeBuilder,
    Header,
    Speaker,
    _margin_envelope,
)
from synth.fixture import make_episode
from synth.voice import PhoneBook

from conditions import voices

Effect = Callable[[np.ndarray], np.ndarray]
OTHER_REGION_CLEARANCE_MS = 250
"""Laughter alone counts as a place where no word belongs this far from any speech (music: 750 ms)."""


def _int16(x: np.ndarray) -> np.ndarray:
    return np.round(np.clip(x, -32767, 32767)).astype(np.int16)


def _level_before(clip: np.ndarray, first_ms: float, last_ms: float) -> float:
    """The clip's level in the 30 ms ending 10 ms before its first word, relative to its words' level."""
    rms = make_episode.rms_dbfs
    start, end = round(first_ms * SAMPLES_PER_MS), round(last_ms * SAMPLES_PER_MS)
    window = clip[max(0, start - 40 * SAMPLES_PER_MS) : max(0, start - 10 * SAMPLES_PER_MS)]
    if len(window) == 0:
        return -120.0
    return rms(window) - rms(clip[start:end])


class ConditionBuilder(EpisodeBuilder):
    def __init__(self, book: PhoneBook, label: Callable[[str], str]) -> None:
        super().__init__(book, label)
        self.effects: dict[str, Effect] = {}  # by speaker name
        self.levels_before: list[float] = []  # per synthesized utterance: _level_before on its own clip
        self.recording_levels_before: list[float] = []  # per real recording (its own room sound: not checked)
        self.other_regions: list[dict] = []  # kind, start_ms, end_ms; made no-transcript if clear of speech
        self.sounds: list[dict] = []  # laughter and the like: kind, start_ms, end_ms, over_speech
        self.clips: list[dict] = []  # per utterance: placement ms, and the clip before and after its effect
        self.extra_meta: dict = {}
        self.before_mix: list[Callable[[ConditionBuilder, int], None]] = []

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
        at_ms: int | None = None,
    ) -> None:
        """EpisodeBuilder.say with other voices, the speaker's effect, and ``at_ms``: the first word starts
        there (over whatever is playing) instead of ``gap_ms`` after the last sound."""
        parsed = make_episode.parse_turn(make_episode.Turn(speaker.name or "", "", (markup,), 0))
        sentence = parsed.sentences[0] if parsed.sentences else None
        speech = None
        if sentence is not None:
            speech = voices.synthesize(
                sentence.flite_text, [w.text for w in sentence.words], speaker.voice, speaker.stretch, self.book
            )
        ids = self._attach(speaker, parsed, new_paragraph, new_turn) if in_transcript else {}
        if speech is None or sentence is None:
            return
        clip, cut_start_ms = make_episode.cut_speech(speech, CUT_MARGIN_MS)
        first_ms = speech.words[0].start_s * 1000 - cut_start_ms
        last_ms = speech.words[-1].end_s * 1000 - cut_start_ms
        dry = clip * _margin_envelope(clip, first_ms, last_ms)
        effect = self.effects.get(speaker.name or "")
        wet = effect(dry) if effect else dry
        placed = _int16(wet * 10 ** (speaker.gain_db / 20))
        start = self.cursor_ms + gap_ms if at_ms is None else at_ms
        place_ms = round(start - first_ms)
        self._placements.append((place_ms, placed, True))
        self.levels_before.append(_level_before(placed.astype(np.float64), first_ms, last_ms))
        self.clips.append({"place_ms": place_ms, "dry": dry, "wet": wet, "speaker": speaker.name})
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
        self._add_utterance(speaker, kind, in_transcript, sentence.flite_text, words)
        self._spoken += words
        self._utterances[-1]["phones_identical"] = f"{speech.phones_identical}/{speech.phone_count}"

    def _attach(self, speaker: Speaker, parsed, new_paragraph: bool, new_turn: bool) -> dict[int, int]:
        """EpisodeBuilder._attach; a token whose edit is "inserted" is a word of that kind."""
        for token in parsed.tokens:
            if token.edit == "inserted":
                token.kind = "inserted"
        return super()._attach(speaker, parsed, new_paragraph, new_turn)

    def _add_utterance(self, speaker: Speaker, kind: str, in_transcript: bool, text: str, words: list[dict]) -> None:
        known = [w for w in words if w["start_ms"] is not None]
        ends = [w for w in words if w["end_ms"] is not None]
        self._utterances.append(
            {
                "index": len(self._utterances),
                "speaker": speaker.name,
                "voice": speaker.voice,
                "kind": kind,
                "in_transcript": in_transcript,
                "text": text,
                "start_ms": known[0]["start_ms"],
                "end_ms": ends[-1]["end_ms"],
            }
        )
        first, last = known[0]["start_ms"], ends[-1]["end_ms"]
        if kind == "ad":
            if self._ads and self._ads[-1]["open"]:
                self._ads[-1]["end_ms"] = last
            else:
                self._ads.append({"start_ms": first, "end_ms": last, "open": True})
        elif self._ads:
            self._ads[-1]["open"] = False
        self.cursor_ms = max(self.cursor_ms, last)

    def place_recording(
        self,
        speaker: Speaker,
        markup: str,
        clip: np.ndarray,
        onset_ms: float,
        offset_ms: float,
        *,
        gap_ms: int,
        kind: str = "speech",
        in_transcript: bool = True,
        new_paragraph: bool = False,
        new_turn: bool = False,
        source: dict | None = None,
    ) -> None:
        """Place a real recording (int16 at 16 kHz, its level already set) so that its speech starts
        ``gap_ms`` after the last sound. ``markup`` is what it says, in make_episode's edit syntax; its first
        spoken word starts at ``onset_ms`` into the clip and its last one ends at ``offset_ms``; the times of
        the words between are not known (null in the truth), unless it is one word."""
        parsed = make_episode.parse_turn(make_episode.Turn(speaker.name or "", "", (markup,), 0))
        sentence = parsed.sentences[0]
        ids = self._attach(speaker, parsed, new_paragraph, new_turn) if in_transcript else {}
        place_ms = self.cursor_ms + gap_ms - round(onset_ms)
        self._placements.append((place_ms, clip, True))
        self.recording_levels_before.append(_level_before(clip.astype(np.float64), onset_ms, offset_ms))
        self.clips.append({"place_ms": place_ms, "dry": clip, "wet": clip, "speaker": speaker.name})
        utterance = len(self._utterances)
        words = []
        count = len(sentence.words)
        for k, said in enumerate(sentence.words):
            token = ids.get(said.token) if said.token is not None and in_transcript else None
            words.append(
                {
                    "word": said.text,
                    "start_ms": place_ms + round(onset_ms) if k == 0 else None,
                    "end_ms": place_ms + round(offset_ms) if k == count - 1 else None,
                    "speaker": speaker.name,
                    "utterance": utterance,
                    "token": token,
                    "edit": said.edit if in_transcript else kind,
                    "phones": None,
                }
            )
        self._add_utterance(speaker, kind, in_transcript, sentence.flite_text, words)
        if source:
            self._utterances[-1]["source"] = source
        self._spoken += words

    # --- other sounds ------------------------------------------------------------------------------

    def sound(self, kind: str, samples: np.ndarray, start_ms: int, *, over_speech: bool) -> None:
        """Place a non-speech sound (laughter) at ``start_ms``, without moving the cursor unless it ends
        later than the last sound."""
        end_ms = start_ms + len(samples) // SAMPLES_PER_MS
        self._placements.append((start_ms, _int16(samples), False))
        self.sounds.append({"kind": kind, "start_ms": start_ms, "end_ms": end_ms, "over_speech": over_speech})
        if not over_speech:
            self.other_regions.append({"kind": kind, "start_ms": start_ms, "end_ms": end_ms})
        self.cursor_ms = max(self.cursor_ms, end_ms)

    def music_bed(self, samples: np.ndarray, start_ms: int) -> None:
        """A music bed (conditions.effects.producer_bed) from ``start_ms``, under whatever is said then."""
        end_ms = start_ms + len(samples) // SAMPLES_PER_MS
        self._placements.append((start_ms, _int16(samples), False))
        self._music.append({"kind": "bed", "start_ms": start_ms, "end_ms": end_ms})

    def mark_region(self, kind: str, start_ms: int, end_ms: int) -> None:
        """A stretch where no transcript word belongs (an outtake the transcript leaves out)."""
        self.other_regions.append({"kind": kind, "start_ms": start_ms, "end_ms": end_ms, "clear": False})

    # --- the end -----------------------------------------------------------------------------------

    def finish(self, header: Header, *, trailing_ms: int, meta: dict, noise_seed: int) -> Built:
        for hook in self.before_mix:
            hook(self, self.cursor_ms + trailing_ms)
        order = sorted(range(len(self._spoken)), key=lambda i: (self._spoken_start(i), i))
        self._spoken = [self._spoken[i] for i in order]  # time order: overlapping speech interleaves
        meta = {**meta, **self.extra_meta, "sounds": self.sounds}
        built = super().finish(header, trailing_ms=trailing_ms, meta=meta, noise_seed=noise_seed)
        return built

    def _spoken_start(self, i: int) -> int:
        word = self._spoken[i]
        if word["start_ms"] is not None:
            return word["start_ms"]
        return self._utterances[word["utterance"]]["start_ms"]  # a word inside a recording: its recording's

    def _check_silence(self, speech: np.ndarray) -> dict[str, float]:
        """EpisodeBuilder._check_silence on each clip alone (the speech track has overlapping speech)."""
        before = self.levels_before
        if not before:
            return {}
        if max(before) > MAX_LEVEL_BEFORE_DB:
            worst = int(np.argmax(before))
            raise RuntimeError(
                f"sound {max(before):.1f} dB before sentence {worst}'s first word: {self._utterances[worst]}"
            )
        return {
            "max_level_before_first_word_db": max(before),
            "median_level_before_first_word_db": float(np.median(before)),
        }

    def _no_transcript_regions(self) -> list[dict]:
        """EpisodeBuilder's (ads, music clear of speech), plus laughter alone at least
        OTHER_REGION_CLEARANCE_MS from any speech, and outtakes (speech the transcript leaves out)."""
        regions = super()._no_transcript_regions()
        speech = [
            (u["start_ms"] - OTHER_REGION_CLEARANCE_MS, u["end_ms"] + OTHER_REGION_CLEARANCE_MS)
            for u in self._utterances
        ]
        for region in self.other_regions:
            pieces = [(region["start_ms"], region["end_ms"])]
            if region.get("clear", True):
                for s0, s1 in speech:
                    pieces = [p for a, b in pieces for p in ((a, min(b, s0)), (max(a, s1), b)) if p[1] - p[0] > 0]
            regions += [{"kind": region["kind"], "start_ms": a, "end_ms": b} for a, b in pieces if b - a >= 200]
        return sorted(regions, key=lambda r: r["start_ms"])


__all__ = ["MUSIC_SPEECH_CLEARANCE_MS", "ConditionBuilder", "Effect"]
