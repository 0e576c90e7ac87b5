"""On-disk storage of recognitions, partial recognitions and refinements.

Recognition is nearly all of a run's time, and producers re-run after every
edit to the transcript, so results are stored under keys that the stages
make (:func:`aligner.recognize.cache_key`, :func:`aligner.refine.refinement_key`);
when to look them up and store them is :mod:`aligner.listen`'s policy. This
module only stores: entries are written atomically, and an entry that cannot
be read back is ignored (and recomputed).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TypeVar

from aligner.atomic import WriteFailed, write_all
from aligner.types import SAMPLE_RATE, AsrWord, PartialRecognition, Recognition, Refinement, SpeechRegion, TimingMethod

log = logging.getLogger(__name__)
_FORMAT = 1
T = TypeVar("T")


def default_cache_dir() -> Path:
    """``$ALIGNER_CACHE_DIR``, else ``$XDG_CACHE_HOME/aligner``, else ``~/.cache/aligner``."""
    if env := os.environ.get("ALIGNER_CACHE_DIR"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "aligner"


def load(cache_dir: Path, key: str) -> Recognition | None:
    def parse(data: object) -> Recognition | None:
        if isinstance(data, dict) and data.get("format") != _FORMAT:
            return None  # written by another version: recompute quietly
        return _parse_entry(data)

    return _read(cache_dir / f"{key}.json", parse, "recognising again")


def _read(path: Path, parse: Callable[[object], T | None], then: str) -> T | None:
    """Read one entry and parse it: None when missing, and a warning too when damaged.

    ``parse`` raises ValueError, KeyError or TypeError for an entry that is
    not what this module writes; ``then`` says in the warning what happens
    instead ("recognising again").
    """
    try:
        return parse(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        log.warning("ignoring unreadable cache entry %s (%s); %s", path, reason, then)
        return None


def _partial_name(key: str, window_ms: int) -> str:
    # The window is in the name: cuts fall at different places with another window length.
    return f"partial-{key}-{window_ms}"


def load_partial(cache_dir: Path, key: str, window_ms: int) -> PartialRecognition | None:
    """What an interrupted recognition of ``key`` in windows of ``window_ms`` finished, or None."""

    def parse(data: object) -> PartialRecognition | None:
        if not isinstance(data, dict) or data.get("format") != _FORMAT or data.get("kind") != "partial":
            return None
        done = data["done_samples"]
        if data["window_ms"] != window_ms or not _is_int(done) or done <= 0:
            raise ValueError("bad window or position")
        parsed = _parse_entry({**data, "duration_ms": done * 1000 // SAMPLE_RATE})
        return PartialRecognition(window_ms=window_ms, done_samples=done, words=parsed.words, speech=parsed.speech)

    return _read(cache_dir / f"{_partial_name(key, window_ms)}.json", parse, "recognising from the start")


def store_partial(cache_dir: Path, key: str, partial: PartialRecognition) -> None:
    """Record the windows recognised so far (atomically, as every entry), for a run that is interrupted."""
    data = {"format": _FORMAT, "kind": "partial", "model": "", "language": "", **asdict(partial)}
    _write(cache_dir, _partial_name(key, partial.window_ms), data, "partial recognition")


def discard_partial(cache_dir: Path, key: str, window_ms: int) -> None:
    """Remove the partial entry once the whole recognition is stored; a failure only leaves a stale file."""
    try:
        (cache_dir / f"{_partial_name(key, window_ms)}.json").unlink(missing_ok=True)
    except OSError as exc:
        log.debug("cannot remove partial recognition %s: %s", key, exc)


def _parse_entry(data: object) -> Recognition:
    """Check an entry's shape and values before trusting it.

    A truncated or hand-edited entry that still parses as JSON must not
    reach the aligner: wrong types or times outside the audio would surface
    later as a crash or as captions at impossible times.

    Raises:
        ValueError: the entry is not a recognition this module wrote.
    """
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    duration = data["duration_ms"]
    if not _is_int(duration) or duration < 0:
        raise ValueError("bad duration_ms")
    if not isinstance(data["model"], str) or not isinstance(data["language"], str):
        raise ValueError("bad model or language")
    words = []
    for w in data["words"]:
        text, start, end, probability = w["text"], w["start_ms"], w["end_ms"], w["probability"]
        if type(text) is not str or type(probability) not in (float, int):
            raise ValueError("bad word")
        _check_span(start, end, duration)
        words.append(AsrWord(text, start, end, probability))
    speech = []
    for s in data["speech"]:
        region = SpeechRegion(start_ms=s["start_ms"], end_ms=s["end_ms"])
        _check_span(region.start_ms, region.end_ms, duration)
        speech.append(region)
    return Recognition(
        words=tuple(words), speech=tuple(speech), duration_ms=duration, model=data["model"], language=data["language"]
    )


def _is_int(value: object) -> bool:
    return type(value) is int  # not a bool, not a float


def _check_span(start: object, end: object, duration: int) -> None:
    # runs for every word of an entry: type() is, inline, keeps a 3-hour entry's check at a few tens of ms
    if not (type(start) is int and type(end) is int and 0 <= start <= end <= duration):
        raise ValueError(f"time span {start!r}-{end!r} outside 0-{duration} ms")


def store(cache_dir: Path, key: str, recognition: Recognition) -> None:
    """Write the entry atomically; a cache that cannot be written is only a warning."""
    _write(cache_dir, key, {"format": _FORMAT, **asdict(recognition)}, "recognition")


def load_refinement(cache_dir: Path, key: str, words: Sequence[AsrWord], duration_ms: int) -> Refinement | None:
    """The stored refinement of exactly ``words`` (see :mod:`aligner.refine`), or None.

    Refinement takes seconds per minute of audio and does not depend on the
    transcript, so a re-run after a transcript edit reuses it. The key must
    cover the words refined (see :func:`aligner.refine.refinement_key`); the
    entry is checked against them anyway and ignored if it does not fit.
    """

    def parse(data: object) -> Refinement | None:
        if not isinstance(data, dict) or data.get("format") != _FORMAT or data.get("kind") != "refinement":
            return None
        spans, methods = data["spans"], [_METHODS[m] for m in data["methods"]]
        if len(spans) != len(words) or len(methods) != len(words):
            raise ValueError("entry does not fit the recognized words")
        for start, end in spans:
            _check_span(start, end, duration_ms)
        refined = tuple(AsrWord(w.text, s, e, w.probability) for w, (s, e) in zip(words, spans))
        return Refinement(words=refined, methods=tuple(methods))

    return _read(cache_dir / f"{key}.json", parse, "refining again")


_METHODS = {method.value: method for method in TimingMethod}
"""Stored method names (an unknown one is a KeyError: the entry is ignored)."""


def store_refinement(cache_dir: Path, key: str, refinement: Refinement) -> None:
    """Write a refinement entry atomically; a cache that cannot be written is only a warning."""
    data = {
        "format": _FORMAT,
        "kind": "refinement",
        "spans": [[w.start_ms, w.end_ms] for w in refinement.words],
        "methods": [m.value for m in refinement.methods],
    }
    _write(cache_dir, key, data, "refinement")


def _write(cache_dir: Path, key: str, data: dict[str, object], what: str) -> None:
    """Write ``data`` as ``key``.json atomically (see :mod:`aligner.atomic`); failure only warns."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        write_all([cache_dir / f"{key}.json"], [json.dumps(data).encode("utf-8")], sync_folder=False)
    except (OSError, WriteFailed) as exc:
        log.warning("cannot write %s cache in %s (%s)", what, cache_dir, exc)
