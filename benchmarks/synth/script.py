"""The shape of an episode, drawn from a seed: who speaks, what they say, when the music and the ad come.

An episode runs: a music bed under the host's opening; a sting ([music] in the transcript); the guest's
welcome; questions and answers until the target length (a second guest joins episodes of 5 minutes or
more); an ad read halfway, which the transcript leaves out (read by the host or by an announcer's voice,
with a sting beside it); the thanks and sign-off; outro music. Along the way, at rates below: fillers and
repeated words said but not written, lightly edited words, numbers written as digits, backchannels from the
host ("yeah", "right", "mm-hmm") in the guest's pauses (most left out of the transcript, some kept as a
turn of their own), long pauses, [laughs] notes, sentences cut from the transcript (some of them false
starts: "Sorry, let me say that again."), and sentences a producer added that nobody says.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import random
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from synth import phrases
from synth.episode import Built, EpisodeBuilder, Header, Speaker
from synth.fixture import MAKE_EPISODE
from synth.grammar import Grammar, markup, said_text
from synth.voice import VOICES, PhoneBook, Unsayable

GENERATOR_VERSION = 1
"""Bump when the episodes' design changes; any edit to the generator's code changes the cache key anyway."""

FILLER_RATE = 0.15  # sentences with a filler
REPETITION_RATE = 0.06  # sentences with a repeated word
LIGHT_EDIT_RATE = 0.3  # candidate words (big, it's, ...) that are edited
BACKCHANNEL_RATE = 0.18  # guest sentence ends followed by the host's backchannel
KEPT_BACKCHANNEL_RATE = 0.25  # backchannels the transcript keeps as a turn
LONG_PAUSE_RATE = 0.05  # pauses between sentences of 1.5-3 s
LAUGH_RATE = 0.08  # answers that start with a [laughs] note
CLOSING_RESERVE_MS = 22_000  # the sign-off and outro take about this long
TRAILING_SILENCE_MS = 1200
MAX_TRIES = 12


@dataclass(frozen=True)
class EpisodeParams:
    seed: int
    minutes: float

    @property
    def key(self) -> str:
        """Cache folder name: seed, length, and a digest of everything that decides the episode's bytes."""
        return f"s{self.seed}-{self.minutes:g}min-{generator_digest()}"


def _code_only(source: str) -> str:
    """The source's syntax tree without docstrings: comments, layout and documentation don't count."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


@functools.cache
def generator_digest() -> str:
    """8 hex digits of SHA-256 over the generator's code (the syntax trees of this package's modules that
    shape an episode and of fixtures/make_episode.py, docstrings and comments left out), flite's version and
    GENERATOR_VERSION: a cached episode is reused only if nothing that made it has changed since."""
    here = Path(__file__).resolve().parent
    sources = sorted(p for p in here.glob("*.py") if p.name not in ("__main__.py", "verify.py"))
    digest = hashlib.sha256(f"v{GENERATOR_VERSION}".encode())
    for path in [*sources, MAKE_EPISODE]:
        digest.update(path.name.encode() + b"\0" + _code_only(path.read_text(encoding="utf-8")).encode())
    version = subprocess.run(["flite", "--version"], capture_output=True, text=True, check=False)  # exits 1
    digest.update(version.stdout.encode())
    return digest.hexdigest()[:8]


def build_episode(params: EpisodeParams, book: PhoneBook) -> Built:
    """Synthesize and assemble the episode for ``params`` (deterministic: same params, same result)."""
    return _Script(params, book).run()


class _Script:
    def __init__(self, params: EpisodeParams, book: PhoneBook) -> None:
        rng = random.Random(f"synth-episode:{params.seed}:{params.minutes:g}")
        self.rng = rng
        self.params = params
        self.target_ms = round(params.minutes * 60_000)
        topic = rng.choice(phrases.TOPICS)
        voices = list(VOICES)
        rng.shuffle(voices)
        female = rng.sample(phrases.FIRST_NAMES["female"], 3)
        male = rng.sample(phrases.FIRST_NAMES["male"], 3)
        firsts = [(female if v == "slt" else male).pop() for v in voices[:3]]
        lasts = rng.sample(phrases.LAST_NAMES, 3)
        people = [f"{f} {l}" for f, l in zip(firsts, lasts)]
        self.guest_count = 2 if params.minutes >= 5 else 1

        def speaker(name: str | None, voice: str, role: str) -> Speaker:
            return Speaker(name, voice, round(rng.uniform(1.0, 1.1), 2), round(rng.uniform(-2.0, 2.0), 1), role)

        self.host = speaker(people[0], voices[0], "host")
        self.guests = [speaker(people[1 + i], voices[1 + i], "guest") for i in range(self.guest_count)]
        self.announcer = speaker(None, voices[3], "announcer")
        brand, product, benefit = rng.choice(phrases.BRANDS)
        show = rng.choice(phrases.SHOWS)
        names = {
            "show": show,
            "host": self.host.name,
            "host_first": firsts[0],
            "guest": self.guests[0].name,
            "guest_first": firsts[1],
            "role": topic.role,
            "guest2": people[2],
            "guest2_first": firsts[2],
            "role2": rng.choice(
                (
                    f"a writer who has covered {topic.topic} for many years",
                    f"a teacher who runs a program on {topic.topic}",
                )
            ),
            "brand": brand,
            "product": product,
            "benefit": benefit,
            "site": f"{brand.lower()} dot com",
            "code": rng.choice(phrases.CODES),
        }
        self.names = names
        self.grammar = Grammar(rng, topic, names)
        styles = ("### {}", "**{}**", "### **{}**")
        primary = rng.choice(styles)
        self.builder = EpisodeBuilder(
            book, lambda name: (primary if rng.random() < 0.8 else rng.choice(styles)).format(name)
        )
        for s in (self.host, *self.guests, self.announcer):
            self.builder.speakers[s.voice] = s
        day = rng.randint(1, 28)
        month = rng.choice(phrases.MONTHS)
        year = rng.randint(2019, 2024)
        self.header = Header(
            title=f"{self.guests[0].name} on {topic.title}",
            subtitle=topic.subtitle,
            byline=f"{day} {month} {year} | by {self.host.name.upper()}",
            disclaimer=(
                "*This transcript has been lightly edited for clarity; it may contain errors due to the "
                "transcription process.*"
            ),
            closing=f'Subscribe to "[{show}](#)" to receive alerts every time a new episode is released.',
        )
        self.topic = topic
        cuts = max(1, round(params.minutes / 3))
        adds = max(1, round(params.minutes / 4))
        self.cut_at = sorted(round(rng.uniform(0.15, 0.85) * self.target_ms) for _ in range(cuts))
        self.add_at = sorted(round(rng.uniform(0.15, 0.85) * self.target_ms) for _ in range(adds))
        self.ad_at = round(rng.uniform(0.35, 0.6) * self.target_ms)
        self.second_guest_at = round(rng.uniform(0.25, 0.45) * self.target_ms)
        self.guests_in = 1

    # --- saying things -------------------------------------------------------------------------------

    def _gap_within(self) -> int:
        if self.rng.random() < LONG_PAUSE_RATE:
            return self.rng.randint(1500, 3000)
        return self.rng.randint(250, 650)

    def _gap_between(self) -> int:
        return self.rng.randint(400, 1100)

    def say(
        self,
        speaker: Speaker,
        template: str | Callable[[], str],
        *,
        gap_ms: int,
        edits: bool = True,
        **options,
    ) -> None:
        """Fill, edit and say a sentence; if flite cannot time it, draw again (a callable draws a new template)."""
        for _ in range(MAX_TRIES):
            text = template() if callable(template) else template
            sentence = self.grammar.fill(text)
            if edits:
                sentence = self.grammar.edit(
                    sentence, fillers=FILLER_RATE, repetitions=REPETITION_RATE, light_edits=LIGHT_EDIT_RATE
                )
            try:
                self.builder.say(speaker, markup(sentence), gap_ms=gap_ms, **options)
                return
            except Unsayable:
                continue
        raise RuntimeError(f"flite could not time any version of {text!r} ({said_text(sentence)!r})")

    def write_added(self, speaker: Speaker) -> None:
        """A sentence in the transcript that nobody says (a producer's addition)."""
        sentence = self.grammar.fill(self.grammar.draw("added", phrases.ADDED))
        written = " ".join(p.written + p.suffix for p in sentence if p.written)
        self.builder.say(speaker, f"{{|{written}|added}}", gap_ms=0)

    # --- the episode -----------------------------------------------------------------------------------

    def run(self) -> Built:
        rng, host, b = self.rng, self.host, self.builder
        lead_ms = rng.randint(1500, 3000)
        for i, line in enumerate(phrases.INTRO):
            self.say(host, line, gap_ms=lead_ms if i == 0 else self._gap_within(), edits=i >= 2)
        if self.guest_count > 1:
            self.say(host, phrases.INTRO_SECOND_GUEST, gap_ms=self._gap_within(), edits=False)
        b.bed(b.cursor_ms + rng.randint(600, 1200))
        b.music("sting", rng.randint(2500, 4000), gap_ms=rng.randint(300, 600))
        b.note("[music]")

        guest = self.guests[0]
        self.say(host, rng.choice(phrases.WELCOME), gap_ms=rng.randint(500, 900), edits=False)
        self.say(guest, rng.choice(phrases.THANKS_FOR_HAVING), gap_ms=self._gap_between(), edits=False)
        self.say(guest, rng.choice(phrases.GLAD), gap_ms=self._gap_within())

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
                    "name": "benchmarks/synth",
                    "version": GENERATOR_VERSION,
                    "seed": self.params.seed,
                    "minutes": float(self.params.minutes),  # 2 and 2.0 make the same episode
                },
                "audio": {"wav": "episode.wav", "mp3": "episode.mp3"},
                "transcript": "episode.md",
                "show": self.names["show"],
                "topic": self.topic.topic,
                "edits": EDITS,
            },
        )

    def question(self, guest: Speaker, *, follow_up: bool) -> None:
        host, rng = self.host, self.rng
        gap = self._gap_between()
        if follow_up:
            self.say(host, lambda: self.grammar.draw("follow", phrases.FOLLOW_UPS), gap_ms=gap)
            gap = self._gap_within()
        if self.guests_in > 1 and rng.random() < 0.3:
            first = "guest_first" if guest is self.guests[0] else "guest2_first"
            self.say(host, rng.choice(phrases.TO_GUEST).replace("<guest_first>", f"<{first}>"), gap_ms=gap, edits=False)
            return
        self.say(host, lambda: self.grammar.draw("question", phrases.QUESTIONS), gap_ms=gap)

    def answer(self, guest: Speaker) -> None:
        rng, b = self.rng, self.builder
        sentences = rng.randint(3, 7)
        paragraph_left = rng.randint(3, 5)
        gap = self._gap_between()
        new_turn = False
        if rng.random() < LAUGH_RATE:
            b.say(guest, phrases.LAUGH_NOTE, gap_ms=0)  # written only: a note, no speech
        for n in range(sentences):
            if n >= 2 and b.cursor_ms >= self.target_ms - CLOSING_RESERVE_MS:
                break
            if self.cut_at and b.cursor_ms >= self.cut_at[0]:
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
            if self.add_at and b.cursor_ms >= self.add_at[0]:
                self.add_at.pop(0)
                self.write_added(guest)
            if n < sentences - 1 and rng.random() < BACKCHANNEL_RATE:
                kept = rng.random() < KEPT_BACKCHANNEL_RATE
                options = phrases.KEPT_BACKCHANNELS if kept else phrases.BACKCHANNELS
                self.say(
                    self.host,
                    rng.choice(options),
                    gap_ms=rng.randint(200, 450),
                    kind="backchannel",
                    in_transcript=kept,
                    edits=False,
                )
                new_turn = kept
                gap = rng.randint(250, 500)

    def ad_break(self) -> None:
        rng, host, b = self.rng, self.host, self.builder
        self.say(host, rng.choice(phrases.BREAK), gap_ms=self._gap_between(), edits=False)
        reader = host if rng.random() < 0.5 else self.announcer
        sting_before = rng.random() < 0.5
        if sting_before:
            b.music("sting", rng.randint(2000, 3000), gap_ms=rng.randint(300, 600))
            b.note("[music]")
        lines = list(phrases.AD)
        count = min(len(lines), max(3, round(self.params.minutes)) + rng.randint(0, 1))  # short episodes, short ads
        for i, line in enumerate(lines[:count]):
            self.say(
                reader,
                line,
                gap_ms=rng.randint(500, 900) if i == 0 else rng.randint(250, 500),
                kind="ad",
                in_transcript=False,
                edits=False,
            )
        if not sting_before:
            b.music("sting", rng.randint(2000, 3000), gap_ms=rng.randint(400, 700))
            b.note("[music]")
        self.say(host, rng.choice(phrases.BACK), gap_ms=rng.randint(500, 900), edits=False, new_paragraph=True)
        self.say(host, phrases.BACK_WITH, gap_ms=self._gap_within(), edits=False)

    def second_guest_joins(self) -> None:
        host, guest2 = self.host, self.guests[1]
        self.say(host, phrases.SECOND_GUEST_IN[0], gap_ms=self._gap_between(), edits=False)
        self.say(host, phrases.SECOND_GUEST_IN[1], gap_ms=self._gap_within(), edits=False)
        for i, line in enumerate(phrases.SECOND_GUEST_HELLO):
            self.say(guest2, line, gap_ms=self._gap_between() if i == 0 else self._gap_within(), edits=False)
        self.guests_in = 2
        self.answer(guest2)

    def closing(self) -> None:
        rng, host, b = self.rng, self.host, self.builder
        self.say(host, rng.choice(phrases.CLOSING_HOST), gap_ms=self._gap_between(), edits=False)
        for i, guest in enumerate(self.guests[: self.guests_in]):
            line = rng.choice(phrases.THANK_GUEST)
            if i:
                line = line.replace("<guest_first>", "<guest2_first>")
            self.say(host, line, gap_ms=self._gap_within(), edits=False)
            for j, thanks in enumerate(rng.sample(phrases.THANK_HOST, 2)):
                self.say(guest, thanks, gap_ms=self._gap_between() if j == 0 else self._gap_within(), edits=False)
        for i, line in enumerate(phrases.SIGN_OFF):
            self.say(host, line, gap_ms=self._gap_between() if i == 0 else self._gap_within(), edits=False)
        b.music("outro", rng.randint(4000, 6000), gap_ms=rng.randint(400, 800))
        b.note("[music]")


EDITS = {
    "filler": "said ('um', 'you know'), not in the transcript: transcript_index is null",
    "repetition": "the first of a repeated word ('the the'), not in the transcript: transcript_index is null",
    "substitution": "a word lightly edited: said 'big', written 'large'",
    "contraction": "said 'it is', written \"it's\"; both words share its transcript_index",
    "numeral": "several said words written as one numeral ('forty percent' -> '40%'); all share its index",
    "hyphenated": "two said words written as one hyphenated word ('hand drawn' -> 'hand-drawn')",
    "added": "(transcript word kind) a sentence the producer added to the transcript; never said",
    "cut": "a sentence said but cut from the transcript (some are false starts)",
    "backchannel": "the other speaker's 'yeah', 'right', 'mm-hmm' in a pause, left out of the transcript",
    "ad": "the ad read, left out of the transcript (see 'ads')",
}
