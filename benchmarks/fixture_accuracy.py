"""Accuracy and speed of a full run on the fixture episode, against its truth.

Runs the aligner on fixtures/episode (cold: no recognition cache; then warm:
cached recognition, as after an edit to the transcript) and prints the share
of spoken transcript words matched and timed, word start/end errors against
the synthesizer's truth, how the unspoken text was labelled, and wall times.

Usage: python benchmarks/fixture_accuracy.py
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
from aligner.types import TokenKind, WordStatus  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def main() -> None:
    truth = load_truth()
    with tempfile.TemporaryDirectory() as cache:
        t0 = time.perf_counter()
        result = align(EPISODE / "episode.mp3", EPISODE / "episode.md", AlignOptions(cache_dir=Path(cache)))
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        align(EPISODE / "episode.mp3", EPISODE / "episode.md", AlignOptions(cache_dir=Path(cache)))
        warm = time.perf_counter() - t0

    ours = body_words_by_key(result)
    spans = spoken_truth(truth)
    matched = [k for k in spans if ours[k].status is WordStatus.MATCHED]
    timed = [k for k in spans if ours[k].start_ms is not None]
    starts = [abs(ours[k].start_ms - spans[k][0]) for k in timed]
    ends = [abs(ours[k].end_ms - spans[k][1]) for k in timed]
    unspoken = [w for w in result.words if w.token.kind is TokenKind.WORD and (w.token.is_heading)]
    added = [
        ours[(w["transcript_text"].casefold(), w["occurrence"])]
        for w in truth["transcript_words"]
        if w["kind"] == "added"
    ]
    labelled = [w for w in unspoken + added if w.status is WordStatus.NOT_IN_AUDIO]
    flagged = [w for w in result.words if w.status is WordStatus.NOT_IN_AUDIO and w.token.kind is TokenKind.WORD]

    print(
        f"fixture episode: {result.duration_ms / 1000:.1f} s, {len(spans)} spoken transcript words, model {result.model}"
    )
    print(
        f"spoken words matched: {len(matched) / len(spans):.1%}  timed (matched or interpolated): {len(timed) / len(spans):.1%}"
    )
    print(
        f"word start error: median {statistics.median(starts):.0f} ms, mean {statistics.mean(starts):.0f} ms, "
        f"p90 {percentile(starts, 0.9):.0f} ms, within 100 ms {sum(e <= 100 for e in starts) / len(starts):.0%}"
    )
    print(
        f"word end error:   median {statistics.median(ends):.0f} ms, mean {statistics.mean(ends):.0f} ms, p90 {percentile(ends, 0.9):.0f} ms"
    )
    print(
        f"unspoken words labelled not_in_audio: {len(labelled)}/{len(unspoken) + len(added)}; "
        f"words labelled not_in_audio that were spoken: {len(flagged) - len(labelled)}"
    )
    print(f"cues: {len(result.cues)}")
    print(
        f"wall time: cold {cold:.2f} s (real-time factor {cold / (result.duration_ms / 1000):.3f}), cached recognition {warm:.2f} s"
    )


if __name__ == "__main__":
    main()
