"""Decode any audio container to 16 kHz mono float32 through PyAV.

PyAV is the decoder faster-whisper itself uses, so no system ffmpeg is
needed. Decoding happens once per run; the samples feed voice activity
detection and recognition, and the file's content hash keys the recognition
cache (so a renamed or re-copied file still hits the cache).
"""

from __future__ import annotations

import hashlib
import itertools
import os
from collections.abc import Iterable, Iterator, Sequence
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


_ASF = b"\x30\x26\xb2\x75\x8e\x66\xcf\x11\xa6\xd9\x00\xaa\x00\x62\xce\x6c"  # WMA/WMV header object


def audio_signature(head: bytes) -> str | None:
    """The audio or video container a file's first bytes announce ("WAV", "MP3", ...), or None.

    For telling an audio file given where a transcript belongs from text, not
    for decoding (PyAV decides that): RIFF/WAVE, an ID3 tag or an MPEG audio
    frame (layers II and III: layer I's sync bytes ``FF FE`` are UTF-16's
    byte-order mark), ADTS AAC, fLaC, OggS, an ISO ``ftyp`` box (MP4, M4A,
    MOV), EBML (Matroska, WebM), AIFF and ASF (WMA).
    """
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "WAV"
    if head[:3] == b"ID3" or _is_mpeg_frame(head):
        return "MP3"
    if len(head) >= 2 and head[0] == 0xFF and head[1] in (0xF0, 0xF1, 0xF8, 0xF9):
        return "AAC"
    if head[:4] == b"fLaC":
        return "FLAC"
    if head[:4] == b"OggS":
        return "Ogg"
    if head[4:8] == b"ftyp":
        return "MP4/M4A"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "Matroska/WebM"
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return "AIFF"
    if head[:16] == _ASF:
        return "WMA"
    return None


def _is_mpeg_frame(head: bytes) -> bool:
    """An MPEG audio frame header: 11 sync bits, a known version, layer II or III, a valid bit rate and rate."""
    if len(head) < 3 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 0b11, (head[1] >> 1) & 0b11
    bitrate, rate = head[2] >> 4, (head[2] >> 2) & 0b11
    return version != 0b01 and layer in (0b01, 0b10) and bitrate != 0b1111 and rate != 0b11


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


def read_spans(path: str | os.PathLike[str], spans: Sequence[tuple[int, int]]) -> Iterator[np.ndarray]:
    """The samples of each ``(start_ms, end_ms)`` span, in the order given (starts must not decrease).

    Decodes from the start of the file and stops after the last span, holding
    only the audio from the current span's start on: a few stretches of a
    3-hour episode cost their own length in memory, not the episode's. A span
    past the end of the audio comes back shorter (or empty).

    Raises:
        AudioError: as :func:`stream_audio`.
        ValueError: the spans' starts decrease.
    """
    import numpy as np

    if any(b[0] < a[0] for a, b in itertools.pairwise(spans)):
        raise ValueError("spans must come in order of their starts")
    per_ms = SAMPLE_RATE // 1000
    blocks = stream_audio(path) if spans else iter(())
    buffer = np.zeros(0, dtype=np.float32)  # samples [buffer_start, decoded)
    buffer_start = decoded = 0
    for start_ms, end_ms in spans:
        first, stop = start_ms * per_ms, max(end_ms, start_ms) * per_ms
        if first > buffer_start:
            buffer = buffer[first - buffer_start :]
            buffer_start = first
        while decoded < stop:
            block = next(blocks, None)
            if block is None:
                break
            block_start, decoded = decoded, decoded + len(block)
            if decoded > buffer_start:
                buffer = np.concatenate([buffer, block[max(buffer_start - block_start, 0) :]])
        yield buffer[first - buffer_start : stop - buffer_start].copy()


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
