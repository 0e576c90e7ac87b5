"""How alike two words are (aligner.similarity): exact keys, then edit distance for long enough words."""

from __future__ import annotations

import pytest

from aligner.similarity import MIN_FUZZY_SIMILARITY, align_letters, keys_similarity, string_similarity


def test_short_unlike_words_are_never_paired():
    assert string_similarity("the", "she") == 0.0
    assert keys_similarity(("in",), ("an",)) == 0.0


@pytest.mark.parametrize(
    ("a", "b", "similarity"),
    [
        ("carter", "carter", 1.0),
        ("carter", "karter", 1 - 1 / 6),
        ("olveczky", "olveski", 1 - 3 / 8),  # below the floor: a different word
        ("memory", "memories", 1 - 3 / 8),
        ("memory", "memorisations", 0.0),  # lengths too far apart to compare
        ("neuro", "neural", 1 - 2 / 6),
    ],
)
def test_string_similarity_is_one_minus_the_edit_distance_over_the_longer_length(a, b, similarity):
    assert string_similarity(a, b) == pytest.approx(similarity)
    assert string_similarity(b, a) == string_similarity(a, b)


def test_the_fuzzy_floor():
    assert string_similarity("carter", "karter") >= MIN_FUZZY_SIMILARITY > string_similarity("olveczky", "olveski")


def test_a_shared_alternative_key_is_an_exact_match():
    assert keys_similarity(("193", "one ninety three"), ("oneninetythree", "one ninety three")) == 1.0
    assert keys_similarity(("its", "it is"), ("its",)) == 1.0  # the primary keys agree
    assert keys_similarity(("carter",), ("karter",)) == string_similarity("carter", "karter")
    assert keys_similarity((), ("a",)) == keys_similarity(("a",), ()) == 0.0


def test_letters_line_up_with_the_letters_that_sound_alike() -> None:
    where = align_letters("cityplanners", "theheatplumbers")
    assert len(where) == 12 and where == sorted(where)  # one heard letter each, in order
    assert where[4] == "theheatplumbers".index("p")  # "planners" starts where "plumbers" does
    assert where[-1] == len("theheatplumbers") - 1
    assert align_letters("abc", "abc") == [0, 1, 2]
