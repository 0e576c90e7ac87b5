"""What ``aligner cut`` would cut on the condition episodes, with and without the search for unheard hesitations.

The acceptance of issue 15 is measured on seeds 1-4 (``benchmarks/cut_accuracy.py``); this looks at the
harder material of ``benchmarks/conditions`` (telephone, remote guest, music bed, overlap, accents, edits, real
voices) for the one thing a cut must never do, take a transcript word, and for how much of the removed kinds'
audio (truth edits ``filler``, ``repetition``, ``cut``) the planned cuts hold. It plans the cuts only
(``aligner.cut.find_cuts``, default ``--remove``); nothing is rendered. Alignments come from the benchmark's
cache (``benchmarks/data/cache/aligner``, filled by ``run_benchmark.py --conditions --cached``) or are made.

Per episode, twice (with the search of ``aligner/cut/unheard.py`` and without it): the cuts, those of unheard
hesitations, the transcript words whose true interval loses more than 10 ms to a cut (word, true start, ms
lost, what the cut heard), and the removed kinds' share inside cuts.

Usage::

    python benchmarks/conditions                  # the episodes, once
    python benchmarks/cut_conditions.py
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
MAX_WORD_OVERLAP_MS = 10


def overlap(cuts, start: int, end: int) -> int:  # type: ignore[no-untyped-def]
    return sum(max(0, min(c.end_ms, end) - max(c.start_ms, start)) for c in cuts)


def main() -> int:
    import aligner.cut as cut_package
    from aligner import AlignOptions, align
    from aligner.cut import find_cuts, unheard
    from aligner.options import CutOptions

    episodes = sorted(p for p in (DATA / "conditions").iterdir() if (p / "truth.json").exists())
    if not episodes:
        print("no condition episodes: run python benchmarks/conditions first", file=sys.stderr)
        return 1
    search = unheard.unheard_hesitations
    print(
        "| episode | search | cuts | holding what only the forced aligner heard | transcript words cut > 10 ms | removed kinds inside cuts |"
    )
    print("|---|---|---|---|---|---|")
    for episode in episodes:
        audio = episode / "episode.mp3"
        result = align(audio, episode / "episode.md", AlignOptions(cache_dir=DATA / "cache" / "aligner"))
        truth = json.loads((episode / "truth.json").read_text(encoding="utf-8"))
        spoken = [w for w in truth["spoken_words"] if w["start_ms"] is not None and w["end_ms"] is not None]
        removed = [w for w in spoken if w["edit"] in ("filler", "repetition", "cut")]
        for on in (True, False):
            cut_package.unheard_hesitations = search if on else (lambda *args, **kwargs: unheard.Unheard())  # type: ignore[assignment]
            cuts = find_cuts(audio, result, CutOptions())
            taken = [
                (
                    w["word"],
                    w["start_ms"],
                    lost,
                    [c.heard for c in cuts if c.start_ms < w["end_ms"] and c.end_ms > w["start_ms"]],
                )
                for w in spoken
                if w["transcript_index"] is not None
                for lost in [overlap(cuts, w["start_ms"], w["end_ms"])]
                if lost > MAX_WORD_OVERLAP_MS
            ]
            total = sum(w["end_ms"] - w["start_ms"] for w in removed)
            inside = sum(overlap(cuts, w["start_ms"], w["end_ms"]) for w in removed)
            share = f"{inside / total:.1%}" if total else "–"
            unheard_cuts = sum(bool(re.search(r"\(\S+\)", c.heard)) for c in cuts)
            words = "; ".join(f"{t} at {s} ms: {lost} ms ({' / '.join(h)})" for t, s, lost, h in taken) or "none"
            print(f"| {episode.name} | {'on' if on else 'off'} | {len(cuts)} | {unheard_cuts} | {words} | {share} |")
        cut_package.unheard_hesitations = search  # type: ignore[assignment]
    return 0


if __name__ == "__main__":
    sys.exit(main())
