"""Word boundary refinement: the recognizer's words re-timed against the audio.

The method is :mod:`aligner.refine.refiner` (chunks, windows, checks, pause
edges); pocketsphinx does the forced alignment (:mod:`~aligner.refine.sphinx`,
with pronunciations from :mod:`~aligner.refine.pronounce`) and an energy
envelope places edges at pauses (:mod:`~aligner.refine.onsets`). Refinement
can run beside recognition, fed its words and its decoded audio as they come
(:mod:`~aligner.refine.alongside`, :mod:`~aligner.refine.handoff`).

Nothing here imports numpy or pocketsphinx until words are refined, so a
re-run whose refinement is cached loads neither.
"""

from aligner.refine.refiner import (
    REFINE_RECIPE,
    SPLIT_GAP_MS,
    SURE_PROBABILITY,
    Refiner,
    refine_words,
    refinement_key,
)

__all__ = ["REFINE_RECIPE", "SPLIT_GAP_MS", "SURE_PROBABILITY", "Refiner", "refine_words", "refinement_key"]
