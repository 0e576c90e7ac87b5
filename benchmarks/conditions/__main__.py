"""Generate (or find in the cache) the condition episodes and print what each holds.

Usage: python benchmarks/conditions [NAME ...] [--data-dir DIR] [--held-out]   (default: every condition)
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # benchmarks/, so "synth" and "conditions" import

from held_out import held_out
from synth import DATA_DIR

from conditions import BY_NAME, CONDITIONS, ensure_condition


def main() -> None:
    parser = argparse.ArgumentParser(description="Generate the condition episodes (benchmarks/conditions).")
    parser.add_argument("names", nargs="*", help=f"conditions (default all): {', '.join(BY_NAME)}")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--held-out", action="store_true", help="the held-out episodes (seeds + 1000) instead")
    args = parser.parse_args()
    unknown = [n for n in args.names if n not in BY_NAME]
    if unknown:
        parser.error(f"unknown condition {unknown[0]!r}: choose from {', '.join(BY_NAME)}")
    for condition in [BY_NAME[n] for n in args.names] or CONDITIONS:
        for episode in ensure_condition(held_out(condition) if args.held_out else condition, args.data_dir, log=print):
            truth = episode.load_truth()
            spoken = truth["spoken_words"]
            edits = Counter(w["edit"] for w in spoken if w["edit"])
            known = sum(w["start_ms"] is not None for w in spoken)
            voices = ", ".join(f"{name} ({s['voice']})" for name, s in truth["speakers"].items())
            print(
                f"{condition.name}: {episode.folder}: {truth['duration_ms'] / 60000:.2f} min, {len(spoken)} spoken "
                f"words ({known} with a known start), {sum(w['is_spoken'] for w in truth['transcript_words'])} of "
                f"{len(truth['transcript_words'])} transcript words spoken; {voices}"
            )
            print(f"  {truth['condition']['description']}")
            print(f"  spoken-word edits: {dict(sorted(edits.items()))}")
            print(
                "  regions: "
                + ", ".join(
                    f"{r['kind']} {r['start_ms'] / 1000:.1f}-{r['end_ms'] / 1000:.1f} s"
                    for r in truth["no_transcript_regions"]
                )
            )


if __name__ == "__main__":
    main()
