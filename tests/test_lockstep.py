"""Clips decoded side by side through the real model, their decoder calls batched."""

from __future__ import annotations

import pytest
from support.paths import EPISODE

from aligner.audio import load_audio
from aligner.lockstep import decode_together
from aligner.options import RecognizeOptions
from aligner.recognize import load_model


@pytest.fixture(scope="module")
def clips():
    """The fixture episode in five pieces of about 13 s (cut anywhere: the decoders do not care)."""
    samples = load_audio(EPISODE / "episode.mp3").samples
    step = len(samples) // 5
    return [samples[i * step : (i + 1) * step] for i in range(5)]


def _words(model, clip):
    segments, _ = model.transcribe(clip, language="en", beam_size=1, word_timestamps=True, vad_filter=False)
    return [(w.word, w.start, w.end, round(w.probability, 4)) for s in segments for w in s.words]


@pytest.mark.model
def test_clips_decoded_together_hear_what_each_alone_hears(clips):
    options = RecognizeOptions()
    model = load_model(options.model, options.device, options.compute_type, options.threads)
    alone = decode_together(model, clips, _words, 1)
    together = decode_together(model, clips, _words, 3)
    assert alone.batches == [1] * 5
    assert max(together.batches) == 3  # three workers met in the decoder
    assert sum(together.batches) >= 5  # at least one decoder call a clip
    assert together.results == alone.results
    assert all(result for result in together.results)
    assert decode_together(model, clips, _words, 3).batches == together.batches  # the same batches every run


@pytest.mark.model
def test_an_error_in_one_clip_reaches_the_caller_after_the_others_finish(clips):
    options = RecognizeOptions()
    model = load_model(options.model, options.device, options.compute_type, options.threads)
    seen = []

    def decode(view, clip):
        if clip is clips[1]:
            raise ValueError("clip 1 is broken")
        seen.append(len(_words(view, clip)))
        return None

    with pytest.raises(ValueError, match="clip 1 is broken"):
        decode_together(model, clips, decode, 2)
    assert len(seen) == 4 and all(seen)
