"""How long alignment takes on an episode-sized transcript, recognition aside.

Builds a 15,000-word transcript from the real example transcript (repeated
as needed), simulates what a recognizer would hear for it (fillers, dropped
and misheard words, split compounds, an ad read the transcript lacks, a cut
paragraph), and times :func:`aligner.match.align_tokens` on it. No model is
involved: this measures our code only.

Usage: python benchmarks/align_speed.py [--words 15000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from aligner.match import align_tokens
from aligner.readers import read_transcript
from aligner.timing import assign_times
from aligner.types import AsrWord, OpKind, Recognition, SpeechRegion, TokenKind

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "fixtures" / "transcripts" / "real_example.md"


def simulate(tokens, rng: random.Random) -> list[AsrWord]:
    """What a recognizer might hear for these transcript words, with times."""
    heard: list[str] = []
    for token in tokens:
        if token.kind is not TokenKind.WORD or token.is_heading:
            continue
        word = token.text.strip("“”\"'.,;:!?()*—")
        if not word:
            continue
        roll = rng.random()
        if roll < 0.03:
            continue  # dropped
        if roll < 0.05:
            heard.extend(["um", word])
        elif roll < 0.07 and len(word) > 6:
            heard.append(word[:-2] + "ed")  # misheard
        elif roll < 0.08 and "-" in word:
            heard.extend(word.split("-"))
        else:
            heard.append(word)
        if rng.random() < 0.002:  # an ad read or outtake
            heard.extend(rng.choice(["buy", "now", "use", "code", "mattress", "sleep"]) for _ in range(80))
    words, t = [], 0
    for text in heard:
        length = 120 + 45 * len(text)
        words.append(AsrWord(text, t, t + length, 0.9))
        t += length + 30
    return words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=15000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    base = read_transcript(EXAMPLE, transcript_format="markdown").tokens
    tokens = list(base)
    while sum(t.kind is TokenKind.WORD for t in tokens) < args.words:
        tokens.extend(base)
    tokens = [t for t in tokens][: int(len(tokens) * args.words / sum(t.kind is TokenKind.WORD for t in tokens))]
    tokens = [
        type(t)(i, t.text, t.kind, t.speaker, t.paragraph, t.start_char, t.end_char, t.is_heading)
        for i, t in enumerate(tokens)
    ]
    # Cut a paragraph's worth of transcript from what is "heard".
    rng = random.Random(7)
    spoken = tokens[:2000] + tokens[2150:]
    words = simulate(spoken, rng)
    recognition = Recognition(tuple(words), (SpeechRegion(0, words[-1].end_ms),), words[-1].end_ms, "sim", "en")

    n_words = sum(t.kind is TokenKind.WORD for t in tokens)
    align_times, timing_times = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        ops = align_tokens(tokens, words)
        t1 = time.perf_counter()
        assign_times(tokens, recognition, ops)
        t2 = time.perf_counter()
        align_times.append(t1 - t0)
        timing_times.append(t2 - t1)
    matched = sum(len(op.token_indices) for op in ops if op.kind is OpKind.MATCH)
    print(f"transcript words: {n_words}, recognized words: {len(words)}")
    print(f"matched transcript words: {matched} ({matched / n_words:.1%})")
    print(
        f"align_tokens: median {statistics.median(align_times):.3f} s over {args.repeat} runs (min {min(align_times):.3f} s)"
    )
    print(f"assign_times: median {statistics.median(timing_times):.3f} s")


if __name__ == "__main__":
    main()
