"""Wall time of `aligner batch` over N copies of the fixture episode, for several --jobs.

Recognition is not cached (--no-cache), so every episode runs the model, as a
back catalogue's first pass does. Prints one line per --jobs value:

    python benchmarks/batch_jobs.py --episodes 4 --jobs 1 2
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EPISODE = Path(__file__).resolve().parent.parent / "fixtures" / "episode"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=4)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "episodes"
        folder.mkdir()
        for i in range(args.episodes):
            shutil.copyfile(EPISODE / "episode.mp3", folder / f"ep{i}.mp3")
            shutil.copyfile(EPISODE / "episode.md", folder / f"ep{i}.md")
        audio_s = 64.1 * args.episodes
        print(f"{args.episodes} episodes of 64 s, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
        for jobs in args.jobs:
            out = Path(tmp) / f"out{jobs}"
            started = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "aligner",
                    "batch",
                    str(folder),
                    "-o",
                    str(out),
                    "--no-cache",
                    "-q",
                    "--jobs",
                    str(jobs),
                ],
                check=True,
            )
            wall = time.perf_counter() - started
            print(f"--jobs {jobs}: {wall:.1f} s wall, {audio_s / wall:.1f} s of audio a second")


if __name__ == "__main__":
    main()
