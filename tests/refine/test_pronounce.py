"""Pronunciations for the forced aligner (aligner.refine.pronounce), on a small hand-made dictionary."""

from __future__ import annotations

from aligner.refine.pronounce import guess_phones, pronunciations, split_into_words

WORDS = {
    "one": "W AH N",
    "ninety": "N AY N T IY",
    "three": "TH R IY",
    "hundred": "HH AH N D R AH D",
    "a": "AH",
    "and": "AH N D",
    "percent": "P ER S EH N T",
    "deep": "D IY P",
    "learning": "L ER N IH NG",
    "carter": "K AA R T ER",
    "ne": "N IY",  # a letter-name style entry that must not be used as a part
}


def test_split_into_words_takes_the_fewest_parts_and_no_short_junk() -> None:
    assert split_into_words("oneninetythree", WORDS.get) == ["one", "ninety", "three"]
    assert split_into_words("ahundredandninetythree", WORDS.get) == ["a", "hundred", "and", "ninety", "three"]
    assert split_into_words("carters", WORDS.get) == ["carter", "s"]
    assert split_into_words("neone", WORDS.get) is None
    assert split_into_words("", WORDS.get) == []


def test_numbers_get_each_spoken_form_as_an_alternative() -> None:
    forms = pronunciations("193,", WORDS.get)
    assert "W AH N N AY N T IY TH R IY" in forms  # one ninety three
    assert "W AH N HH AH N D R AH D N AY N T IY TH R IY" in forms  # one hundred ninety three
    assert pronunciations("%", WORDS.get) == ("P ER S EH N T",)


def test_dictionary_words_and_compounds() -> None:
    assert pronunciations("Carter.", WORDS.get) == ("K AA R T ER",)
    assert pronunciations("deep-learning", WORDS.get) == ("D IY P L ER N IH NG",)
    assert pronunciations("Carter's", WORDS.get) == ("K AA R T ER Z",)


def test_unknown_words_are_guessed_and_symbols_without_letters_are_skipped() -> None:
    assert pronunciations("Ölveczky", WORDS.get) == (guess_phones("olveczky"),)
    assert guess_phones("olveczky") == "AA L V EH K Z K IY"
    assert guess_phones("knight") == "N AY T"
    assert guess_phones("cycle") == "S IH K L"
    assert pronunciations("—", WORDS.get) == ()
