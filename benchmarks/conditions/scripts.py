"""The synthetic condition episodes: synth's interview script, each with one condition where the aligner
is known or expected to fail.

Every script is synth.script._Script (the phrase bank, the edits, the ad, the backchannels in pauses, the
closing) on a :class:`~conditions.builder.ConditionBuilder`, with one thing changed:

- :class:`Telephone`: the guest calls in: each clip band-passed to 300-3400 Hz, through 8 kHz and G.711
  mu-law, 10 dB under the host, with the line's hiss while the call is open;
- :class:`RemoteGuest`: the guest is 20 dB under the host, in a room (RT60 0.35-0.45 s);
- :class:`MusicBed`: a producer's bed (chords, bass, arpeggio, hi-hat) 12-16 dB under speech from 3-5 s
  before the first word through the first exchange (35 s of speech or more), and again under an answer later;
- :class:`Overlap`: the host's backchannels said over the guest's sentences (some kept in the transcript as a
  turn, most not), interjections over the end of a sentence, laughter over speech and laughter alone;
- :class:`Fast`: the guest talks 1.35-1.5 times flite's rate;
- :class:`ThreeSpeakers`: a host and two guests from the first minute;
- :class:`Espeak`: three speakers and the announcer in espeak-ng's English accents;
- :class:`Festival`: three speakers in festival's voices (HTS slt, the kal and ked diphones) and flite's
  8 kHz kal as the announcer;
- :class:`ProducerEdits`: the producer's heavier edits, on top of synth's, in sentences that are said and
  written: words written that nobody said (kind ``inserted``: an article or preposition the speaker left
  out, "really", "very", "just", "also" or "that" added, a name completed; now and then two adjacent words)
  and words said mid-sentence that the transcript leaves out (kind ``dropped``: "like", "so", "just",
  "actually", "kind of"). PRODUCER_EDITS documents the two kinds.
"""

from __future__ import annotations

import dataclasses
import random
from typing import ClassVar

import numpy as np
from synth import phrases
from synth.episode import Built, Speaker
from synth.grammar import Grammar, Piece, split_punctuation
from synth.script import (
    BACKCHANNEL_RATE,
    CLOSING_RESERVE_MS,
    EDITS,
    GENERATOR_VERSION,
    KEPT_BACKCHANNEL_RATE,
    LAUGH_RATE,
    TRAILING_SILENCE_MS,
    EpisodeParams,
    _Script,
)
from synth.voice import VOICES, PhoneBook

from conditions import effects
from conditions.builder import ConditionBuilder

INTERJECTIONS = ("Oh, really?", "Wait, how so?", "No way.", "That's amazing.", "Oh, I love that.", "Hmm, interesting.")
KEPT_INTERJECTION_RATE = 0.8
OVERLAP_RATE = 0.4  # guest sentences with something said or laughed over them


class ConditionScript(_Script):
    """synth's script on a ConditionBuilder; subclasses change the speakers, the intro or the answers."""

    condition = "interview"
    description = "synth's interview"
    edit_kinds: ClassVar[dict[str, str]] = {}  # the kinds of edit this condition adds to the truth's "edits"

    def __init__(self, params: EpisodeParams, book: PhoneBook) -> None:
        super().__init__(params, book)
        old = self.builder
        self.builder = ConditionBuilder(book, old.label)
        self.builder.speakers = dict(old.speakers)
        self.np_rng = np.random.default_rng(self.rng.randrange(2**32))
        self.setup()
        self.builder.extra_meta["condition"] = {"name": self.condition, "description": self.description}

    def setup(self) -> None:
        """Change speakers or effects before anything is said."""

    def replace(self, old: Speaker, **changes) -> Speaker:
        """The same speaker with ``changes`` (voice, stretch, gain_db), everywhere the script keeps them."""
        new = dataclasses.replace(old, **changes)
        if self.host is old:
            self.host = new
        if self.announcer is old:
            self.announcer = new
        self.guests = [new if g is old else g for g in self.guests]
        self.builder.speakers.pop(old.voice, None)
        self.builder.speakers[new.voice] = new
        return new

    def add_second_guest(self, voice: str | None = None) -> None:
        """Two guests whatever the length, the second joining in the first fifth."""
        if self.guest_count > 1:
            return
        used = {self.host.voice, self.guests[0].voice, self.announcer.voice}
        voice = voice or next(v for v in VOICES if v not in used)
        guest2 = Speaker(
            self.names["guest2"],
            voice,
            round(self.rng.uniform(1.0, 1.1), 2),
            round(self.rng.uniform(-2, 2), 1),
            "guest",
        )
        self.guests.append(guest2)
        self.builder.speakers[voice] = guest2
        self.guest_count = 2
        self.second_guest_at = round(self.rng.uniform(0.12, 0.2) * self.target_ms)

    # --- the episode: synth's run, with the intro as a step of its own ------------------------------------

    def run(self) -> Built:
        rng, b = self.rng, self.builder
        self.intro()
        guest = self.guests[0]
        ad_done = False
        turn = 0
        while b.cursor_ms < self.target_ms - CLOSING_RESERVE_MS:
            if not ad_done and b.cursor_ms >= self.ad_at:
                self.ad_break()
                ad_done = True
                continue
            if self.guests_in < self.guest_count and b.cursor_ms >= self.second_guest_at:
                self.second_guest_joins()
                continue
            guest = self.guests[turn % self.guests_in]
            self.question(guest, follow_up=turn > 0 and rng.random() < 0.4)
            self.answer(guest)
            turn += 1
        if not ad_done:
            self.ad_break()
        self.closing()
        return b.finish(
            self.header,
            trailing_ms=TRAILING_SILENCE_MS,
            noise_seed=self.rng.randrange(2**32),
            meta={
                "generator": {
                    "name": "benchmarks/conditions",
                    "version": GENERATOR_VERSION,
                    "condition": self.condition,
                    "seed": self.params.seed,
                    "minutes": float(self.params.minutes),
                },
                "audio": {"wav": "episode.wav", "mp3": "episode.mp3"},
                "transcript": "episode.md",
                "show": self.names["show"],
                "topic": self.topic.topic,
                "edits": {**EDITS, **CONDITION_EDITS, **self.edit_kinds},
            },
        )

    def intro(self) -> None:
        """synth's opening: the host's intro over a quiet bed, a sting, the welcome."""
        rng, host, b = self.rng, self.host, self.builder
        lead_ms = rng.randint(1500, 3000)
        for i, line in enumerate(phrases.INTRO):
            self.say(host, line, gap_ms=lead_ms if i == 0 else self._gap_within(), edits=i >= 2)
        if self.guest_count > 1:
            self.say(host, phrases.INTRO_SECOND_GUEST, gap_ms=self._gap_within(), edits=False)
        b.bed(b.cursor_ms + rng.randint(600, 1200))
        b.music("sting", rng.randint(2500, 4000), gap_ms=rng.randint(300, 600))
        b.note("[music]")
        self.welcome()

    def welcome(self) -> None:
        rng, guest = self.rng, self.guests[0]
        self.say(self.host, rng.choice(phrases.WELCOME), gap_ms=rng.randint(500, 900), edits=False)
        self.say(guest, rng.choice(phrases.THANKS_FOR_HAVING), gap_ms=self._gap_between(), edits=False)
        self.say(guest, rng.choice(phrases.GLAD), gap_ms=self._gap_within())


CONDITION_EDITS = {
    "interjection": "the other speaker's remark over the end of a sentence ('Oh, really?'), left out of the transcript",
    "outtake": "a recording the transcript leaves out (real-voice episodes)",
}


class Telephone(ConditionScript):
    condition = "telephone"
    description = (
        "the guest calls in: 300-3400 Hz band-pass (zero-phase), resampled through 8 kHz with G.711 mu-law, "
        "10 dB under the host, the line's hiss (-55 dBFS, in band) while the call is open"
    )

    def setup(self) -> None:
        caller = self.replace(self.guests[0], gain_db=round(self.host.gain_db - 10, 1))
        self.builder.effects[caller.name] = effects.same_level(effects.telephone)
        seed = self.rng.randrange(2**32)

        def hiss(builder: ConditionBuilder, duration_ms: int) -> None:
            mine = [u for u in builder._utterances if u["speaker"] == caller.name]
            start, end = mine[0]["start_ms"] - 800, mine[-1]["end_ms"] + 600
            noise = effects.line_noise((end - start) * 16, -55.0, np.random.default_rng(seed))
            noise *= np.minimum(1, np.minimum(np.arange(len(noise)), np.arange(len(noise))[::-1]) / 1600)
            builder.sound("line noise", noise, start, over_speech=True)

        self.builder.before_mix.append(hiss)


class RemoteGuest(ConditionScript):
    condition = "remote"
    description = "the guest is remote and quiet: 20 dB under the host, in a room (synthetic RT60 0.35-0.45 s)"

    def setup(self) -> None:
        guest = self.replace(self.guests[0], gain_db=round(self.host.gain_db - 20, 1))
        rt60 = round(self.rng.uniform(0.35, 0.45), 2)
        drr = round(self.rng.uniform(0.0, 4.0), 1)
        ir = effects.room_impulse_response(rt60, drr, self.np_rng)
        self.builder.effects[guest.name] = effects.same_level(lambda clip: effects.reverberate(clip, ir))
        self.builder.extra_meta["room"] = {"rt60_s": rt60, "direct_to_reverberant_db": drr}


class MusicBed(ConditionScript):
    condition = "music"
    description = (
        "a producer's music bed (chords, bass, arpeggio, hi-hat) 12-16 dB under speech, from 3-5 s before the "
        "first word through the first exchange, and under one answer later"
    )
    MIN_SPEECH_UNDER_BED_MS = 35_000

    def intro(self) -> None:
        rng, host, b = self.rng, self.host, self.builder
        lead_ms = rng.randint(3000, 5000)
        for i, line in enumerate(phrases.INTRO):
            self.say(host, line, gap_ms=lead_ms if i == 0 else self._gap_within(), edits=i >= 2)
        if self.guest_count > 1:
            self.say(host, phrases.INTRO_SECOND_GUEST, gap_ms=self._gap_within(), edits=False)
        self.welcome()
        first_word = b._utterances[0]["start_ms"]
        while b.cursor_ms - first_word < self.MIN_SPEECH_UNDER_BED_MS:
            self.question(self.guests[0], follow_up=False)
            self.answer(self.guests[0])
        relative = round(rng.uniform(-16, -12), 1)
        level = effects.SPEECH_RMS_DBFS + self.host.gain_db + relative
        end = b.cursor_ms + rng.randint(1500, 2500)
        b.music_bed(effects.producer_bed(end, level, self.np_rng), 0)
        self.builder.extra_meta.setdefault("beds", []).append({"start_ms": 0, "end_ms": end, "relative_db": relative})
        b.music("sting", rng.randint(2500, 4000), gap_ms=rng.randint(300, 600))
        b.note("[music]")
        self.second_bed_at = round(rng.uniform(0.45, 0.6) * self.target_ms)

    def answer(self, guest: Speaker) -> None:
        b = self.builder
        if getattr(self, "second_bed_at", None) is None or b.cursor_ms < self.second_bed_at:
            super().answer(guest)
            return
        self.second_bed_at = None
        start = b.cursor_ms + 200
        super().answer(guest)
        end = b.cursor_ms + self.rng.randint(1000, 1800)
        relative = round(self.rng.uniform(-16, -12), 1)
        level = effects.SPEECH_RMS_DBFS + guest.gain_db + relative
        b.music_bed(effects.producer_bed(end - start, level, self.np_rng), start)
        self.builder.extra_meta.setdefault("beds", []).append(
            {"start_ms": start, "end_ms": end, "relative_db": relative}
        )


class Overlap(ConditionScript):
    condition = "overlap"
    description = (
        "the host's backchannels said over the guest's sentences (some kept in the transcript), interjections "
        "over the end of a sentence, laughter over speech, and laughter alone with a [laughs] note"
    )

    def setup(self) -> None:
        self.overlaps: list[str] = []

    def answer(self, guest: Speaker) -> None:
        """synth's answer, with something said or laughed over some of the guest's sentences."""
        rng, b = self.rng, self.builder
        sentences = rng.randint(3, 7)
        paragraph_left = rng.randint(3, 5)
        gap = self._gap_between()
        new_turn = False
        if rng.random() < 3 * LAUGH_RATE:  # the guest laughs before answering
            b.say(guest, phrases.LAUGH_NOTE, gap_ms=0)
            laugh = effects.laughter(self.np_rng, effects.SPEECH_RMS_DBFS + guest.gain_db - 2)
            b.sound("laughter", laugh, b.cursor_ms + gap, over_speech=False)
            gap = rng.randint(250, 400)
        for n in range(sentences):
            if n >= 2 and b.cursor_ms >= self.target_ms - CLOSING_RESERVE_MS:
                break
            if self.cut_at and b.cursor_ms >= self.cut_at[0]:  # as synth: a sentence said but cut
                self.cut_at.pop(0)
                if rng.random() < 0.5:
                    self.say(
                        guest, rng.choice(phrases.RESTARTS), gap_ms=gap, kind="cut", in_transcript=False, edits=False
                    )
                else:
                    self.say(
                        guest,
                        lambda: self.grammar.draw("answer", phrases.ANSWERS),
                        gap_ms=gap,
                        kind="cut",
                        in_transcript=False,
                    )
                gap = self._gap_within()
            paragraph_left -= 1
            new_paragraph = paragraph_left < 0
            if new_paragraph:
                paragraph_left = rng.randint(2, 4)
            self.say(
                guest,
                lambda: self.grammar.draw("answer", phrases.ANSWERS),
                gap_ms=gap,
                new_paragraph=new_paragraph,
                new_turn=new_turn,
            )
            new_turn = False
            gap = self._gap_within()
            if self.add_at and b.cursor_ms >= self.add_at[0]:  # as synth: a sentence nobody says
                self.add_at.pop(0)
                self.write_added(guest)
            if rng.random() < OVERLAP_RATE:
                new_turn = self.over(guest)
                gap = rng.randint(250, 500)
            elif n < sentences - 1 and rng.random() < BACKCHANNEL_RATE:
                kept = rng.random() < KEPT_BACKCHANNEL_RATE
                self.say(
                    self.host,
                    rng.choice(phrases.KEPT_BACKCHANNELS if kept else phrases.BACKCHANNELS),
                    gap_ms=rng.randint(200, 450),
                    kind="backchannel",
                    in_transcript=kept,
                    edits=False,
                )
                new_turn = kept
                gap = rng.randint(250, 500)

    def over(self, guest: Speaker) -> bool:
        """Something over the sentence just said; True if the transcript gave it a turn of its own."""
        rng, b = self.rng, self.builder
        words = [w for w in b._spoken if w["utterance"] == len(b._utterances) - 1]
        quiet_host = dataclasses.replace(self.host, gain_db=self.host.gain_db - 4)
        if not self.overlaps:  # every kind comes round, in an order drawn anew each time
            self.overlaps = ["backchannel", "backchannel", "interjection", "laughter"]
            rng.shuffle(self.overlaps)
        what = self.overlaps.pop()
        if what == "backchannel" and len(words) >= 5:  # a backchannel over the middle of the sentence
            at = words[rng.randint(2, len(words) - 3)]["start_ms"] + rng.randint(0, 120)
            kept = rng.random() < 0.4
            options = phrases.KEPT_BACKCHANNELS if kept else phrases.BACKCHANNELS
            self.say(
                quiet_host, rng.choice(options), gap_ms=0, at_ms=at, kind="backchannel", in_transcript=kept, edits=False
            )
            return kept
        if what != "laughter":  # an interjection over the last word
            at = words[-1]["start_ms"] + rng.randint(0, 200)
            kept = rng.random() < KEPT_INTERJECTION_RATE
            self.say(
                self.host,
                rng.choice(INTERJECTIONS),
                gap_ms=0,
                at_ms=at,
                kind="interjection",
                in_transcript=kept,
                edits=False,
            )
            return kept
        at = words[min(len(words) - 1, rng.randint(1, 3))]["start_ms"]  # the host laughs over the sentence
        laugh = effects.laughter(self.np_rng, effects.SPEECH_RMS_DBFS + self.host.gain_db - 4)
        b.sound("laughter", laugh, at, over_speech=True)
        return False


class Fast(ConditionScript):
    condition = "fast"
    description = "the guest talks fast: 1.35-1.5 times flite's rate (duration stretch 0.67-0.74)"

    def setup(self) -> None:
        rate = self.rng.uniform(1.35, 1.5)
        self.replace(self.guests[0], stretch=round(1 / rate, 2))


class ThreeSpeakers(ConditionScript):
    condition = "three"
    description = "a host and two guests from the first minute (flite voices)"

    def setup(self) -> None:
        self.add_second_guest()


ESPEAK_VOICES = (
    "espeak:en-gb-scotland+m3",
    "espeak:en-029+m2",
    "espeak:en-gb-x-rp+f3",
    "espeak:en-gb-x-gbclan+m1",
    "espeak:en-gb-x-gbcwmd+m4",
    "espeak:en-us-nyc+f2",
)


class Espeak(ConditionScript):
    condition = "espeak"
    description = (
        "three speakers and the announcer in espeak-ng's English accents (Scottish, Caribbean, Received "
        "Pronunciation, Lancaster, West Midlands, New York; four of them, drawn)"
    )

    def setup(self) -> None:
        self.add_second_guest()
        chosen = self.rng.sample(ESPEAK_VOICES, 4)
        for speaker, voice in zip([self.host, *self.guests, self.announcer], chosen):
            self.replace(speaker, voice=voice, stretch=round(self.rng.uniform(0.95, 1.05), 2))


class Festival(ConditionScript):
    condition = "festival"
    description = (
        "three speakers in festival's voices (cmu_us_slt_arctic_hts, kal_diphone, ked_diphone, order drawn) and "
        "flite's 8 kHz kal as the announcer"
    )

    def setup(self) -> None:
        self.add_second_guest()
        chosen = self.rng.sample(["festival:cmu_us_slt_arctic_hts", "festival:kal_diphone", "festival:ked_diphone"], 3)
        for speaker, voice in zip([self.host, *self.guests], chosen):
            self.replace(speaker, voice=voice)
        self.replace(self.announcer, voice="flite8k:kal", stretch=1.0)


# --- the producer's heavier edits ------------------------------------------------------------------------

INSERT_RATE = 0.45  # sentences synth edits given a word (now and then two) that nobody said
INSERT_PAIR_SHARE = 0.15  # of those: two adjacent words ("in the"), where the sentence has such a pair
DROP_RATE = 0.38  # sentences synth edits with a word said mid-sentence that the transcript drops
"""Per sentence that synth edits (about 7 in 10 of the sentences said and written: not the welcome, the thanks,
the sign-off) and the transcript keeps; some have no place for the edit (85% do for an insertion, 60% for a
dropped word, over the phrase bank). So about one sentence said and written in 3-4 has a word that nobody
said, and about one in 6 a word said that is not written."""
PRODUCER_EDITS = {
    "inserted": (
        "(transcript word kind) a word the producer wrote inside a spoken sentence that nobody said: an "
        "article or preposition the speaker left out ('went to store' written 'went to the store'), 'really', "
        "'very', 'just', 'also' or 'that' added, a name completed; never said"
    ),
    "dropped": (
        "said mid-sentence ('like', 'so', 'just', 'actually', 'kind of'), deleted from the transcript: "
        "transcript_index is null"
    ),
}

ARTICLES = ("the", "a", "an")
PREPOSITIONS = ("to", "of", "in", "for", "on", "at", "with", "from", "about")
LEFT_OUT = (*ARTICLES, *PREPOSITIONS, "that")  # said without it, written with it
PAIR_FIRST = (*PREPOSITIONS, "that")  # followed by an article: both left out ("a lot [of the] early work")
SUBJECTS = ("i", "we", "they", "you", "she", "people")
VERBS = (
    "thought", "started", "spent", "realized", "looked", "remember", "wrote", "think", "saw", "went", "tried",
    "told", "see", "get", "know", "love", "made", "had", "visited", "listened", "learn", "understand", "checked",
    "want", "wish", "need", "changed", "got", "found", "learned", "believe",
)  # fmt: skip
ADJECTIVES = (
    "simple", "hard", "different", "good", "important", "interesting", "exciting", "patient", "strange", "easy",
    "lucky", "common", "surprising", "expensive", "new", "crazy", "true", "small", "early",
)  # fmt: skip
INTENSIFIERS = ("very", "really", "so", "too", "more", "most", "the", "quite", "pretty", "much", "a", "an")
THAT_AFTER = ("think", "realized", "know", "say", "said", "tell", "wrote", "hoped", "agree", "believe")
NOT_AFTER_THAT = ("that", "about", "of", "so", "to", "when", "what", "why", "how", "if", "me", "you", "us", "them")
ADDED_ADVERBS = ("really", "just", "also")
COPULAS = ("is", "was", "are", "were", "be")
DROPPED = (  # word said and dropped, the word before it (any if None), the word after it
    ("like", None, (*ARTICLES, *ADJECTIVES)),
    ("so", COPULAS, ADJECTIVES),
    ("so", ("and", "but"), (*ARTICLES, *SUBJECTS)),
    ("just", SUBJECTS, VERBS),
    ("actually", (*SUBJECTS, *COPULAS), (*VERBS, *ADJECTIVES, *ARTICLES)),
    ("kind of", (*SUBJECTS, *COPULAS), (*VERBS, *ADJECTIVES)),
)
INSERT_WEIGHTS = {"left out": 4, "pair": 1, "adverb": 1, "very": 1, "that": 1, "name": 3}


def _word(piece: Piece) -> str | None:
    """The bare lower-case word of a piece said as written (letters only, punctuation after it allowed)."""
    if piece.kind is not None or piece.said != piece.written:
        return None
    bare, _suffix = split_punctuation(piece.said)
    return bare.casefold() if bare.isalpha() else None


def _open(piece: Piece) -> str | None:
    """_word, for a piece with no punctuation after it (nothing to move when a word goes in after it)."""
    return _word(piece) if split_punctuation(piece.said)[1] == "" else None


def insert_unsaid(sentence: list[Piece], rng: random.Random, full_names: list[str]) -> list[Piece]:
    """The sentence with one word (or two adjacent) written that nobody says, if it has a place for one.

    Every such word is inside the sentence: a spoken word, said and written as is with no punctuation
    between, before it, and a spoken word after it; none is next to another edit."""
    out = list(sentence)
    n = len(out)
    unsay = lambda i: Piece("", out[i].said, "inserted")  # noqa: E731
    add = lambda word: Piece("", word, "inserted")  # noqa: E731
    options: dict[str, list] = {k: [] for k in INSERT_WEIGHTS}  # kind -> (first index, count replaced, pieces)
    for i in range(1, n - 1):
        before, here, after = _open(out[i - 1]), _open(out[i]), _word(out[i + 1])
        if before and after and here in LEFT_OUT:
            options["left out"].append((i, 1, [unsay(i)]))
        if before and i + 2 < n and here in PAIR_FIRST and _open(out[i + 1]) in ARTICLES and _word(out[i + 2]):
            options["pair"].append((i, 2, [unsay(i), unsay(i + 1)]))
    for g in range(1, n):  # the gap before out[g]
        before, after = _open(out[g - 1]), _word(out[g])
        if not before or not after:
            continue
        if before in SUBJECTS and after in VERBS:
            options["adverb"].append((g, 0, [add(rng.choice(ADDED_ADVERBS))]))
        if after in ADJECTIVES and before not in INTENSIFIERS:
            options["very"].append((g, 0, [add("very")]))
        if before in THAT_AFTER and after not in NOT_AFTER_THAT:
            options["that"].append((g, 0, [add("that")]))
    for name in full_names:  # said "Maya", written "Maya Turner"
        first, last = name.split(" ", 1)
        for i in range(1, n - 1):
            if _open(out[i - 1]) == first.casefold() and _word(out[i]) == last.casefold() and _word(out[i + 1]):
                bare, suffix = split_punctuation(out[i].said)
                options["name"].append((i, 1, [Piece("", bare, "inserted", suffix)]))
    pair = rng.random() < INSERT_PAIR_SHARE
    kinds = [k for k in INSERT_WEIGHTS if options[k] and (k == "pair") == (pair and bool(options["pair"]))]
    if not kinds:
        return out
    kind = rng.choices(kinds, [INSERT_WEIGHTS[k] for k in kinds])[0]
    at, count, new = rng.choice(options[kind])
    return out[:at] + new + out[at + count :]


def drop_said(sentence: list[Piece], rng: random.Random) -> list[Piece]:
    """The sentence with a word said in it that the transcript leaves out, if it has a place for one: the
    word is drawn first (each as likely, of those with a place here), then its place."""
    spots: dict[str, list[int]] = {}  # word said -> gaps (before sentence[g]) where it may be said
    for g in range(1, len(sentence)):
        before, after = _open(sentence[g - 1]), _word(sentence[g])
        if not before or not after:
            continue
        for word, befores, afters in DROPPED:
            fits = (befores is None or before in befores) and after in afters and before not in INTENSIFIERS
            if fits and (after not in ARTICLES or g + 1 < len(sentence)):  # an article has its noun after it
                spots.setdefault(word, []).append(g)
    if not spots:
        return list(sentence)
    word = rng.choice(sorted(spots))
    g = rng.choice(spots[word])
    return [*sentence[:g], Piece(word, "", "dropped"), *sentence[g:]]


class ProducerGrammar(Grammar):
    """synth's grammar (the same draws from the script's generator), whose edits, while ``active``, go on
    with the producer's: a word written that nobody said, a word said that is not written. These draw from
    a generator of their own."""

    def __init__(self, base: Grammar, rng: random.Random, full_names: list[str]) -> None:
        super().__init__(base.rng, base.topic, base.names)
        self.producer_rng = rng
        self.full_names = full_names
        self.active = False

    def edit(self, sentence: list[Piece], *, fillers: float, repetitions: float, light_edits: float) -> list[Piece]:
        out = super().edit(sentence, fillers=fillers, repetitions=repetitions, light_edits=light_edits)
        if not self.active:
            return out
        rng = self.producer_rng
        if rng.random() < INSERT_RATE:
            out = insert_unsaid(out, rng, self.full_names)
        if rng.random() < DROP_RATE:
            out = drop_said(out, rng)
        return out


class ProducerEdits(ConditionScript):
    condition = "edits"
    description = (
        "synth's interview (its flite voices) with the producer's heavier edits in sentences said and written: "
        "in about one in 3-4 a word written that nobody said (now and then two adjacent, 'in the'): an article or "
        "preposition the speaker left out, 'really', 'very', 'just', 'also' or 'that' added, a name completed; in "
        "about one in 6 a word said mid-sentence ('like', 'so', 'just', 'actually', 'kind of') and not written"
    )
    edit_kinds = PRODUCER_EDITS

    def setup(self) -> None:
        rng = random.Random(f"conditions-edits:{self.params.seed}:{self.params.minutes:g}")
        full_names = [self.names[k] for k in ("host", "guest", "guest2")]
        self.grammar = ProducerGrammar(self.grammar, rng, full_names)

    def say(self, speaker: Speaker, template, *, gap_ms: int, edits: bool = True, **options) -> None:
        """synth's say; the producer edits only sentences that synth edits and the transcript keeps."""
        self.grammar.active = edits and options.get("in_transcript", True)
        try:
            super().say(speaker, template, gap_ms=gap_ms, edits=edits, **options)
        finally:
            self.grammar.active = False
