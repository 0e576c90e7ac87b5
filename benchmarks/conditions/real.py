"""Episodes built from real recorded human voices that packages ship, with truth by construction.

The recordings (each checked against its SHA-256, so an episode's bytes cannot change under it):

- Debian ``alsa-utils`` (GPL-2): /usr/share/sounds/alsa/Front_Center.wav and the seven other channel
  names, each two words said by one speaker ("Front center"), 48 kHz;
- Debian ``ktuberling-data`` (GPL-2+): /usr/share/ktuberling/sounds/en/*.ogg, one English word each ("ball",
  "camel", "satellite"), 44.1 kHz Vorbis; the five whose file name does not say the word for certain
  (palmtree, sphynx, fallingstar, moonwalker, ufo) are left out;
- PyPI ``pocketsphinx`` 5.1.1's source distribution (BSD-style licence; the LibriVox readings are in the
  public domain): test/data/librivox/*.wav, five sentences of Sense and Sensibility read by one LibriVox
  reader, with their transcripts; test/data/cards/*.wav ("ten of clubs"), test/data/goforward.raw ("go
  forward ten meters"). The sdist is fetched once with ``pip download`` into benchmarks/data/sources/.

Truth: each recording is decoded to 16 kHz, cut from a little before its speech to a little after (its own
background noise kept, as in any edit), set to the show's speech level and placed at a whole millisecond. Its
speech edges come from an energy threshold on the clean recording (:func:`speech_edges`), never from a
recognizer or an aligner: word start = placement + onset, word end = placement + offset. Inside a recording
of several words only its first word's start and its last word's end are known, and the truth leaves the
others null (score.py scores only what is known); a recording of two or three words whose energy falls into
as many islands, each more than ISLAND_GAP_MS apart ("Front ... center"), gets every word's edges.

What is said is written in the project's edited style: "mister" as "Mr.", "ill disposed" as
"ill-disposed", "ten" as "10", the reader's slip "a more a amiable" without the second "a"; a title, byline
and closing nobody says, a sentence the producer added, a retake left out of the transcript (an outtake),
and music at the start, between turns and at the end.
"""

from __future__ import annotations

import hashlib
import io
import random
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import signal
from synth import phrases
from synth.episode import Built, Header, Speaker
from synth.fixture import ROOT, make_episode
from synth.script import GENERATOR_VERSION, EpisodeParams

from conditions.builder import ConditionBuilder

SAMPLE_RATE_HZ = 16_000
SOURCES_DIR = ROOT / "benchmarks" / "data" / "sources"
POCKETSPHINX_SDIST = "pocketsphinx-5.1.1.tar.gz"
POCKETSPHINX_SHA256 = "675778b309a22dfc9b7d37f7621976bba491d2a5f8c59696bd77fd6d07271355"
ALSA_DIR = Path("/usr/share/sounds/alsa")
KTUBERLING_DIR = Path("/usr/share/ktuberling/sounds/en")

WINDOW_MS = 5  # energy window, sliding by one sample
FLOOR_MARGIN_DB = 10.0  # threshold: this far above the recording's noise floor ...
PEAK_RANGE_DB = 40.0  # ... and no lower than this far under its peak
CORE_DB = 25.0  # speech surely starts by the first window within this of the peak
ONSET_GAP_MS = 30  # below-threshold gaps bridged walking back from there (a click or smack further off is not speech)
OFFSET_GAP_MS = 150  # bridged walking forward from the last loud window (a final stop's closure before its release)
ISLAND_GAP_MS = 200  # words of a short recording apart by more than this are timed one by one
KEEP_MS = 250  # recording kept around the speech (its own room sound)


@dataclass(frozen=True)
class Recording:
    key: str  # speaker group: which voice
    package: str
    path: str  # inside the package (installed path, or member of the sdist)
    markup: str  # what it says, in make_episode's edit syntax, as the edited transcript writes it


def _alsa() -> list[Recording]:
    names = ("Front_Center", "Front_Left", "Front_Right", "Rear_Center", "Rear_Left", "Rear_Right", "Side_Left")
    names += ("Side_Right",)
    return [
        Recording("alsa", "alsa-utils", str(ALSA_DIR / f"{n}.wav"), n.replace("_", " ").capitalize() + ".")
        for n in names
    ]


KTUBERLING_WORDS = (  # file stem -> the word, as written
    ("ball", "Ball"), ("bow", "Bow"), ("coat", "Coat"), ("ear", "Ear"), ("earring", "Earring"),
    ("egypt_arch", "Arch"), ("egypt_birds", "Birds"), ("egypt_boy", "Boy"), ("egypt_bridge", "Bridge"),
    ("egypt_camel", "Camel"), ("egypt_cart", "Cart"), ("egypt_column", "Column"), ("egypt_donkey", "Donkey"),
    ("egypt_girl", "Girl"), ("egypt_grass", "Grass"), ("egypt_man", "Man"), ("egypt_oasis", "Oasis"),
    ("egypt_pyramid", "Pyramid"), ("egypt_road", "Road"), ("egypt_well", "Well"), ("egypt_woman", "Woman"),
    ("eye", "Eye"), ("eyebrow", "Eyebrow"), ("flower", "Flower"), ("hair", "Hair"), ("hat", "Hat"),
    ("moon_alien", "Alien"), ("moon_astronaut", "Astronaut"), ("moon_earth", "Earth"), ("moon_hotel", "Hotel"),
    ("moon_monster", "Monster"), ("moon_planet", "Planet"), ("moon_radar", "Radar"), ("moon_rocket", "Rocket"),
    ("moon_satellite", "Satellite"), ("moon_sign", "Sign"), ("moon_star", "Star"), ("moustache", "Moustache"),
    ("mouth", "Mouth"), ("nose", "Nose"), ("pizzeria_anchovy", "Anchovy"), ("pizzeria_bacon", "Bacon"),
    ("pizzeria_broccolli", "Broccoli"), ("pizzeria_cheese", "Cheese"), ("pizzeria_cucumber", "Cucumber"),
    ("pizzeria_mushroom", "Mushroom"), ("pizzeria_olive", "Olive"), ("pizzeria_onion", "Onion"),
    ("pizzeria_oregano", "Oregano"), ("pizzeria_pepper", "Pepper"), ("pizzeria_pepperoni", "Pepperoni"),
    ("pizzeria_pineapple", "Pineapple"), ("pizzeria_salami", "Salami"), ("pizzeria_tomato", "Tomato"),
    ("shoe", "Shoe"), ("shorts", "Shorts"), ("skirt", "Skirt"), ("spectacles", "Spectacles"), ("stick", "Stick"),
    ("sunglasses", "Sunglasses"), ("tie", "Tie"), ("tv_bicycle", "Bicycle"), ("tv_car", "Car"),
    ("tv_cyclist", "Cyclist"), ("tv_train", "Train"), ("tv_tree", "Tree"), ("umbrella", "Umbrella"),
)  # fmt: skip


def _ktuberling() -> list[Recording]:
    return [
        Recording("ktuberling", "ktuberling-data", str(KTUBERLING_DIR / f"{stem}.ogg"), f"{word}.")
        for stem, word in KTUBERLING_WORDS
    ]


_LIBRIVOX = "pocketsphinx-5.1.1/test/data/librivox/sense_and_sensibility_01_austen_64kb-{}.wav"
LIBRIVOX = (
    (
        "0870",
        "And {mister|Mr.|substitution} John Dashwood had then leisure to consider how much there might be "
        "prudently in his power to do for them.",
    ),
    ("0880", "He was not an {ill disposed|ill-disposed|hyphenated} young man."),
    (
        "0890",
        "Unless to be rather {cold hearted|cold-hearted|hyphenated} and rather selfish is to be "
        "{ill disposed|ill-disposed|hyphenated}.",
    ),
    (
        "0920",
        "Had he married a more {a||repetition} amiable woman, he might have been made still more respectable "
        "than he was.",
    ),
    ("0930", "He might even have been made amiable himself."),
)
CARDS = (
    ("001", "Ten of clubs."),
    ("002", "Four, queen of clubs."),
    ("003", "Seven of clubs."),
    ("004", "Five, five."),
    ("005", "Eight of spades, four of clubs, seven of hearts."),
)


def _pocketsphinx() -> list[Recording]:
    out = [Recording("librivox", "pocketsphinx 5.1.1 sdist", _LIBRIVOX.format(n), text) for n, text in LIBRIVOX]
    out += [
        Recording("cards", "pocketsphinx 5.1.1 sdist", f"pocketsphinx-5.1.1/test/data/cards/{n}.wav", text)
        for n, text in CARDS
    ]
    out.append(
        Recording(
            "goforward",
            "pocketsphinx 5.1.1 sdist",
            "pocketsphinx-5.1.1/test/data/goforward.raw",
            "Go forward {ten|10|numeral} meters.",
        )
    )
    return out


def all_recordings() -> list[Recording]:
    return _alsa() + _ktuberling() + _pocketsphinx()


# --- reading ------------------------------------------------------------------------------------------------


def pocketsphinx_sdist() -> Path:
    """The pocketsphinx sdist in benchmarks/data/sources/, fetched with pip the first time."""
    path = SOURCES_DIR / POCKETSPHINX_SDIST
    if not path.is_file():
        SOURCES_DIR.mkdir(parents=True, exist_ok=True)
        print(f"fetching {POCKETSPHINX_SDIST} (test recordings) with pip download ...", file=sys.stderr)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--no-binary",
                "pocketsphinx",
                "-d",
                str(SOURCES_DIR),
                "pocketsphinx==5.1.1",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != POCKETSPHINX_SHA256:
        raise RuntimeError(f"{path}: SHA-256 {digest}, expected {POCKETSPHINX_SHA256}")
    return path


def raw_bytes(recording: Recording) -> bytes:
    """The recording's file, as shipped."""
    if recording.package.startswith("pocketsphinx"):
        with tarfile.open(pocketsphinx_sdist()) as tar:
            member = tar.extractfile(recording.path)
            if member is None:
                raise RuntimeError(f"{recording.path} is not in {POCKETSPHINX_SDIST}")
            return member.read()
    path = Path(recording.path)
    if not path.is_file():
        raise RuntimeError(f"{path} is missing: apt-get install {recording.package}")
    return path.read_bytes()


def load(recording: Recording) -> np.ndarray:
    """The recording at 16 kHz mono, int16-scaled float (decoded as the aligner decodes: PyAV)."""
    data = raw_bytes(recording)
    if recording.path.endswith(".raw"):  # headerless 16 kHz 16-bit mono
        return np.frombuffer(data, dtype="<i2").astype(np.float64)
    import av

    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE_HZ)
    chunks = []
    with av.open(io.BytesIO(data)) as container:
        for frame in container.decode(audio=0):
            chunks += [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    chunks += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return np.concatenate(chunks).astype(np.float64)


def sources_digest() -> str:
    """SHA-256 over every recording's bytes (part of the condition episodes' cache key)."""
    digest = hashlib.sha256()
    for recording in all_recordings():
        digest.update(recording.path.encode() + b"\0" + hashlib.sha256(raw_bytes(recording)).digest())
    return digest.hexdigest()


# --- speech edges -------------------------------------------------------------------------------------------


def energy_db(x: np.ndarray) -> np.ndarray:
    """Level in dBFS of the WINDOW_MS window starting at each sample (80 Hz high-pass first: no hum, no DC)."""
    x = signal.sosfiltfilt(signal.butter(2, 80, "highpass", fs=SAMPLE_RATE_HZ, output="sos"), x)
    win = WINDOW_MS * SAMPLE_RATE_HZ // 1000
    c = np.concatenate([[0.0], np.cumsum(x * x)])
    return 10 * np.log10(np.maximum((c[win:] - c[:-win]) / win, 1e-12) / 32768**2)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.nonzero(d == 1)[0].tolist(), np.nonzero(d == -1)[0].tolist()))


@dataclass(frozen=True)
class Edges:
    onset_ms: float  # first speech, ms into the recording
    offset_ms: float  # last speech
    threshold_dbfs: float
    floor_dbfs: float
    peak_dbfs: float
    islands: tuple[tuple[float, float], ...]  # (onset, offset) ms of each stretch of speech ISLAND_GAP_MS apart


def speech_edges(x: np.ndarray, *, threshold_shift_db: float = 0.0) -> Edges:
    """Where speech starts and ends in a clean recording, by energy alone.

    The threshold is FLOOR_MARGIN_DB above the noise floor (the 10th percentile of 5 ms levels), but no
    lower than PEAK_RANGE_DB under the peak (99.5th percentile). Speech surely sounds by the first window within
    CORE_DB of the peak; the onset is the first window of the stretch above the threshold that leads to it,
    bridging gaps under ONSET_GAP_MS (so a click or a breath further off is not taken for speech); the offset
    is the last window above the threshold reached from the last loud window, bridging gaps under
    OFFSET_GAP_MS (a final stop's release after its closure is part of the word). Times are window centres.
    ``threshold_shift_db`` moves the threshold, to measure how much the edges depend on it (verify.py).
    """
    level = energy_db(x)
    half = WINDOW_MS / 2
    floor = max(float(np.percentile(level[:: SAMPLE_RATE_HZ // 200], 10)), -90.0)
    peak = float(np.percentile(level, 99.5))
    threshold = max(floor + FLOOR_MARGIN_DB, peak - PEAK_RANGE_DB) + threshold_shift_db
    runs = _runs(level >= threshold)
    loud = np.nonzero(level >= max(peak - CORE_DB, threshold))[0]
    per_ms = SAMPLE_RATE_HZ / 1000

    def bridged(gap_ms: float) -> list[list[int]]:
        merged: list[list[int]] = []
        for a, b in runs:
            if merged and a - merged[-1][1] < gap_ms * per_ms:
                merged[-1][1] = b
            else:
                merged.append([a, b])
        return merged

    first = next(r for r in bridged(ONSET_GAP_MS) if r[0] <= loud[0] < r[1])
    last = next(r for r in bridged(OFFSET_GAP_MS) if r[0] <= loud[-1] < r[1])
    islands = [
        (max(a, first[0]), min(b, last[1]))
        for a, b in bridged(ISLAND_GAP_MS)
        if b > first[0] and a < last[1] and np.max(level[a:b]) >= max(peak - CORE_DB, threshold)
    ]
    return Edges(
        onset_ms=first[0] / per_ms + half,
        offset_ms=(last[1] - 1) / per_ms + half,
        threshold_dbfs=threshold,
        floor_dbfs=floor,
        peak_dbfs=peak,
        islands=tuple((a / per_ms + half, (b - 1) / per_ms + half) for a, b in islands),
    )


# --- the episodes -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    recording: Recording
    clip: np.ndarray  # int16, cut and levelled
    onset_ms: float  # in the clip
    offset_ms: float
    word_edges: tuple[tuple[float, float], ...] | None  # per word, in the clip, where the islands tell them
    sha256: str


def prepare(recording: Recording, gain_db: float) -> Prepared:
    """Cut the recording to its speech plus KEEP_MS (10 ms fades at the cuts), at speech level + gain."""
    x = load(recording)
    edges = speech_edges(x)
    per_ms = SAMPLE_RATE_HZ // 1000
    start = max(0, int(edges.onset_ms - KEEP_MS)) * per_ms  # whole ms: the clip stays on the 16 kHz grid
    end = min(len(x), int(edges.offset_ms + KEEP_MS) * per_ms)
    clip = x[start:end].copy()
    fade = min(10 * per_ms, len(clip) // 4)
    clip[:fade] *= np.linspace(0, 1, fade)
    clip[len(clip) - fade :] *= np.linspace(1, 0, fade)
    onset, offset = edges.onset_ms - start / per_ms, edges.offset_ms - start / per_ms
    active = clip[round(onset * per_ms) : round(offset * per_ms)]
    gain = 10 ** ((make_episode.SPEECH_RMS_DBFS + gain_db - make_episode.rms_dbfs(active)) / 20)
    clip = np.round(np.clip(clip * gain, -32767, 32767)).astype(np.int16)
    said = make_episode.parse_turn(make_episode.Turn("", "", (recording.markup,), 0)).sentences[0].words
    word_edges = None
    if 1 < len(said) <= 3 and len(edges.islands) == len(said):
        word_edges = tuple((a - start / per_ms, b - start / per_ms) for a, b in edges.islands)
    return Prepared(recording, clip, onset, offset, word_edges, hashlib.sha256(raw_bytes(recording)).hexdigest())


class _RealScript:
    """A show of recordings: music, turns of recordings with pauses, an outtake, music, the closing."""

    def __init__(self, params: EpisodeParams, condition: str) -> None:
        self.rng = random.Random(f"conditions-real:{condition}:{params.seed}:{params.minutes:g}")
        self.params = params
        self.condition = condition
        styles = ("### {}", "**{}**", "### **{}**")
        style = self.rng.choice(styles)
        self.builder = ConditionBuilder(None, lambda name: style.format(name))  # type: ignore[arg-type]
        self.speakers: dict[str, Speaker] = {}
        names = self.rng.sample(
            [
                f"{f} {last}"
                for f in phrases.FIRST_NAMES["female"] + phrases.FIRST_NAMES["male"]
                for last in phrases.LAST_NAMES
            ],
            6,
        )
        for key, name in zip(("alsa", "librivox", "cards", "goforward", "ktuberling", "host"), names):
            self.speakers[key] = Speaker(name, f"recording:{key}", 1.0, round(self.rng.uniform(-2.0, 2.0), 1), "guest")
            self.builder.speakers[f"recording:{key}"] = self.speakers[key]
        self.prepared: dict[str, Prepared] = {}

    def clip(self, recording: Recording) -> Prepared:
        if recording.path not in self.prepared:
            self.prepared[recording.path] = prepare(recording, self.speakers[recording.key].gain_db)
        return self.prepared[recording.path]

    def place(self, recording: Recording, *, gap_ms: int, new_turn: bool = False, outtake: bool = False) -> None:
        p = self.clip(recording)
        speaker = self.speakers[recording.key]
        b = self.builder
        b.place_recording(
            speaker,
            recording.markup,
            p.clip,
            p.onset_ms,
            p.offset_ms,
            gap_ms=gap_ms,
            kind="outtake" if outtake else "speech",
            in_transcript=not outtake,
            new_turn=new_turn,
            source={
                "package": recording.package,
                "path": recording.path,
                "sha256": p.sha256[:16],
                "place_ms": b.cursor_ms + gap_ms - round(p.onset_ms),
            },
        )
        words = [w for w in b._spoken if w["utterance"] == len(b._utterances) - 1]
        if p.word_edges is not None:  # each word its own island of energy
            place_ms = words[0]["start_ms"] - round(p.onset_ms)
            for word, (a, z) in zip(words, p.word_edges):
                word["start_ms"], word["end_ms"] = place_ms + round(a), place_ms + round(z)
        if outtake:
            b.mark_region("outtake", words[0]["start_ms"], words[-1]["end_ms"])

    def added(self, key: str, text: str) -> None:
        """A sentence the producer wrote that nobody says."""
        self.builder.say(self.speakers[key], f"{{|{text}|added}}", gap_ms=0)

    def turn(
        self, recordings: list[Recording], *, gap_ms: tuple[int, int], first_gap_ms: int, new_turn: bool = True
    ) -> None:
        for i, recording in enumerate(recordings):
            gap = first_gap_ms if i == 0 else self.rng.randint(*gap_ms)
            self.place(recording, gap_ms=gap, new_turn=new_turn and i == 0)

    def music(self, kind: str, ms: tuple[int, int], gap: tuple[int, int]) -> None:
        self.builder.music(kind, self.rng.randint(*ms), gap_ms=self.rng.randint(*gap))
        self.builder.note("[music]")

    def finish(self, title: str, subtitle: str) -> Built:
        rng = self.rng
        header = Header(
            title=title,
            subtitle=subtitle,
            byline=f"{rng.randint(1, 28)} {rng.choice(phrases.MONTHS)} {rng.randint(2019, 2024)} | by "
            + self.speakers["host"].name.upper(),
            disclaimer=(
                "*This transcript has been lightly edited for clarity; it may contain errors due to the "
                "transcription process.*"
            ),
            closing='Subscribe to "[Voices](#)" to receive alerts every time a new episode is released.',
        )
        self.builder.extra_meta["condition"] = {"name": self.condition, "description": DESCRIPTIONS[self.condition]}
        self.builder.extra_meta["recordings"] = [
            {"package": p.recording.package, "path": p.recording.path, "sha256": p.sha256,
             "onset_ms": round(p.onset_ms, 2), "offset_ms": round(p.offset_ms, 2),
             "words_timed_one_by_one": p.word_edges is not None}
            for p in self.prepared.values()
        ]  # fmt: skip
        speakers = {s.name: s for s in self.speakers.values()}
        self.builder.speakers = {s.voice: s for s in speakers.values() if any(
            u["speaker"] == s.name for u in self.builder._utterances)}  # fmt: skip
        return self.builder.finish(
            header,
            trailing_ms=1200,
            noise_seed=rng.randrange(2**32),
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
                "timing_method_real": (
                    "real recordings: onset and offset of speech by an energy threshold on the clean recording "
                    "(benchmarks/conditions/real.py speech_edges); words inside a recording have null times "
                    "unless each is an island of energy of its own"
                ),
            },
        )


DESCRIPTIONS = {
    "real-sentences": (
        "real voices: ALSA's channel names (alsa-utils), five LibriVox sentences, the cards and go-forward "
        "recordings (pocketsphinx 5.1.1 sdist) and KTuberling words, with music, an outtake and an added line"
    ),
    "real-words": "real voices: KTuberling's English words (ktuberling-data) read as word lists, with music",
}


def build_sentences(params: EpisodeParams) -> Built:
    """Real voices, sentences and phrases: ALSA, LibriVox, cards, go-forward, and a few KTuberling words."""
    s = _RealScript(params, "real-sentences")
    rng = s.rng
    alsa, kt, ps = _alsa(), _ktuberling(), _pocketsphinx()
    rng.shuffle(alsa)
    librivox, cards, goforward = ps[:5], ps[5:10], ps[10]
    words = rng.sample(kt, 26)
    b = s.builder
    b.music("outro", rng.randint(8000, 10000), gap_ms=0, start_ms=0)  # the intro music: a pad
    b.note("[music]")
    s.turn(alsa[:4], gap_ms=(500, 900), first_gap_ms=rng.randint(400, 700))
    s.turn(librivox[:3], gap_ms=(500, 1100), first_gap_ms=rng.randint(900, 1600))
    s.turn(cards[:3], gap_ms=(600, 1000), first_gap_ms=rng.randint(900, 1600))
    s.music("sting", (2500, 3500), (400, 700))
    s.turn(alsa[4:6], gap_ms=(500, 900), first_gap_ms=rng.randint(600, 900))
    s.place(alsa[5], gap_ms=rng.randint(500, 800), outtake=True)  # a retake the transcript leaves out
    s.turn(alsa[6:], gap_ms=(500, 900), first_gap_ms=rng.randint(500, 800), new_turn=False)
    s.turn(librivox[3:], gap_ms=(500, 1100), first_gap_ms=rng.randint(900, 1600))
    s.added("librivox", "That reading was from the first chapter.")
    s.turn([goforward, *cards[3:]], gap_ms=(600, 1000), first_gap_ms=rng.randint(900, 1600))
    s.music("sting", (2500, 3500), (400, 700))
    s.turn(words, gap_ms=(600, 1200), first_gap_ms=rng.randint(600, 900))
    s.music("outro", (5000, 7000), (500, 900))
    return s.finish("Voices, part one", "Channel names, a chapter of Austen, some cards and a few words.")


def build_words(params: EpisodeParams) -> Built:
    """Real voices, single words: KTuberling's English words as word lists between music."""
    s = _RealScript(params, "real-words")
    rng = s.rng
    kt = _ktuberling()
    rng.shuffle(kt)
    b = s.builder
    b.music("outro", rng.randint(5000, 7000), gap_ms=0, start_ms=0)
    b.note("[music]")
    cut = sorted(rng.sample(range(8, len(kt) - 8), 3))
    groups = [kt[: cut[0]], kt[cut[0] : cut[1]], kt[cut[1] : cut[2]], kt[cut[2] :]]
    for i, group in enumerate(groups):
        if i:
            s.music("sting", (2000, 3000), (500, 800))
        s.turn(group[: len(group) // 2], gap_ms=(700, 1300), first_gap_ms=rng.randint(600, 900))
        if i == 1:
            s.place(group[len(group) // 2 - 1], gap_ms=rng.randint(600, 900), outtake=True)
        if i == 2:
            s.added("ktuberling", "Say each word after me.")
        s.turn(group[len(group) // 2 :], gap_ms=(700, 1300), first_gap_ms=rng.randint(1200, 2000))
    s.music("outro", (5000, 7000), (500, 900))
    return s.finish("Voices, part two", "Words for a picture book, one at a time.")
