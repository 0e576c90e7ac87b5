"""Condition episodes: where the aligner fails, one condition per benchmark row (issue 12, item 7).

Each condition is an episode (or two) of 2-4 minutes with the exact time of every spoken word, built next to
the default benchmark episodes (benchmarks/synth, left as it is) and written in the same files and truth
schema, so score.py and run_benchmark.py read them alike:

==================  ==========================================================================================
telephone           the guest calls in: 300-3400 Hz, through 8 kHz and G.711 mu-law, -10 dB (scripts.py)
remote              a quiet remote guest: -20 dB, in a room with RT60 0.35-0.45 s
music               35 s or more of speech under a producer's music bed from before the first word, and more later
overlap             backchannels and interjections said over the other speaker; laughter over speech and alone
fast                the guest at 1.35-1.5 times the rate
three               three speakers from the first minute
espeak              espeak-ng's English accents (voices.py)
festival            festival's voices and flite's 8 kHz kal
edits               the producer's edits: a word written that nobody said (``inserted``) in about one sentence
                    in 3-4, a word said mid-sentence and not written (``dropped``) in about one in 6
real-sentences      real recorded voices: sentences and phrases that packages ship (real.py)
real-words          real recorded voices: single words
==================  ==========================================================================================

Usage from Python (benchmarks/ on sys.path)::

    from conditions import CONDITIONS, ensure_condition
    for condition in CONDITIONS:
        for episode in ensure_condition(condition):
            episode.mp3, episode.markdown, episode.load_truth()

Episodes are cached under benchmarks/data/conditions/<key>/, keyed by condition, seed, length and a digest
of everything that makes them (this package's code, synth's generator digest, the espeak-ng and festival
versions, and the real recordings' bytes). ``python benchmarks/conditions`` generates them and prints what
each holds; ``python benchmarks/conditions/verify.py`` checks their truth.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from synth import DATA_DIR, Episode, write_files
from synth.episode import Built
from synth.script import EpisodeParams, _code_only, generator_digest
from synth.voice import PhoneBook

CONDITIONS_VERSION = 1
HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Condition:
    name: str
    title: str  # the table row
    episodes: tuple[tuple[int, float], ...]  # (seed, minutes)
    build: Callable[[EpisodeParams, PhoneBook], Built]


def _script(cls_name: str) -> Callable[[EpisodeParams, PhoneBook], Built]:
    def build(params: EpisodeParams, book: PhoneBook) -> Built:
        from conditions import scripts

        return getattr(scripts, cls_name)(params, book).run()

    return build


def _real(fn_name: str) -> Callable[[EpisodeParams, PhoneBook], Built]:
    def build(params: EpisodeParams, book: PhoneBook) -> Built:
        from conditions import real

        return getattr(real, fn_name)(params)

    return build


CONDITIONS: tuple[Condition, ...] = (
    Condition("telephone", "telephone call-in (guest 300-3400 Hz, 8 kHz, -10 dB)", ((101, 3.0),), _script("Telephone")),
    Condition("remote", "quiet remote guest (-20 dB, RT60 0.4 s)", ((102, 3.0),), _script("RemoteGuest")),
    Condition("music", "speech under a music bed (-12 to -16 dB)", ((103, 3.0),), _script("MusicBed")),
    Condition("overlap", "overlapping backchannels, interjections, laughter", ((104, 3.0),), _script("Overlap")),
    Condition("fast", "fast guest (1.35-1.5x)", ((105, 3.0),), _script("Fast")),
    Condition("three", "three speakers", ((106, 3.0),), _script("ThreeSpeakers")),
    Condition("espeak", "espeak-ng accents", ((107, 3.0),), _script("Espeak")),
    Condition("festival", "festival voices, flite kal 8 kHz", ((108, 3.0),), _script("Festival")),
    Condition(
        "edits", "producer's edits: unsaid words inserted, said words dropped", ((109, 3.0),), _script("ProducerEdits")
    ),
    Condition("real-sentences", "real voices: sentences, phrases", ((201, 2.0),), _real("build_sentences")),
    Condition("real-words", "real voices: single words", ((202, 2.0),), _real("build_words")),
)
BY_NAME = {c.name: c for c in CONDITIONS}


@dataclass(frozen=True)
class ConditionParams:
    """What decides a condition episode; ``key`` names its cache folder (as EpisodeParams.key does)."""

    condition: str
    seed: int
    minutes: float

    @property
    def key(self) -> str:
        return f"{self.condition}-s{self.seed}-{self.minutes:g}min-{conditions_digest()}"


@functools.cache
def conditions_digest() -> str:
    """8 hex digits of SHA-256 over synth's generator digest, this package's code (syntax trees, without
    docstrings; not __main__.py or verify.py), the espeak-ng and festival versions and the real recordings."""
    from conditions import real, voices

    digest = hashlib.sha256(f"v{CONDITIONS_VERSION}:{generator_digest()}".encode())
    for path in sorted(p for p in HERE.glob("*.py") if p.name not in ("__main__.py", "verify.py")):
        digest.update(path.name.encode() + b"\0" + _code_only(path.read_text(encoding="utf-8")).encode())
    digest.update(voices.espeak_version().encode() + voices.festival_version().encode())
    digest.update(real.sources_digest().encode())
    return digest.hexdigest()[:8]


def ensure_condition(condition: Condition | str, data_dir: Path = DATA_DIR, *, log=None) -> list[Episode]:
    """The condition's episodes, generated now unless cached under ``data_dir``/conditions/."""
    if isinstance(condition, str):
        condition = BY_NAME[condition]
    out = []
    for seed, minutes in condition.episodes:
        params = ConditionParams(condition.name, seed, minutes)
        folder = data_dir / "conditions" / params.key
        episode = Episode(params, folder)  # type: ignore[arg-type]
        out.append(episode)
        if episode.truth_path.is_file():  # written last
            continue
        if log:
            log(f"generating condition episode {params.key}")
        book = PhoneBook(data_dir / "conditions" / "word_phones.json")  # not synth's store: kept apart
        built = condition.build(EpisodeParams(seed, minutes), book)
        book.save()
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{params.key}.", dir=folder.parent))
        try:
            write_files(tmp, built)
            if folder.exists():
                shutil.rmtree(folder)
            os.replace(tmp, folder)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp)
    return out
