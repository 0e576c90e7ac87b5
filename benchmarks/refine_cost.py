"""What word refinement costs: align() with and without it, cold and warm, side by side in one run.

For each audio file (default: the fixture episode) it times, alternating so that load from other work on
the machine falls on both alike:

- cold: no caches at all (recognition + refinement vs recognition only);
- warm: recognition cached, refinement not (what a re-run costs when only the recognition is reused);
- rerun: both cached (a re-run after editing the transcript: the refinement is cached too).

and prints the wall times, the ratio refine / no refine for each, and the word start error against the
truth when the file has one (fixtures/episode/truth.json for the fixture).

Usage: python benchmarks/refine_cost.py [--repeats N] [AUDIO TRANSCRIPT]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "fixtures"))

from truth import EPISODE, body_words_by_key, load_truth, spoken_truth  # noqa: E402

import aligner.pipeline as pipeline  # noqa: E402
from aligner import align  # noqa: E402


def timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def median_start_error(result) -> float:
    ours = body_words_by_key(result)
    spans = spoken_truth(load_truth())
    return statistics.median(abs(ours[k].start_ms - spans[k][0]) for k in spans if ours[k].start_ms is not None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("audio", nargs="?", type=Path, default=EPISODE / "episode.mp3")
    parser.add_argument("transcript", nargs="?", type=Path, default=EPISODE / "episode.md")
    parser.add_argument("--repeats", type=int, default=2, help="runs of each kind (the median is shown)")
    args = parser.parse_args()
    is_fixture = args.audio.resolve() == (EPISODE / "episode.mp3").resolve()

    times: dict[tuple[str, bool], list[float]] = {}
    results = {}
    load_refinement = pipeline.cache.load_refinement
    for _ in range(args.repeats):
        for refine in (True, False):
            seconds, results[refine] = timed(lambda: align(args.audio, args.transcript, use_cache=False, refine=refine))
            times.setdefault(("cold", refine), []).append(seconds)
        with tempfile.TemporaryDirectory() as cache:
            align(args.audio, args.transcript, cache_dir=cache, refine=False)  # stores the recognition
            for refine in (True, False):
                pipeline.cache.load_refinement = lambda *a, **k: None  # recognition cached, refinement not
                try:
                    seconds, _ = timed(lambda: align(args.audio, args.transcript, cache_dir=cache, refine=refine))
                finally:
                    pipeline.cache.load_refinement = load_refinement
                times.setdefault(("warm", refine), []).append(seconds)
            align(args.audio, args.transcript, cache_dir=cache)  # stores the refinement
            for refine in (True, False):
                seconds, _ = timed(lambda: align(args.audio, args.transcript, cache_dir=cache, refine=refine))
                times.setdefault(("rerun", refine), []).append(seconds)

    duration = results[True].duration_ms / 1000
    print(f"{args.audio.name}: {duration:.1f} s of audio, {args.repeats} run(s) of each kind, median wall time")
    for kind, meaning in (
        ("cold", "no cache"),
        ("warm", "recognition cached"),
        ("rerun", "recognition and refinement cached"),
    ):
        on, off = statistics.median(times[(kind, True)]), statistics.median(times[(kind, False)])
        print(f"  {kind:5s} ({meaning}): refine {on:6.2f} s, no refine {off:6.2f} s, ratio {on / off:5.2f}"
              f" (refinement adds {on - off:5.2f} s = {(on - off) / duration:.3f} s per s of audio)")
    if is_fixture:
        print(
            f"  median word start error: refine {median_start_error(results[True]):.0f} ms, "
            f"no refine {median_start_error(results[False]):.0f} ms"
        )


if __name__ == "__main__":
    main()
