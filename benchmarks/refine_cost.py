"""What word refinement costs: align() with and without it, cold and warm, side by side in one run.

For each audio file (default: the fixture episode) it times, alternating so that load from other work on
the machine falls on both alike:

- cold: no caches at all (recognition + refinement vs recognition only);
- warm: recognition cached, refinement not (what a re-run costs when only the recognition is reused);
- rerun: both cached (a re-run after editing the transcript: the refinement is cached too).

and prints the wall and CPU times, the ratios refine / no refine, and the word start error against the
truth when the file has one (fixtures/episode/truth.json for the fixture). On a machine shared with other
work the wall times swing by tens of percent from run to run; the CPU times (this process, all threads:
recognition uses every core, refinement one) do not.

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

import aligner.cache as cache_store  # noqa: E402
from aligner import AlignOptions, align  # noqa: E402


def timed(function) -> tuple[tuple[float, float], object]:
    """(wall seconds, CPU seconds of this process, all threads), and the function's result."""
    start, cpu = time.perf_counter(), time.process_time()
    result = function()
    return (time.perf_counter() - start, time.process_time() - cpu), result


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

    times: dict[tuple[str, bool], list[tuple[float, float]]] = {}
    results = {}
    load_refinement = cache_store.load_refinement
    for _ in range(args.repeats):
        for refine in (True, False):
            seconds, results[refine] = timed(
                lambda r=refine: align(args.audio, args.transcript, AlignOptions(use_cache=False, refine=r))
            )
            times.setdefault(("cold", refine), []).append(seconds)
        with tempfile.TemporaryDirectory() as cache:
            align(
                args.audio, args.transcript, AlignOptions(cache_dir=Path(cache), refine=False)
            )  # stores the recognition
            for refine in (True, False):
                cache_store.load_refinement = lambda *a, **k: None  # recognition cached, refinement not
                try:
                    seconds, _ = timed(
                        lambda r=refine: align(
                            args.audio, args.transcript, AlignOptions(cache_dir=Path(cache), refine=r)
                        )
                    )
                finally:
                    cache_store.load_refinement = load_refinement
                times.setdefault(("warm", refine), []).append(seconds)
            align(args.audio, args.transcript, AlignOptions(cache_dir=Path(cache)))  # stores the refinement
            for refine in (True, False):
                seconds, _ = timed(
                    lambda r=refine: align(args.audio, args.transcript, AlignOptions(cache_dir=Path(cache), refine=r))
                )
                times.setdefault(("rerun", refine), []).append(seconds)

    duration = results[True].duration_ms / 1000
    print(f"{args.audio.name}: {duration:.1f} s of audio, {args.repeats} run(s) of each kind, medians")
    for kind, meaning in (
        ("cold", "no cache"),
        ("warm", "recognition cached"),
        ("rerun", "recognition and refinement cached"),
    ):
        for which, label in ((0, "wall"), (1, "CPU")):
            on = statistics.median(t[which] for t in times[(kind, True)])
            off = statistics.median(t[which] for t in times[(kind, False)])
            print(
                f"  {kind:5s} ({meaning}), {label:4s}: refine {on:7.2f} s, no refine {off:7.2f} s, "
                f"ratio {on / off:5.2f} (refinement adds {(on - off) / duration:.3f} s per s of audio)"
            )
    if is_fixture:
        print(
            f"  median word start error: refine {median_start_error(results[True]):.0f} ms, "
            f"no refine {median_start_error(results[False]):.0f} ms"
        )


if __name__ == "__main__":
    main()
