"""What stamps cost and change in alignment on an episode-sized transcript, recognition aside.

Same simulated 15,000-word episode as benchmarks/align_speed.py (fillers,
dropped and misheard words, ad reads, a cut paragraph). Each paragraph gets
a stamp at its first heard word's time plus an error of 1-3 s either way
(seeded), as a timestamped export has; then the same stamps all 60 s late
(captions of an earlier cut); then stamps at random times. Prints the time
of :func:`aligner.match.align_tokens` for each, and how many transcript
words each matches and how many of those pairings differ from the
alignment without stamps. No model is involved.

Usage: python benchmarks/stamp_alignment.py [--words 15000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import time
from pathlib import Path

from aligner.match import align_tokens
from aligner.readers import read_transcript
from aligner.types import OpKind, Stamp, TokenKind

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("align_speed", HERE / "align_speed.py")
align_speed = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(align_speed)


def _pairs(ops) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    return {(op.token_indices, op.asr_indices) for op in ops if op.kind is OpKind.MATCH}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=15000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    base = read_transcript(align_speed.EXAMPLE, transcript_format="markdown").tokens
    tokens = list(base)
    while sum(t.kind is TokenKind.WORD for t in tokens) < args.words:
        tokens.extend(base)
    tokens = tokens[: int(len(tokens) * args.words / sum(t.kind is TokenKind.WORD for t in tokens))]
    paragraph_of = []
    offset, previous = 0, None
    for t in tokens:  # paragraphs numbered through the repeats
        if previous is not None and t.paragraph != previous.paragraph:
            offset += 1
        paragraph_of.append(offset)
        previous = t
    tokens = [
        type(t)(i, t.text, t.kind, t.speaker, paragraph_of[i], t.start_char, t.end_char, t.is_heading)
        for i, t in enumerate(tokens)
    ]
    rng = random.Random(7)
    spoken = tokens[:2000] + tokens[2150:]
    words = align_speed.simulate(spoken, rng)

    without = align_tokens(tokens, words)
    heard_at = {
        i: words[op.asr_indices[0]].start_ms for op in without if op.kind is OpKind.MATCH for i in op.token_indices
    }
    firsts = [t.index for k, t in enumerate(tokens) if k == 0 or t.paragraph != tokens[k - 1].paragraph]
    srng = random.Random(5)
    honest = [
        Stamp(i, max(0, heard_at[i] + srng.choice((-1, 1)) * srng.randint(1000, 3000))) for i in firsts if i in heard_at
    ]
    variants = {
        "no stamps": [],
        f"{len(honest)} stamps, 1-3 s off": honest,
        "the same, 60 s late": [Stamp(s.token_index, s.time_ms + 60_000) for s in honest],
        "random times": [Stamp(s.token_index, srng.randint(0, words[-1].end_ms)) for s in honest],
    }
    reference = _pairs(without)
    n_words = sum(t.kind is TokenKind.WORD for t in tokens)
    print(f"transcript words: {n_words}, recognized words: {len(words)}")
    for name, stamps in variants.items():
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            ops = align_tokens(tokens, words, stamps=stamps)
            times.append(time.perf_counter() - t0)
        pairs = _pairs(ops)
        matched = sum(len(t) for t, _ in pairs)
        print(
            f"{name:>28}: align_tokens median {statistics.median(times):.3f} s; matched {matched} "
            f"({matched / n_words:.1%}); pairings differing from no stamps: {len(pairs ^ reference)}"
        )


if __name__ == "__main__":
    main()
