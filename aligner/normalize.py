"""Matching keys for words: what the transcript and the recognizer agree on.

The transcript is edited text ("It's 2024, the U.S. ...") and the recognizer
writes its own spelling of the same speech ("it is twenty twenty-four, the US
..."). Both sides go through :func:`word_keys`, and the aligner pairs words
whose keys meet. A key is plain ``[a-z0-9]+``: case, accents, apostrophes,
hyphens and punctuation never decide a match.

One written word can be said several ways, so :func:`word_keys` returns the
primary key (the word's letters and digits) followed by alternative spoken
forms. Alternatives that take several spoken words are concatenated without
spaces ("don't" -> "donot"), because the aligner compares concatenations of
consecutive words: "do" + "not" on the recognizer's side meets the transcript's
"don't". Digits are expanded into words ("193" -> "onehundredninetythree"), never
the reverse: the recognizer's "one hundred ninety three" concatenates to the
same key, so number words need no rule of their own.

Only ASCII letters and digits survive. Accented Latin letters lose their marks
(Ölveczky -> olveczky); words in other scripts have no key and are skipped by
the aligner, which suits the English-only models we ship.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["APOSTROPHES", "is_filler", "word_keys"]

APOSTROPHES = str.maketrans({c: "'" for c in "\u2019\u2018\u02bc\u02bb\u2032\u00b4`\uff07\u201b"})
"""Apostrophe look-alikes that editors and recognizers use interchangeably, as a str.translate table
(the pronunciations of :mod:`aligner.refine.pronounce` fold them the same way)."""

# Latin letters that carry no combining mark to strip (NFD leaves them whole).
_TRANSLIT = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i", "ħ": "h", "ŧ": "t"}
)

_NOT_KEY = re.compile(r"[^a-z0-9]+")
_EDGE_PUNCT = re.compile(r"^[^a-z0-9$£€]+|[^a-z0-9%]+$")

_FILLER = re.compile(r"^(?:u+h+|u+m+|u+h+m+|h+m+|m{2,}|m+h+m+|e+r+|e+r+m+|a+h+|e+h+)$")

# --- contractions ---------------------------------------------------------

# Whole words with an irregular expansion.
_IRREGULAR: dict[str, tuple[str, ...]] = {
    "can't": ("cannot",),
    "won't": ("willnot",),
    "shan't": ("shallnot",),
    "let's": ("letus",),
    "y'all": ("youall",),
    "ain't": (),  # am not, is not, are not, has not...: too many to guess
    "gonna": ("goingto",),
    "wanna": ("wantto",),
    "gotta": ("gotto",),
    "gimme": ("giveme",),
    "lemme": ("letme",),
    "kinda": ("kindof",),
    "sorta": ("sortof",),
    "dunno": ("dontknow", "donotknow"),
    "cause": ("because",),
    "cuz": ("because",),
    "cos": ("because",),
    # Spelling variants the recognizer and editors disagree on.
    "ok": ("okay",),
    "okay": ("ok",),
    "alright": ("allright",),
    "vs": ("versus",),
    "etc": ("etcetera",),
    "mr": ("mister",),
    "dr": ("doctor",),
}

# Suffix contractions: written suffix -> spoken word(s) replacing it.
_SUFFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("n't", ("not",)),
    ("'re", ("are",)),
    ("'ve", ("have",)),
    ("'ll", ("will",)),
    ("'d", ("would", "had")),
    ("'m", ("am",)),
    ("'s", ("is", "has")),
)

# "'s" is a possessive after most words ("Paul's"); expand it only where it is
# commonly a contraction, so "paulis" never becomes a key.
_S_CONTRACTS = frozenset(
    "it he she that what there here who where how when why this everything nothing something "
    "someone somebody everyone everybody one".split()
)

# --- numbers ----------------------------------------------------------------

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))
_MAX_SPOKEN = 10**15  # numbers this large are not said digit group by digit group

_NUMBER = re.compile(
    r"^(?P<cur>[$£€])?(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]+))?"
    r"(?P<suf>%|k|'?s|st|nd|rd|th)?$"
)
_CURRENCY = {"$": ("dollar", "dollars"), "£": ("pound", "pounds"), "€": ("euro", "euros")}
_DIGIT_RUN = re.compile(r"[0-9]+")


def _words(n: int, british: bool = False) -> str:
    """Cardinal ``n`` as concatenated words; ``british`` adds "and" (one hundred and five)."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + (_ONES[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        head = _ONES[n // 100] + "hundred"
        return head + (("and" if british else "") + _words(rest) if rest else "")
    for scale, name in _SCALES:
        if n >= scale:
            head_n, rest = divmod(n, scale)
            head = _words(head_n, british) + name
            if not rest:
                return head
            return head + ("and" if british and rest < 100 else "") + _words(rest, british)
    raise AssertionError("unreachable")  # pragma: no cover


def _cardinals(n: int) -> list[str]:
    """American then British cardinal: "onehundredfive", "onehundredandfive"."""
    return [_words(n), _words(n, british=True)]


def _a_forms(n: int) -> list[str]:
    """ "a hundred and five", "a thousand", "a million": said for 100-199 and round 10**3, 10**6."""
    if 100 <= n <= 199 or n in (1000, 10**6):
        return ["a" + f[3:] for f in _cardinals(n)]
    return []


def _pair(hi: int, lo: int) -> str:
    """Two-digit groups read as a pair: 19|95 -> nineteen ninety-five, 19|05 -> nineteen oh five."""
    return _words(hi) + ("oh" + _ONES[lo] if lo < 10 else _words(lo))


def _integer_forms(digits: str, *, grouped: bool) -> list[str]:
    """Spoken forms of an integer written in digits (separators removed).

    Years 1100-2099 lead with the paired reading (nineteen ninety-five), except
    2000-2009, which are usually said as cardinals (two thousand five) and get
    "twenty oh five" last. Three-digit numbers also get the paired reading
    (one ninety-three) and round four-digit hundreds "fifteen hundred". Numbers
    written with separators ("1,995") are never read as years or pairs.
    """
    if len(digits) > 1 and digits[0] == "0":
        return [
            "".join(_ONES[int(d)] for d in digits),
            "".join("oh" if d == "0" else _ONES[int(d)] for d in digits),
        ]
    n = int(digits)
    if n >= _MAX_SPOKEN:
        return []
    cardinals = _cardinals(n)
    hi, lo = divmod(n, 100)
    paired: list[str] = []
    if not grouped and 100 <= n <= 999 and lo:
        paired = [_pair(hi, lo)]
    elif not grouped and 1000 <= n <= 9999:
        if 2000 <= n <= 2009:
            paired = ["twentyoh" + _ONES[lo]] if lo else []
        elif lo and 1100 <= n <= 2099:
            return [_pair(hi, lo), *cardinals, *_a_forms(n)]
        elif not lo and hi % 10:
            hundreds = _words(hi) + "hundred"
            if 1100 <= n <= 2099:
                return [hundreds, *cardinals, *_a_forms(n)]
            paired = [hundreds]
    return [*cardinals, *paired, *_a_forms(n)]


_IRREGULAR_ORDINALS = (
    ("one", "first"), ("two", "second"), ("three", "third"), ("five", "fifth"),
    ("eight", "eighth"), ("nine", "ninth"), ("twelve", "twelfth"),
)  # fmt: skip


def _ordinal(form: str) -> str:
    """Cardinal words to ordinal words: "twentyone" -> "twentyfirst", "twenty" -> "twentieth"."""
    for cardinal, ordinal in _IRREGULAR_ORDINALS:
        if form.endswith(cardinal):
            return form[: -len(cardinal)] + ordinal
    if form.endswith("y"):
        return form[:-1] + "ieth"
    return form + "th"


def _plural(form: str) -> str:
    return form[:-1] + "ies" if form.endswith("y") else form + "s"


def _number_keys(word: str) -> list[str]:
    """Spoken forms of a numeric word ("$5", "40%", "1990s", "21st", "3.5", "5k"); [] if not one."""
    match = _NUMBER.match(word)
    if match is None:
        return []
    cur, frac, suf = match["cur"], match["frac"], match["suf"]
    int_digits = match["int"].replace(",", "")
    if len(int_digits) > 15 or (frac is not None and len(frac) > 15):
        return []
    if frac is None:
        forms = _integer_forms(int_digits, grouped="," in match["int"])
    else:
        point = "point" + "".join(_ONES[int(d)] for d in frac)
        forms = [_words(int(int_digits)) + point] + ([point] if int(int_digits) == 0 else [])
    if not forms:
        return []
    if suf in ("s", "'s"):
        value = int(int_digits)
        forms = [_plural(forms[0])]  # decades: "nineteen nineties", not "one thousand nine hundred nineties"
        if len(int_digits) == 4 and value % 10 == 0 and value % 100:
            forms.append(_plural(_TENS[(value % 100) // 10]))  # 1990s -> "the nineties"
    elif suf == "%":
        forms = [f + "percent" for f in forms] + [int_digits + (frac or "") + "percent"]
    elif suf == "k":
        forms = [f + "thousand" for f in forms] + [f + "k" for f in forms]
    elif suf in ("st", "nd", "rd", "th"):
        forms = [_ordinal(f) for f in _cardinals(int(int_digits))[:2]] if frac is None else []
    if cur and suf is None:
        one, many = _CURRENCY[cur]
        unit = one if frac is None and int(int_digits) == 1 else many
        money = [f + unit for f in forms[:2]]
        if frac is not None and len(frac) == 2:
            whole = _words(int(int_digits))
            cents = _words(int(frac))
            money = [whole + many + cents, whole + many + "and" + cents + "cents", whole + cents]
        forms = [*money, int_digits + (frac or "") + unit]
    return forms


def _contraction_keys(word: str) -> list[str]:
    """Expanded forms of a contraction or colloquial spelling ("don't" -> "donot")."""
    if word in _IRREGULAR:
        return list(_IRREGULAR[word])
    for suffix, spoken in _SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix):
            stem = word[: -len(suffix)]
            if suffix == "'s" and stem not in _S_CONTRACTS:
                return []
            if stem.endswith("'"):
                return []
            stems = [_NOT_KEY.sub("", stem), *_contraction_keys(stem)]
            return [s + w for s in stems for w in spoken if s]
    return []


def _mixed_keys(core: str) -> list[str]:
    """Letters with digits ("gpt4", "covid19"): spell the digit runs as cardinals."""
    if not (_DIGIT_RUN.search(core) and re.search(r"[a-z]", core)):
        return []

    def spell(match: re.Match[str]) -> str:
        digits = match.group()
        if len(digits) > 4 or (len(digits) > 1 and digits[0] == "0"):
            return digits
        return _words(int(digits))

    spelled = _DIGIT_RUN.sub(spell, core)
    return [spelled] if spelled != core else []


def _fold(text: str) -> str:
    """NFKC, casefold, one apostrophe, no diacritics: the form all rules read."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(APOSTROPHES)
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_TRANSLIT)


@functools.lru_cache(maxsize=65536)
def word_keys(text: str) -> tuple[str, ...]:
    """Matching keys of one written word, primary first, then spoken alternatives.

    The primary key is the word's ASCII letters and digits after folding case,
    compatibility forms and diacritics: "What's" -> "whats", "neuro-AI" ->
    "neuroai", "“Brain" -> "brain", "U.S." -> "us", "40%" -> "40", "$5" -> "5",
    "1,000" -> "1000". Keeping the digits as the primary key means a recognizer
    that also writes "40%" matches directly; the spoken forms are alternatives.

    Alternatives cover contractions ("it's" -> "itis", "ithas"), colloquial
    spellings ("gonna" -> "goingto"), and numbers written with digits:
    cardinals with and without "and", paired readings ("193" -> "oneninetythree",
    "2024" -> "twentytwentyfour"), percents ("fortypercent", "40percent"),
    ordinals ("21st" -> "twentyfirst"), decimals ("threepointfive"), currency
    ("fivedollars"), decades ("1990s" -> "nineteennineties", "nineties") and
    thousands ("5k" -> "fivethousand", "fivek").

    Memoized: an episode has ~30,000 words but a few thousand distinct ones.

    Args:
        text: one whitespace-free word as written, punctuation included.

    Returns:
        Distinct ``[a-z0-9]+`` keys in a fixed order; ``()`` when the word has
        no ASCII letters or digits (a lone dash, "&", a word in another script).
    """
    folded = _fold(text)
    primary = _NOT_KEY.sub("", folded)
    if not primary:
        return ()
    core = _EDGE_PUNCT.sub("", folded)
    alternatives = _number_keys(core)
    if not alternatives:
        alternatives = _contraction_keys(core) or _mixed_keys(primary)
    keys = [primary]
    for key in alternatives:
        key = _NOT_KEY.sub("", key)
        if key and key not in keys:
            keys.append(key)
    return tuple(keys)


def is_filler(key: str) -> bool:
    """Whether ``key`` (a primary key) is a hesitation sound, however drawn out.

    Edited transcripts drop "um" and "uh" that the recognizer keeps, so the
    aligner must not count them as words missing from the transcript. Covers
    um, uh, er, erm, ah, eh, hmm, hm, mm, mhm, uhm and their elongations
    (umm, uhhh, hmmm). Note that initials can fold to a filler key ("H.M." ->
    "hm"); callers decide whether to skip fillers on the transcript side.
    """
    return bool(_FILLER.match(key))
