"""The fixture episode aligned from each transcript format, against its truth.

Aligns fixtures/episode/episode.mp3 (default options, one shared recognition
cache) to its transcript as Markdown (episode.md), as SRT captions whose cue
times are 1-3 s off (episode.srt) and as a timestamped export whose turn
stamps are 1-3 s off (episode_timestamped.txt), both written by
fixtures/make_transcript_formats.py. Prints for each the share of spoken
transcript words matched and the median word start error against the
synthesizer's truth, and the wall time of the run.

Usage: python benchmarks/format_accuracy.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "fixtures"))

from truth import EPISODE, body_words_by_key, load_truth, spoken_truth  # noqa: E402

from aligner import AlignOptions, align  # noqa: E402
from aligner.readers import detect_format, read_transcript  # noqa: E402
from aligner.types import WordStatus  # noqa: E402


def main() -> None:
    spans = spoken_truth(load_truth())
    with tempfile.TemporaryDirectory() as cache:
        options = AlignOptions(cache_dir=Path(cache))
        align(EPISODE / "episode.mp3", EPISODE / "episode.md", options)  # recognition, once
        for name in ("episode.md", "episode.srt", "episode_timestamped.txt"):
            path = EPISODE / name
            t0 = time.perf_counter()
            result = align(EPISODE / "episode.mp3", path, options)
            wall = time.perf_counter() - t0
            ours = body_words_by_key(result)
            matched = [k for k in spans if k in ours and ours[k].status is WordStatus.MATCHED]
            errors = [abs(ours[k].start_ms - spans[k][0]) for k in matched]
            stamps = len(read_transcript(path).stamps)
            print(
                f"{name:>24} ({detect_format(path, path.read_bytes())}, {stamps} stamps): "
                f"spoken words matched {len(matched) / len(spans):.1%}, "
                f"median start error {statistics.median(errors):.0f} ms, run {wall:.2f} s (cached recognition)"
            )


if __name__ == "__main__":
    main()
