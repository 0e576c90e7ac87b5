"""The alignment grammar of aligner.refine.sphinx, its pure parts (pocketsphinx itself: test_refiner.py)."""

from __future__ import annotations

from aligner.refine.sphinx import FILLERS, _follow, _grammar, _placed


def test_the_grammar_allows_silence_fillers_repeats_and_skips() -> None:
    transitions = _grammar(["so", "we", "we", "study"])
    words = {(a, b, t[3]) for t in transitions if len(t) == 4 for a, b in [t[:2]]}
    assert {(0, 1, "so"), (1, 2, "we"), (2, 3, "we"), (3, 4, "study")} <= words
    assert all((i, i, "<sil>") in words for i in range(5))
    assert all((i, i, filler) in words for i in range(5) for filler in FILLERS)
    assert (0, 0, "so") in words and (1, 1, "we") not in words  # "we we": a repeat could not be told apart
    assert (3, 3, "study") not in words  # only short words are repeated
    assert {t[:2] for t in transitions if len(t) == 3} == {(0, 1), (1, 2), (2, 3), (3, 4)}  # skips


def test_words_known_to_be_said_cannot_be_skipped() -> None:
    """The transcript's words in aligner.retrace: only the optional one may be skipped, and at the cost of
    saying it."""
    transitions = _grammar(["so", "we", "study"], optional=[1], said=[0, 2])
    skips = {t[:2]: t[2] for t in transitions if len(t) == 3}
    assert skips == {(1, 2): 1.0}


def test_following_the_decoded_path() -> None:
    names = ["i", "think", "so"]
    path = [("aligner-filler-um", 0, 100), ("i", 100, 200), ("i", 200, 300), ("think", 300, 600), ("so", 650, 900)]
    assert _follow(path, names) == [(200, 300), (300, 600), (650, 900)]  # the second "i" is the word
    assert _follow([("i", 0, 100), ("so", 100, 300)], names) == [(0, 100), None, (100, 300)]  # "think" skipped
    assert _follow([("so", 0, 100), ("i", 100, 200)], names) is None  # out of order: not these words


def test_a_filler_or_a_first_saying_ends_the_pause_before_a_word() -> None:
    names = ["so", "we", "still"]
    path = [("so", 0, 200), ("aligner-filler-um", 500, 700), ("we", 700, 800), ("we", 800, 900), ("still", 1000, 1300)]
    so, we, still = _placed(_follow(path, names), path, 1500)
    assert (we.start_ms, we.pause_before_ms, we.pause_after_ms) == (800, 0, 100)  # "we" abuts its first saying
    assert (so.pause_before_ms, so.pause_after_ms) == (0, 300)  # silence up to the "um", not up to "we"
    assert (still.pause_before_ms, still.pause_after_ms) == (100, 200)  # the window's end counts as pause


def test_first_phones_come_from_every_pronunciation_in_the_dictionary() -> None:
    """What the refiner asks before it looks for a faint fricative: the real decoder's dictionary."""
    from aligner.refine.sphinx import SphinxAligner

    aligner = SphinxAligner()
    see, started, the = (aligner.word_name(w) for w in ("see", "Started,", "the"))
    assert see and started and the
    assert aligner.first_phones(see) == {("S", "IY")}
    assert aligner.first_phones(started) == {("S", "T")}
    assert aligner.first_phones(the) == {("DH", "AH"), ("DH", "IY")}
    number = aligner.word_name("193")  # an entry of the aligner's own: "one ninety three", "a hundred ninety three"
    assert number and aligner.first_phones(number) == {("W", "AH"), ("AH", "HH")}
