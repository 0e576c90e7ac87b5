"""Generate (or find in the cache) benchmark episodes and print what each holds.

Usage: python benchmarks/synth [--seed S] [--minutes M [M ...]] [--data-dir DIR]

Episode i gets seed S + i and length M[i]; files go to DIR/episodes/<key>/ (default benchmarks/data).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # benchmarks/, so "synth" imports

from synth import DATA_DIR, EpisodeParams, ensure_episode


def main() -> None:
    parser = argparse.ArgumentParser(description="Generate synthetic benchmark episodes with word-time truth.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--minutes", type=float, nargs="+", default=[2.0, 3.0, 5.0, 8.0])
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    args = parser.parse_args()
    for i, minutes in enumerate(args.minutes):
        episode = ensure_episode(EpisodeParams(args.seed + i, minutes), args.data_dir, log=print)
        truth = episode.load_truth()
        edits = Counter(w["edit"] for w in truth["spoken_words"] if w["edit"])
        kinds = Counter(w["kind"] for w in truth["transcript_words"])
        voices = ", ".join(f"{name} ({s['voice']})" for name, s in truth["speakers"].items())
        print(
            f"{episode.folder}: {truth['duration_ms'] / 60000:.2f} min, {len(truth['spoken_words'])} spoken words, "
            f"{sum(w['is_spoken'] for w in truth['transcript_words'])} of {len(truth['transcript_words'])} "
            f"transcript words spoken; {voices}"
        )
        print(f"  spoken-word edits: {dict(sorted(edits.items()))}")
        print(
            f"  transcript words: {dict(sorted(kinds.items()))}; regions: "
            + ", ".join(
                f"{r['kind']} {r['start_ms'] / 1000:.1f}-{r['end_ms'] / 1000:.1f} s"
                for r in truth["no_transcript_regions"]
            )
        )


if __name__ == "__main__":
    main()
