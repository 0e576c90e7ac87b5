"""The aligner's cold run at several ``streams`` counts, side by side (issue 14: runs decoded side by side).

Each job is ``align()`` with no cache and the default options but
``RecognizeOptions(streams=N)``, in its own process (``_rss.py``: wall, CPU
of all threads, peak memory), in the order given, so a count given twice
shows the machine's noise. ``--baseline DIR`` adds, before each round, the
same run from another checkout of the project (a ``git worktree`` of an
earlier commit), for the change's before and after in one run.

Usage::

    python benchmarks/decode_streams.py --minutes 10 --streams 1 8 --rounds 2
    git worktree add /tmp/before COMMIT
    python benchmarks/decode_streams.py --minutes 10 --streams 8 --rounds 2 --baseline /tmp/before
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from long_episodes import ROOT, build

_JOB = """
from aligner import AlignOptions, RecognizeOptions, align
options = AlignOptions(use_cache=False){streams}
align({audio!r}, {transcript!r}, options)
"""


def run(label: str, code: str, log: Path, tree: Path) -> dict:  # type: ignore[type-arg]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    command = [sys.executable, str(ROOT / "benchmarks" / "_rss.py"), str(log), label, "-c", code]
    subprocess.run(command, check=True, cwd=tree, env=env, stdout=subprocess.DEVNULL)
    return json.loads(log.read_text(encoding="utf-8").splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=10, help="the long-episode benchmark's rendering (default 10)")
    parser.add_argument("--streams", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--baseline", type=Path, help="another checkout, run first in each round")
    args = parser.parse_args()
    audio, transcript = build([args.minutes])[args.minutes]
    print(f"{args.minutes} minutes ({audio.name}), cold, default options")
    print("| job | wall s | CPU s | peak MB |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "jobs.jsonl"
        for _ in range(args.rounds):
            jobs = []
            if args.baseline:
                jobs.append(("baseline", "", args.baseline.resolve()))
            for count in args.streams:
                jobs.append(
                    (
                        f"streams {count}",
                        f"\noptions = AlignOptions(use_cache=False, recognize=RecognizeOptions(streams={count}))",
                        ROOT,
                    )
                )
            for label, streams, tree in jobs:
                code = _JOB.format(streams=streams, audio=str(audio), transcript=str(transcript))
                row = run(label, code, log, tree)
                print(f"| {label} | {row['wall_s']:.1f} | {row['cpu_s']:.1f} | {row['peak_mb']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
