"""Word refinement in a pool of processes: wall time by pool size, side by side in one run, and the same times.

Refinement runs beside recognition (``aligner.refine.alongside.RefineInProcess``); on a machine with many
cores recognition finishes sooner than one pocketsphinx process, which then decides the wall time. A pool
shares the chunks out. This times the refinement *alone*, after recognition, on one of the long-episode
benchmark's renderings (benchmarks/data/long/, made by ``long_episodes.py``): the recognition comes from
the cache (made once if missing), then for each pool size, alternating over ``--repeats`` rounds so that
load from other work falls on all alike, the recognized words are fed to a fresh pool and its refinement
awaited. It prints the median wall time and CPU time of the pool's processes for each size, the speed-up
against one process, and whether every size gave exactly the times one process gave.

Usage: python benchmarks/refine_pool.py [--minutes 10] [--processes 1 2] [--repeats 2]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

from aligner import AlignOptions
from aligner.audio import audio_file
from aligner.listen import listen
from aligner.refine.alongside import RefineInProcess
from aligner.types import Recognition, Refinement

LONG = Path(__file__).resolve().parent / "data" / "long"


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def refine(path: Path, recognition: Recognition, processes: int) -> tuple[float, float, Refinement]:
    """(wall s, the pool's CPU s, refinement) of one pool fed every recognized word at once."""
    start, cpu = time.perf_counter(), children_cpu_s()
    pool = RefineInProcess(path, recognition.duration_ms, processes=processes)
    pool.feed(recognition.words)
    refinement = pool.finish(recognition)
    return time.perf_counter() - start, children_cpu_s() - cpu, refinement


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=10, help="which rendering (10, 30, 90 or 180)")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    path = LONG / f"episode_{args.minutes}min.mp3"
    if not path.exists():
        raise SystemExit(f"{path} is missing: run python benchmarks/long_episodes.py --minutes {args.minutes} first")
    recognition, _ = listen(audio_file(path), AlignOptions(refine=False))
    print(f"{path.name}: {recognition.duration_ms / 60000:.1f} min, {len(recognition.words)} recognized words")
    walls: dict[int, list[float]] = {n: [] for n in args.processes}
    cpus: dict[int, list[float]] = {n: [] for n in args.processes}
    results: dict[int, Refinement] = {}
    for _ in range(args.repeats):
        for n in args.processes:
            wall, cpu, results[n] = refine(path, recognition, n)
            walls[n].append(wall)
            cpus[n].append(cpu)
    reference = results[args.processes[0]]
    base = statistics.median(walls[args.processes[0]])
    print("| processes | wall s (median) | CPU s of the pool | speed-up | same times |")
    print("|---|---|---|---|---|")
    for n in args.processes:
        wall = statistics.median(walls[n])
        same = "yes" if results[n] == reference else "NO"
        print(f"| {n} | {wall:.1f} | {statistics.median(cpus[n]):.1f} | {base / wall:.2f}x | {same} |")


if __name__ == "__main__":
    main()
