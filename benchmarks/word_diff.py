"""Which words a change moved: two runs of the benchmark compared word by word against the truth.

A row's figures say how much moved, not which words, and a gain on one
word can hide a loss on another. Copy ``benchmarks/data/runs`` after each
run (``cp -r benchmarks/data/runs /tmp/before``), then:

    python benchmarks/word_diff.py /tmp/before benchmarks/data/runs [--system aligner] [--min-ms 20]

Each spoken transcript word whose start error changed by more than
``--min-ms`` (or that one run timed and the other did not) is printed with
both errors and both methods, and each episode's count of better and worse.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import score

DATA = Path(__file__).resolve().parent / "data"


def truth_of(episode: str) -> dict | None:
    for folder in (DATA / "conditions", DATA / "episodes"):
        path = folder / episode / "truth.json"
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--system", default="aligner", help="the system's folder in each episode's (default aligner)")
    parser.add_argument("--min-ms", type=int, default=20)
    args = parser.parse_args()
    total_better = total_worse = 0
    for folder in sorted(p for p in args.before.iterdir() if p.is_dir()):
        episode = folder.name
        before_json = folder / args.system / "episode.json"
        after_json = args.after / episode / args.system / "episode.json"
        truth = truth_of(episode)
        if truth is None or not before_json.exists() or not after_json.exists():
            continue
        runs = [
            score.prediction_from_result_json(truth, json.loads(p.read_text(encoding="utf-8")))
            for p in (before_json, after_json)
        ]
        texts = {w["transcript_index"]: w["transcript_text"] for w in truth["spoken_words"]}
        better = worse = 0
        for index, (start, _end) in sorted(score.spoken_spans(truth).items()):
            if start is None:
                continue
            before, after = (abs(run.times[index][0] - start) if index in run.times else None for run in runs)
            if before == after:
                continue
            if before is not None and after is not None and abs(before - after) <= args.min_ms:
                continue
            gained = before is None or (after is not None and after < before)
            better, worse = better + gained, worse + (not gained)
            methods = [(run.labels or {}).get(index, "-") for run in runs]
            print(
                f"{episode}  {'+' if gained else '-'} #{index} {texts.get(index)!r}: true start {start} ms, "
                f"error {before} -> {after} ms ({methods[0]} -> {methods[1]})"
            )
        if better or worse:
            print(f"{episode}: {better} better, {worse} worse")
        total_better, total_worse = total_better + better, total_worse + worse
    print(
        f"all episodes: {total_better} better, {total_worse} worse (start errors moved by more than {args.min_ms} ms)"
    )


if __name__ == "__main__":
    main()
