"""Whether pocketsphinx, told every word is said, finds a path only where the words were said.

The check of unheard phrases (``aligner.confirm``, ``MIN_SAID_RUN_WORDS``)
aligns a phrase again with no word skippable and believes it where a path
is found. This measures that rule on a condition episode's truth, in three
kinds of window:

- ``said``: four spoken words with their spoken neighbours (the words were said);
- ``pause``: two spoken words with a pause of 0.5-2.5 s between them and
  "thanks for having me" written into it (nothing was said there);
- ``other``: the ``said`` window with four words from elsewhere in the
  episode in place of its own (other words were said).

Usage: python benchmarks/said_or_not.py [EPISODE ...]   (default: the remote guest's episode)
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from aligner.audio import audio_file, read_spans
from aligner.refine.sphinx import SphinxAligner

CONDITIONS = Path(__file__).resolve().parent / "data" / "conditions"


def windows(truth: dict, seed: int = 1) -> list[tuple[str, int, int, list[str]]]:
    spoken = [w for w in truth["spoken_words"] if w["start_ms"] is not None and w["end_ms"] is not None]
    out = []
    for k in range(1, len(spoken) - 1):
        before, after = spoken[k], spoken[k + 1]
        if 500 <= after["start_ms"] - before["end_ms"] <= 2500:
            words = [before["word"], "thanks", "for", "having", "me", after["word"]]
            out.append(("pause", before["start_ms"] - 150, after["end_ms"] + 150, words))
    random.seed(seed)
    for k in random.sample(range(1, len(spoken) - 6), 25):
        before, after = spoken[k - 1], spoken[k + 4]
        if after["start_ms"] - before["start_ms"] > 4000:
            continue
        span = (before["start_ms"] - 150, after["end_ms"] + 150)
        said = [w["word"] for w in spoken[k : k + 4]]
        other = [w["word"] for w in spoken[(k + 40) % (len(spoken) - 4) :][:4]]
        out.append(("said", *span, [before["word"], *said, after["word"]]))
        out.append(("other", *span, [before["word"], *other, after["word"]]))
    return sorted(out, key=lambda w: w[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("episodes", nargs="*", default=[p.name for p in sorted(CONDITIONS.glob("remote-*"))])
    args = parser.parse_args()
    aligner = SphinxAligner()
    for episode in args.episodes:
        folder = CONDITIONS / episode
        truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
        cases = windows(truth)
        found: dict[str, list[bool]] = {}
        audio = audio_file(folder / "episode.mp3")
        for (kind, _start, _end, texts), samples in zip(cases, read_spans(audio.path, [c[1:3] for c in cases])):
            names = [aligner.word_name(t) for t in texts]
            if None in names:
                continue
            path = aligner.align(samples, [n for n in names if n], said=range(len(names)))
            found.setdefault(kind, []).append(path is not None)
        print(episode)
        for kind in ("said", "pause", "other"):
            paths = found.get(kind, [])
            print(f"  {kind:6s} a path in {sum(paths)} of {len(paths)} windows")


if __name__ == "__main__":
    main()
