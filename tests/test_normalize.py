"""Tests for aligner.normalize: keys, contractions, numbers, fillers, and a seeded property."""

from __future__ import annotations

import random
import re

import pytest

from aligner.normalize import is_filler, word_keys

KEY = re.compile(r"[a-z0-9]+")


@pytest.mark.parametrize(
    ("word", "primary"),
    [
        ("What's", "whats"),
        ("neuro-AI", "neuroai"),
        ("\u201cBrain", "brain"),
        ("Inspired,\u201d", "inspired"),
        ("U.S.", "us"),
        ("Ölveczky.", "olveczky"),
        ("Kelty-Stephen,", "keltystephen"),
        ("it\u2019s", "its"),  # curly apostrophe
        ("it\u02bcs", "its"),  # modifier letter apostrophe
        ("it's\u2014", "its"),  # a dash kept on the token
        ("how--", "how"),
        ("ＡＢＣ", "abc"),  # full-width, through NFKC
        ("Straße", "strasse"),  # casefold
        ("Łódź", "lodz"),
        ("thetransmitter.org,", "thetransmitterorg"),
        ("40%", "40"),
        ("$5", "5"),
        ("1,000", "1000"),
        ("2024 |", "2024"),
        ("x²", "x2"),
    ],
)
def test_primary_key(word: str, primary: str) -> None:
    assert word_keys(word)[0] == primary


@pytest.mark.parametrize(
    "word", ["", " ", "\u2014", "--", "&", "...", "\u201c", "[", "%", "$", "\u266a", "мир", "你好"]
)
def test_words_without_ascii_letters_or_digits_have_no_keys(word: str) -> None:
    assert word_keys(word) == ()


@pytest.mark.parametrize(
    ("word", "keys"),
    [
        ("I'm", ("im", "iam")),
        ("don't", ("dont", "donot")),
        ("Doesn\u2019t", ("doesnt", "doesnot")),
        ("can't", ("cant", "cannot")),
        ("won't", ("wont", "willnot")),
        ("it's", ("its", "itis", "ithas")),
        ("What's", ("whats", "whatis", "whathas")),
        ("they're", ("theyre", "theyare")),
        ("we've", ("weve", "wehave")),
        ("you'll", ("youll", "youwill")),
        ("he'd", ("hed", "hewould", "hehad")),
        ("let's", ("lets", "letus")),
        ("y'all", ("yall", "youall")),
        ("gonna", ("gonna", "goingto")),
        ("wanna", ("wanna", "wantto")),
        ("gotta", ("gotta", "gotto")),
        ("couldn't've", ("couldntve", "couldnthave", "couldnothave")),
        ("OK,", ("ok", "okay")),
        ("okay", ("okay", "ok")),
        ("Paul's", ("pauls",)),  # a possessive, not "Paul is"
        ("ain't", ("aint",)),
    ],
)
def test_contractions(word: str, keys: tuple[str, ...]) -> None:
    assert word_keys(word) == keys


@pytest.mark.parametrize(
    ("word", "keys"),
    [
        (
            "193",
            (
                "193",
                "onehundredninetythree",
                "onehundredandninetythree",
                "oneninetythree",
                "ahundredninetythree",
                "ahundredandninetythree",
            ),
        ),
        ("1,000", ("1000", "onethousand", "athousand")),
        ("2024", ("2024", "twentytwentyfour", "twothousandtwentyfour", "twothousandandtwentyfour")),
        (
            "1995",
            ("1995", "nineteenninetyfive", "onethousandninehundredninetyfive", "onethousandninehundredandninetyfive"),
        ),
        ("2005", ("2005", "twothousandfive", "twothousandandfive", "twentyohfive")),
        ("2000", ("2000", "twothousand")),
        ("1905", ("1905", "nineteenohfive", "onethousandninehundredfive", "onethousandninehundredandfive")),
        ("1500", ("1500", "fifteenhundred", "onethousandfivehundred")),
        ("1,995", ("1995", "onethousandninehundredninetyfive", "onethousandninehundredandninetyfive")),
        ("40%", ("40", "fortypercent", "40percent")),
        ("1st", ("1st", "first")),
        ("21st", ("21st", "twentyfirst")),
        ("3rd", ("3rd", "third")),
        ("12th", ("12th", "twelfth")),
        ("20th", ("20th", "twentieth")),
        ("3.5", ("35", "threepointfive")),
        ("0.5", ("05", "zeropointfive", "pointfive")),
        ("$5", ("5", "fivedollars", "5dollars")),
        ("$1", ("1", "onedollar", "1dollar")),
        ("1990s", ("1990s", "nineteennineties", "nineties")),
        ("90s", ("90s", "nineties")),
        ("\u201990s", ("90s", "nineties")),
        ("5k", ("5k", "fivethousand", "fivek")),
        ("007", ("007", "zerozeroseven", "ohohseven")),
        ("11", ("11", "eleven")),
        ("GPT-4", ("gpt4", "gptfour")),
        (
            "193.",
            (
                "193",
                "onehundredninetythree",
                "onehundredandninetythree",
                "oneninetythree",
                "ahundredninetythree",
                "ahundredandninetythree",
            ),
        ),
    ],
)
def test_numbers(word: str, keys: tuple[str, ...]) -> None:
    assert word_keys(word) == keys


def test_large_numbers() -> None:
    assert "onemillion" in word_keys("1,000,000")
    assert "twelvebillionthreehundredfortyfivemillionsixhundredseventyeightthousandninehundredone" in word_keys(
        "12,345,678,901"
    )
    assert word_keys("1" * 16) == ("1" * 16,)  # too long to be said as a number
    assert word_keys("9" * 5000) == ("9" * 5000,)  # past Python's int-from-str limit: no error


@pytest.mark.parametrize("word", ["ninety", "twenty-four", "hundred", "first"])
def test_number_words_are_not_turned_into_digits(word: str) -> None:
    keys = word_keys(word)
    assert len(keys) == 1 and not any(c.isdigit() for c in keys[0])


@pytest.mark.parametrize(
    ("written", "heard"),
    [
        ("193", "one hundred ninety-three"),
        ("193", "one ninety three"),
        ("2024", "twenty twenty-four"),
        ("2005", "two thousand and five"),
        ("40%", "forty percent"),
        ("40%", "40 percent"),
        ("1,000", "a thousand"),
        ("21st", "twenty-first"),
        ("$5", "five dollars"),
        ("1990s", "the nineties"),
        ("don't", "do not"),
        ("I'm", "I am"),
        ("gonna", "going to"),
        ("neuro-AI", "neuro AI"),
        ("OK", "okay"),
    ],
)
def test_a_written_form_meets_the_concatenated_spoken_words(written: str, heard: str) -> None:
    spoken = heard.removeprefix("the ")
    concatenated = "".join(word_keys(w)[0] for w in spoken.split())
    assert concatenated in word_keys(written)


@pytest.mark.parametrize(
    "key", ["um", "uh", "er", "erm", "ah", "eh", "hmm", "hm", "mm", "mhm", "uhm", "umm", "uhh", "ummm", "hmmm", "mmm"]
)
def test_fillers(key: str) -> None:
    assert is_filler(key)
    assert is_filler(word_keys(key.capitalize() + ",")[0])


@pytest.mark.parametrize("key", ["", "a", "m", "i", "so", "like", "uhhuh", "ham", "hum", "era", "ahead", "okay"])
def test_not_fillers(key: str) -> None:
    assert not is_filler(key)


def test_keys_are_deterministic_and_distinct() -> None:
    words = ["193", "2024", "it's", "1990s", "OK", "what's", "$5.50"]
    first = [word_keys(w) for w in words]
    word_keys.cache_clear()
    assert [word_keys(w) for w in words] == first
    for keys in first:
        assert len(keys) == len(set(keys))


def _random_word(rng: random.Random) -> str:
    """A short string mixing ASCII, punctuation, digits of several scripts, marks and any code point."""
    pools = [
        "abcXYZ'\u2019-.,$%\u00a3\u20ac0123456789",
        "\u0301\u0308\u0327\u200b\u00ad\ufeff",  # combining marks, zero-width, soft hyphen, BOM
        "\u0663\u0969\uff13\u00b2\u2167\u2460",  # Arabic-Indic, Devanagari, full-width digits, superscript, numerals
        "ßİıŁøæœÞðǅﬁ",  # letters with special casefold or no decomposition
    ]
    chars = []
    for _ in range(rng.randint(0, 12)):
        if rng.random() < 0.25:
            chars.append(chr(rng.randint(0, 0x10FFFF)))  # surrogates included
        else:
            chars.append(rng.choice(rng.choice(pools)))
    return "".join(chars)


@pytest.mark.parametrize("seed", range(20))
def test_word_keys_never_raises_and_returns_only_ascii_keys(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(500):
        word = _random_word(rng)
        keys = word_keys(word)
        assert isinstance(keys, tuple)
        assert all(isinstance(k, str) and KEY.fullmatch(k) for k in keys), (word, keys)
        assert len(keys) == len(set(keys)), (word, keys)
        assert word_keys(word) == keys
