"""Synthetic podcast episodes with the exact time of every spoken word: the benchmark's ground truth.

Usage from Python (with benchmarks/ on sys.path, as the benchmark scripts have it)::

    from synth import EpisodeParams, ensure_episode
    episode = ensure_episode(EpisodeParams(seed=1, minutes=5))
    episode.mp3, episode.wav, episode.markdown, episode.truth_path, episode.load_truth()

Episodes are cached under benchmarks/data/episodes/<key>/ (git-ignored), keyed by seed, length and a
digest of the generator's code (script.generator_digest), so a second call returns at once. From the
command line:
``python benchmarks/synth --seed 1 --minutes 2 3 5 8`` (see __main__.py).

The pieces: script.py (what happens in the episode, from the seed), grammar.py and phrases.py (the words),
voice.py (flite speech with per-word times, via fixtures/make_episode.py), episode.py (the timeline, the
transcript and the truth), this module (files and cache), verify.py (evidence that the truth is right).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from synth.episode import Built
from synth.fixture import ROOT, make_episode
from synth.script import GENERATOR_VERSION, EpisodeParams, build_episode
from synth.voice import SAMPLE_RATE_HZ, PhoneBook

__all__ = ["DATA_DIR", "GENERATOR_VERSION", "Episode", "EpisodeParams", "ensure_episode"]

DATA_DIR = ROOT / "benchmarks" / "data"
MP3_BIT_RATE = 48_000


@dataclass(frozen=True)
class Episode:
    """A generated episode's files."""

    params: EpisodeParams
    folder: Path

    @property
    def wav(self) -> Path:
        return self.folder / "episode.wav"

    @property
    def mp3(self) -> Path:
        return self.folder / "episode.mp3"

    @property
    def markdown(self) -> Path:
        return self.folder / "episode.md"

    @property
    def truth_path(self) -> Path:
        return self.folder / "truth.json"

    def load_truth(self) -> dict:
        return json.loads(self.truth_path.read_text(encoding="utf-8"))


def ensure_episode(params: EpisodeParams, data_dir: Path = DATA_DIR, *, log=None) -> Episode:
    """The episode for ``params``, generated now unless already cached in ``data_dir``.

    ``log`` (a callable taking a string), when given, hears what is being generated.
    """
    folder = data_dir / "episodes" / params.key
    episode = Episode(params, folder)
    if episode.truth_path.is_file():  # written last: its presence means the folder is complete
        return episode
    if log:
        log(f"generating episode {params.key} (flite; takes about {params.minutes * 8:.0f} s on an idle core)")
    book = PhoneBook(data_dir / "word_phones.json")
    built = build_episode(params, book)
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
    return episode


def write_files(folder: Path, built: Built) -> None:
    """Write episode.wav, episode.mp3 (checked to decode sample-aligned), episode.md and truth.json (last)."""
    make_episode.write_wav(folder / "episode.wav", built.mixed, SAMPLE_RATE_HZ, 1)
    mp3 = folder / "episode.mp3"
    make_episode.encode(
        mp3,
        built.mixed,
        SAMPLE_RATE_HZ,
        codec="libmp3lame",
        layout="mono",
        out_rate_hz=SAMPLE_RATE_HZ,
        bit_rate=MP3_BIT_RATE,
    )
    lag = decode_lag(built.mixed / 32768.0, make_episode.decode(mp3))
    if lag != 0:
        raise RuntimeError(f"{mp3} decodes {lag} samples late: truth times would be off")
    (folder / "episode.md").write_text(built.markdown, encoding="utf-8")
    truth = dict(built.truth)
    truth["checks"] = {"mp3_lag_samples": lag, **{k: round(v, 1) for k, v in built.silence.items()}}
    text = json.dumps(truth, indent=1, ensure_ascii=False, allow_nan=False)
    (folder / "truth.json").write_text(text + "\n", encoding="utf-8")


def decode_lag(reference: np.ndarray, decoded: np.ndarray, max_lag: int = 4000) -> int:
    """Samples by which ``decoded`` lags ``reference``: make_episode.alignment_lag's answer (cross-correlation
    over the first 20 s, lags within +-max_lag), computed by FFT, which is ~1000x faster."""
    n = min(20 * SAMPLE_RATE_HZ, len(reference))
    ref = reference[:n].astype(np.float64)
    dec = np.zeros(n + 2 * max_lag)
    part = decoded[: n + max_lag].astype(np.float64)
    dec[max_lag : max_lag + len(part)] = part
    size = 1 << int(np.ceil(np.log2(len(dec) + n)))
    corr = np.fft.irfft(np.fft.rfft(dec, size) * np.conj(np.fft.rfft(ref, size)), size)
    scores = corr[: 2 * max_lag + 1]  # scores[k] = dot(ref, dec[k : k + n]), lag k - max_lag
    return int(np.argmax(scores)) - max_lag
