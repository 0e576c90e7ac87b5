"""Decode any audio container to 16 kHz mono float32 through PyAV.

PyAV is the decoder faster-whisper itself uses, so no system ffmpeg is
needed. Decoding happens once per run; the samples feed voice activity
detection and recognition, and the file's content hash keys the recognition
cache (so a renamed or re-copied file still hits the cache).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import av
import numpy as np

from aligner.errors import AudioError
from aligner.types import Audio

SAMPLE_RATE = 16000
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


def _decode_samples(path: Path) -> np.ndarray:
    """Decode the first audio stream, resampled to mono 16 kHz float32.

    Frames are converted as they arrive, so memory holds the output array and
    one frame at a time, not a second copy of the raw stream.
    """
    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    parts: list[np.ndarray] = []
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioError(str(path), "has no audio stream")
            stream = container.streams.audio[0]
            for frame in container.decode(stream):
                frame.pts = None  # let the resampler restamp; some files carry bad pts
                for out in resampler.resample(frame):
                    parts.append(out.to_ndarray().reshape(-1).copy())
            for out in resampler.resample(None):
                parts.append(out.to_ndarray().reshape(-1).copy())
    except AudioError:
        raise
    except (av.error.FFmpegError, ValueError, IndexError, OSError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise AudioError(str(path), f"cannot be decoded as audio ({reason})") from None
    if not parts:
        return np.zeros(0, dtype=np.float32)
    pcm = np.concatenate(parts)
    return pcm.astype(np.float32) / 32768.0


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
    file_path = Path(path)
    _check_file(file_path)
    samples = _decode_samples(file_path)
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
