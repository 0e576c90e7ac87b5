"""Short words leaning on the next moved to it (aligner.proclitics): the shapes moved and the ones left."""

from __future__ import annotations

import pytest

from aligner.proclitics import SAID_MS, proclitics_with_their_words
from aligner.types import TimedWord, TimingMethod, Token, TokenKind, WordStatus

SPHINX, ACOUSTIC = TimingMethod.SPHINX, TimingMethod.ACOUSTIC


def words(*spans: tuple[str, int, int, TimingMethod], speaker: str = "Ann") -> list[TimedWord]:
    return [
        TimedWord(Token(i, text, TokenKind.WORD, speaker, 0, 0, 1), s, e, WordStatus.MATCHED, 0.9, text, method)
        for i, (text, s, e, method) in enumerate(spans)
    ]


def test_an_a_on_a_filler_between_two_pauses_is_said_with_its_noun() -> None:
    """Seed 3: "Thompson, um a marine biologist", "a" placed on the "um"."""
    out = proclitics_with_their_words(
        words(("Thompson,", 10720, 11200, SPHINX), ("a", 11320, 11500, ACOUSTIC), ("marine", 11750, 12120, SPHINX))
    )
    assert (out[1].start_ms, out[1].end_ms) == (11750 - SAID_MS, 11750)
    assert (out[2].start_ms, out[0].end_ms) == (11750, 11200)  # its neighbours stay
    assert out[1].method is ACOUSTIC


def test_an_a_squeezed_against_the_word_before_a_pause_is_said_with_its_noun() -> None:
    """Festival: "Martin Wilson, a marine biologist", "a" given the three frames after "Wilson,"."""
    out = proclitics_with_their_words(
        words(("Wilson,", 8740, 9090, SPHINX), ("a", 9090, 9120, SPHINX), ("marine", 9340, 9710, SPHINX))
    )
    assert (out[1].start_ms, out[1].end_ms) == (9290, 9340)


@pytest.mark.parametrize(
    ("spans", "why"),
    [
        (
            [("it's", 1000, 1200, SPHINX), ("a", 1200, 1450, SPHINX), ("marine", 1800, 2100, SPHINX)],
            "a hesitating 'a...' drawn out after the word before it",
        ),
        (
            [("ride", 1000, 1200, SPHINX), ("a", 1200, 1250, SPHINX), ("bike", 2100, 2400, SPHINX)],
            "run on from the word before it, not squeezed (50 ms): said there",
        ),
        (
            [("Thompson,", 1000, 1200, SPHINX), ("a", 1350, 1500, SPHINX), ("marine", 1560, 1900, SPHINX)],
            "no pause before its noun",
        ),
        (
            [
                ("Thompson,", 1000, 1200, SPHINX),
                ("a", 1350, 1500, SPHINX),
                ("marine", 1800, 2100, TimingMethod.WHISPER),
            ],
            "its noun not placed by the aligner: no start to go by",
        ),
        (
            [("Thompson,", 1000, 1200, SPHINX), ("of", 1350, 1500, SPHINX), ("marine", 1800, 2100, SPHINX)],
            "not a word that leans on the next",
        ),
        (
            [("said", 1000, 1200, SPHINX), ("I.", 1350, 1500, SPHINX), ("Marine", 1800, 2100, SPHINX)],
            "punctuated: it ends a phrase",
        ),
    ],
)
def test_other_shapes_stay(spans: list[tuple[str, int, int, TimingMethod]], why: str) -> None:
    given = words(*spans)
    assert proclitics_with_their_words(given) == tuple(given), why


def test_an_article_of_another_speaker_stays() -> None:
    given = words(("Thompson,", 1000, 1200, SPHINX), ("a", 1350, 1500, SPHINX), ("marine", 1800, 2100, SPHINX))
    given[2] = TimedWord(
        Token(2, "marine", TokenKind.WORD, "Bob", 1, 0, 1), 1800, 2100, WordStatus.MATCHED, 0.9, "marine", SPHINX
    )
    assert proclitics_with_their_words(given) == tuple(given)


def test_the_on_a_removed_uh_and_i_after_a_sentence_are_said_with_the_next_word() -> None:
    """Held-out telephone "Uh, the numbers"; espeak's "crazy. I was lucky"."""
    out = proclitics_with_their_words(
        words(("gone.", 67000, 67500, SPHINX), ("The", 68750, 68867, SPHINX), ("numbers", 69083, 69580, SPHINX))
    )
    assert (out[1].start_ms, out[1].end_ms) == (69083 - SAID_MS, 69083)
    out = proclitics_with_their_words(
        words(("crazy.", 155880, 156500, SPHINX), ("I", 156500, 156530, SPHINX), ("was", 157200, 157370, SPHINX))
    )
    assert (out[1].start_ms, out[1].end_ms) == (157150, 157200)
