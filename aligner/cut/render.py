"""The edited audio: the source with the cuts taken out, joined by short crossfades, in one streaming pass.

pydub, the project's audio-editing package, holds the whole file in memory
as raw samples (1.9 GB of 16-bit samples for 3 hours of 44.1 kHz stereo) and needs an
ffmpeg program on the PATH for anything but WAV; the aligner decodes with
PyAV, whose wheels carry FFmpeg's codecs, so the edit is made with PyAV
too: the source is decoded at its own sample rate and channels, one frame
after the other, and what the cuts keep is encoded as it comes. Memory holds
a frame and a crossfade, never the episode.

Each join is an equal-power crossfade of ``CROSSFADE_MS``: the audio around
the cut's start fades out while the audio around its end fades in, centred
on the two edges, so the edited audio is exactly the source's length less the
cuts' (no overlap is lost) and the join, placed by :mod:`aligner.cut.plan`
in the quietest stretch of a pause, has no step for a click. The room tone
on both sides of the join stays: nothing is gated to silence.

The output keeps the source's sample rate and channels and, for lossy
formats, about its bit rate (Opus, the codec written into an .ogg, runs at
48 kHz).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aligner.errors import AudioError, OutputError

if TYPE_CHECKING:
    import numpy as np

    from aligner.cut.plan import Cut

__all__ = ["CROSSFADE_MS", "ENCODINGS", "Rendered", "output_format", "render_edited"]

CROSSFADE_MS = 10
"""Length of the crossfade at each join (half before each edge, half after)."""

ENCODINGS: dict[str, tuple[str, str, int | None, int | None]] = {
    "wav": ("wav", "pcm_s16le", None, None),
    "flac": ("flac", "flac", None, None),
    "mp3": ("mp3", "libmp3lame", None, 128_000),
    "m4a": ("ipod", "aac", None, 128_000),
    "ogg": ("ogg", "libopus", 48_000, 96_000),
}
"""Format -> (container, codec, fixed sample rate, bit rate when the source's is unknown)."""

_STANDARD_LAYOUTS = {1: "mono", 2: "stereo"}
"""A WAV says only "2 channels"; encoders (LAME) want a named layout."""

_BY_SUFFIX = {
    ".wav": "wav",
    ".wave": "wav",
    ".flac": "flac",
    ".mp3": "mp3",
    ".m4a": "m4a",
    ".aac": "m4a",
    ".mp4": "m4a",
    ".m4v": "m4a",
    ".mov": "m4a",
    ".mkv": "m4a",
    ".webm": "ogg",
    ".ogg": "ogg",
    ".oga": "ogg",
    ".opus": "ogg",
}


def output_format(source: Path, chosen: str | None) -> str:
    """The edited audio's format: ``chosen``, else the source's (a video container gives m4a; unknown: wav)."""
    return chosen or _BY_SUFFIX.get(source.suffix.casefold(), "wav")


@dataclass(frozen=True, slots=True)
class Rendered:
    """What was written: its length, sample rate and channels."""

    duration_ms: int
    sample_rate: int
    channels: int
    samples: int


def render_edited(source: Path, target: Path, cuts: Sequence[Cut], fmt: str) -> Rendered:
    """Write ``source`` less ``cuts`` (source times, sorted, apart) to ``target`` as ``fmt``.

    Raises:
        AudioError: the source cannot be decoded.
        OutputError: the target cannot be written or encoded.
    """
    import av

    container_format, codec, fixed_rate, default_bit_rate = ENCODINGS[fmt]
    try:
        source_container = av.open(str(source), mode="r", metadata_errors="ignore")
    except (av.error.FFmpegError, OSError) as exc:
        raise AudioError(str(source), f"cannot be decoded as audio ({exc})") from None
    with source_container:
        if not source_container.streams.audio:
            raise AudioError(str(source), "has no audio stream")
        stream = source_container.streams.audio[0]
        rate, channels = stream.rate, len(stream.layout.channels)
        layout = (
            _STANDARD_LAYOUTS.get(channels, stream.layout.name)
            if "channels" in stream.layout.name
            else stream.layout.name
        )
        bit_rate = stream.bit_rate or source_container.bit_rate or default_bit_rate
        plan = _plan(cuts, rate)
        try:
            out = av.open(str(target), mode="w", format=container_format)
        except (av.error.FFmpegError, OSError) as exc:
            raise OutputError(f"{target}: cannot write the edited audio ({exc})") from None
        with out:
            out_stream: av.AudioStream = out.add_stream(codec, rate=fixed_rate or rate, layout=layout)  # type: ignore[assignment]
            if default_bit_rate is not None and bit_rate:
                out_stream.bit_rate = min(int(bit_rate), 320_000)
            encoder = _Encoder(out, out_stream, rate, layout)
            written = 0
            for piece in _spliced(_frames(source_container, stream, rate, layout, str(source)), plan, channels):
                encoder.write(piece)
                written += piece.shape[1]
            encoder.close()
    return Rendered(written * 1000 // rate, rate, channels, written)


def _plan(cuts: Sequence[Cut], rate: int) -> list[tuple[int, int, int]]:
    """Each cut as (first removed sample, first kept sample after it, half crossfade in samples).

    The half crossfade shrinks where a cut or the audio kept between two
    cuts is too short for it.
    """
    half = max(1, CROSSFADE_MS * rate // 2000)
    spans = [(c.start_ms * rate // 1000, c.end_ms * rate // 1000) for c in cuts]
    out = []
    previous_end = 0
    for k, (start, end) in enumerate(spans):
        next_start = spans[k + 1][0] if k + 1 < len(spans) else None
        h = min(half, (start - previous_end) // 2 if k else start, (end - start) // 2)
        if next_start is not None:
            h = min(h, (next_start - end) // 2)
        out.append((start, end, max(h, 0)))
        previous_end = end
    return out


def _frames(container, stream, rate: int, layout: str, name: str) -> Iterator[np.ndarray]:  # type: ignore[no-untyped-def]
    """The source's samples as float32 arrays (channels, n), contiguous from the first sample."""
    import av

    resampler = av.AudioResampler(format="fltp", layout=layout, rate=rate)
    try:
        for frame in container.decode(stream):
            frame.pts = None
            for out in resampler.resample(frame):
                yield out.to_ndarray()
        for out in resampler.resample(None):
            yield out.to_ndarray()
    except (av.error.FFmpegError, ValueError) as exc:
        raise AudioError(name, f"cannot be decoded as audio ({exc})") from None


def _spliced(frames: Iterator[np.ndarray], plan: Sequence[tuple[int, int, int]], channels: int) -> Iterator[np.ndarray]:
    """The kept samples in order, each join a crossfade (see the module docstring)."""
    import numpy as np

    reader = _Reader(frames, channels)
    position = 0
    for start, end, half in plan:
        yield from reader.read(position, start - half)
        fade_out = reader.take(start - half, start + half)
        fade_in = reader.take(end - half, end + half)
        n = min(fade_out.shape[1], fade_in.shape[1])
        if n:
            t = (np.arange(n, dtype=np.float32) + 0.5) / n
            yield fade_out[:, :n] * np.cos(t * np.pi / 2) + fade_in[:, :n] * np.sin(t * np.pi / 2)
        position = end + half
    yield from reader.read(position, None)


class _Reader:
    """Sample ranges of a frame stream, asked for in increasing order; what lies between is skipped."""

    def __init__(self, frames: Iterator[np.ndarray], channels: int) -> None:
        import numpy as np

        self._frames = frames
        self._buffer = np.zeros((channels, 0), dtype=np.float32)
        self._start = 0  # sample index of the buffer's first sample
        self._done = False

    def _fill(self) -> bool:
        import numpy as np

        if self._done:
            return False
        frame = next(self._frames, None)
        if frame is None:
            self._done = True
            return False
        self._buffer = np.concatenate([self._buffer, frame.astype(np.float32)], axis=1)
        return True

    def read(self, first: int, stop: int | None) -> Iterator[np.ndarray]:
        """Samples ``[first, stop)`` (to the end for None), a frame's worth at a time."""
        self._drop(first)
        while stop is None or self._start < stop:
            if self._buffer.shape[1] == 0 and not self._fill():
                return
            end = self._buffer.shape[1] if stop is None else min(self._buffer.shape[1], stop - self._start)
            if end > 0:
                yield self._buffer[:, :end]
            self._buffer = self._buffer[:, end:]
            self._start += end

    def take(self, first: int, stop: int) -> np.ndarray:
        """Samples ``[first, stop)`` as one array (shorter at the end of the audio)."""
        import numpy as np

        self._drop(first)
        while self._start + self._buffer.shape[1] < stop and self._fill():
            pass
        return np.array(self._buffer[:, : max(stop - self._start, 0)])

    def _drop(self, first: int) -> None:
        while self._start + self._buffer.shape[1] < first and self._fill():
            pass
        if first > self._start:
            cut = min(first - self._start, self._buffer.shape[1])
            self._buffer = self._buffer[:, cut:]
            self._start += cut


class _Encoder:
    """Float frames at the source's rate into the output stream (resampled to what its codec takes)."""

    def __init__(self, container, stream, rate: int, layout: str) -> None:  # type: ignore[no-untyped-def]
        import av

        self._container = container
        self._stream = stream
        self._rate = rate
        self._layout = layout
        context = stream.codec_context
        self._resampler = av.AudioResampler(
            format=context.format.name, layout=layout, rate=context.sample_rate, frame_size=context.frame_size or None
        )

    def write(self, samples: np.ndarray | None) -> None:
        import av
        import numpy as np

        if samples is None:
            frames = self._resampler.resample(None)
        else:
            frame = av.AudioFrame.from_ndarray(
                np.ascontiguousarray(samples, dtype=np.float32), format="fltp", layout=self._layout
            )
            frame.sample_rate = self._rate
            frames = self._resampler.resample(frame)
        for out in frames:
            out.pts = None
            for packet in self._stream.encode(out):
                self._container.mux(packet)

    def close(self) -> None:
        self.write(None)
        for packet in self._stream.encode(None):
            self._container.mux(packet)
