"""Decode any audio container to 16 kHz mono float32 through PyAV.

PyAV is the decoder faster-whisper itself uses, so no system ffmpeg is
needed. Decoding happens once per run; the samples feed voice activity
detection and recognition, and the file's content hash keys the recognition
cache (so a renamed or re-copied file still hits the cache).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aligner.errors import AudioError
from aligner.types import SAMPLE_RATE, Audio

if TYPE_CHECKING:
    import numpy as np

_HASH_BLOCK = 1 << 20


def file_sha256(path: Path) -> str:
    """Hash the file's bytes; the cache key must change when the audio does."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(_HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _check_file(path: Path) -> None:
    if not path.exists():
        raise AudioError(str(path), "no such file")
    if path.is_dir():
        raise AudioError(str(path), "is a directory, not an audio file")
    if not os.access(path, os.R_OK):
        raise AudioError(str(path), "cannot be read (permission denied)")
    if path.stat().st_size == 0:
        raise AudioError(str(path), "is empty (0 bytes)")


def _decoded_frames(path: Path) -> Iterator[np.ndarray]:
    """Decode the first audio stream as mono 16 kHz int16 arrays, frame by frame.

    The resampler restamps frames itself (some files carry bad pts), so the
    output is sample-exact and contiguous: a sample's time is its index
    divided by the rate, in every pass over the file.
    """
    import av  # here, not at the top: a re-run with everything cached never decodes (0.1 s saved)

    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioError(str(path), "has no audio stream")
            stream = container.streams.audio[0]
            for frame in container.decode(stream):
                frame.pts = None
                for out in resampler.resample(frame):
                    yield out.to_ndarray().reshape(-1)
            for out in resampler.resample(None):
                yield out.to_ndarray().reshape(-1)
    except AudioError:
        raise
    except (av.error.FFmpegError, ValueError, IndexError, OSError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise AudioError(str(path), f"cannot be decoded as audio ({reason})") from None


def stream_audio(path: str | os.PathLike[str], *, block_samples: int = SAMPLE_RATE * 30) -> Iterator[np.ndarray]:
    """Decode a file as consecutive float32 blocks of ``block_samples`` (the last may be shorter).

    Memory holds one block at a time, so a 3-hour episode costs what 30 s
    does. Checks the file first, like :func:`load_audio`.

    Raises:
        AudioError: missing, unreadable, empty or undecodable file.
    """
    import numpy as np  # here, not at the top: a fully cached re-run never decodes (0.17 s saved)

    file_path = Path(path)
    _check_file(file_path)
    pending: list[np.ndarray] = []
    count = 0
    for frame in _decoded_frames(file_path):
        pending.append(frame)
        count += len(frame)
        while count >= block_samples:
            joined = np.concatenate(pending)
            yield joined[:block_samples].astype(np.float32) / 32768.0
            rest = joined[block_samples:]
            pending, count = ([rest] if len(rest) else []), len(rest)
    if count:
        yield np.concatenate(pending).astype(np.float32) / 32768.0


def iter_windows(blocks: Iterable[np.ndarray], *, window_ms: int, overlap_ms: int) -> Iterator[tuple[int, np.ndarray]]:
    """Overlapping windows over a block stream: (offset in ms, samples).

    Each window is ``window_ms`` long (the last may be shorter) and starts
    ``window_ms - overlap_ms`` after the previous one, so anything shorter
    than the overlap lies wholly inside some window. Offsets are exact:
    windows start on whole milliseconds.
    """
    import numpy as np

    if not 0 <= overlap_ms < window_ms:
        raise ValueError("overlap must be shorter than the window")
    size = window_ms * SAMPLE_RATE // 1000
    step = (window_ms - overlap_ms) * SAMPLE_RATE // 1000
    buffer = np.zeros(0, dtype=np.float32)
    offset = 0  # samples
    exhausted = False
    iterator = iter(blocks)
    while True:
        while len(buffer) < size and not exhausted:
            block = next(iterator, None)
            if block is None:
                exhausted = True
            else:
                buffer = np.concatenate([buffer, block])
        if len(buffer) == 0:
            return
        yield offset * 1000 // SAMPLE_RATE, buffer[:size]
        if exhausted and len(buffer) <= size:
            return
        buffer = buffer[step:]
        offset += step


def probe_duration_ms(path: str | os.PathLike[str]) -> int | None:
    """The container's own idea of the duration, for progress only (may be off or absent)."""
    import av

    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if container.duration:
                return int(container.duration // 1000)
    except (av.error.FFmpegError, OSError, ValueError):
        return None
    return None


@dataclass(frozen=True, slots=True)
class AudioFile:
    """An audio file checked and hashed but not decoded: decoding streams later."""

    path: str
    sha256: str


def audio_file(path: str | os.PathLike[str]) -> AudioFile:
    """Check that the file can be read and hash its bytes (for the recognition cache).

    Raises:
        AudioError: missing, a directory, unreadable or empty.
    """
    file_path = Path(path)
    _check_file(file_path)
    try:
        return AudioFile(path=str(file_path), sha256=file_sha256(file_path))
    except OSError as exc:
        raise AudioError(str(file_path), f"cannot be read ({exc.strerror or exc})") from None


def load_audio(path: str | os.PathLike[str]) -> Audio:
    """Read and decode an audio file.

    Args:
        path: mp3, m4a/aac, wav, ogg/opus, flac, or any container with an audio
            stream that FFmpeg (inside PyAV) reads.

    Returns:
        Audio with mono float32 samples at 16 kHz and the duration in ms.

    Raises:
        AudioError: missing, unreadable, empty, not audio, or zero-length.
    """
    import numpy as np

    file_path = Path(path)
    blocks = list(stream_audio(file_path))
    samples = np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.float32)
    duration_ms = len(samples) * 1000 // SAMPLE_RATE
    if duration_ms == 0:
        raise AudioError(str(file_path), "holds no audio (zero length)")
    return Audio(
        path=str(file_path),
        samples=samples,
        sample_rate=SAMPLE_RATE,
        duration_ms=duration_ms,
        sha256=file_sha256(file_path),
    )
