"""On-disk cache of recognition results.

Recognition is nearly all of a run's time, and producers re-run after every
edit to the transcript, so the result is stored under a key made of the
audio's content hash, the model and the decoding options. Entries are written
atomically; an entry that cannot be read back is ignored (and recomputed).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

from aligner.types import AsrWord, Recognition, SpeechRegion

log = logging.getLogger(__name__)
_FORMAT = 1


def default_cache_dir() -> Path:
    """``$ALIGNER_CACHE_DIR``, else ``$XDG_CACHE_HOME/aligner``, else ``~/.cache/aligner``."""
    if env := os.environ.get("ALIGNER_CACHE_DIR"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "aligner"


def load(cache_dir: Path, key: str) -> Recognition | None:
    path = cache_dir / f"{key}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != _FORMAT:
            return None
        return Recognition(
            words=tuple(AsrWord(**w) for w in data["words"]),
            speech=tuple(SpeechRegion(**s) for s in data["speech"]),
            duration_ms=int(data["duration_ms"]),
            model=str(data["model"]),
            language=str(data["language"]),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("ignoring unreadable cache entry %s (%s); recognising again", path, exc)
        return None


def store(cache_dir: Path, key: str, recognition: Recognition) -> None:
    """Write the entry atomically; a cache that cannot be written is only a warning."""
    data = {"format": _FORMAT, **asdict(recognition)}
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=f".{key}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, cache_dir / f"{key}.json")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.warning("cannot write recognition cache in %s (%s)", cache_dir, exc)
