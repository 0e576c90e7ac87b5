"""The Markdown and plain-text reader (aligner.readers.markdown): one fixture per quirk, spans, errors, generated documents."""

from __future__ import annotations

import html
import os
import random
import re
from pathlib import Path

import pytest

from aligner.errors import TranscriptError
from aligner.readers import read_transcript
from aligner.readers.markdown import parse_text
from aligner.types import Token, TokenKind, Transcript

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "transcripts"
EXPORTS = FIXTURES / "exports"
REAL = FIXTURES / "real_example.md"
KIM = "Kim Stachenfeld"
PAUL = "Paul Middlebrooks"
GOOD_FIXTURES = sorted(
    p.name
    for p in FIXTURES.iterdir()
    if p.is_file()  # exports/ holds exports of other formats, read by their readers' tests
    and p.name not in {"empty.md", "latin1.md", "utf16.md", "notes_only.md", "unclosed_comment.md"}
    and p.suffix != ".docx"  # a zip archive: tests/readers/test_docx.py reads it
)
MARKUP = set("*_`\\[]()<>!#")


def read(path: Path) -> Transcript:
    """A file read by this reader: as Markdown for ``.md``/``.markdown``, as plain text otherwise."""
    markdown = path.suffix.lower() in (".md", ".markdown")
    return read_transcript(path, transcript_format="markdown" if markdown else "text")


def texts(transcript: Transcript) -> list[str]:
    return [t.text for t in transcript.tokens]


def by_speaker(transcript: Transcript) -> list[tuple[str, str | None]]:
    return [(t.text, t.speaker) for t in transcript.tokens]


def source_of(path: Path) -> str:
    """The decoded text that spans index: UTF-8 with a BOM removed."""
    return path.read_bytes().removeprefix(b"\xef\xbb\xbf").decode("utf-8")


def assert_spans(source: str, tokens: tuple[Token, ...]) -> None:
    """Every token's span covers exactly its visible characters, in order.

    ``source[start:end] == text`` unless markup was removed inside the token
    or an HTML entity decoded in it; then the slice (with its entities
    decoded, where the text has them decoded) holds markup or equals the
    text, starts and ends with the token's first and last characters, and
    contains the text as a subsequence.
    """
    previous_end = 0
    for position, token in enumerate(tokens):
        assert token.index == position
        assert token.text and token.text == token.text.strip()
        assert previous_end <= token.start_char < token.end_char <= len(source)
        previous_end = token.end_char
        piece = source[token.start_char : token.end_char]
        if piece != token.text:
            assert any(_covers(shown, token.text) for shown in (piece, html.unescape(piece))), (token, piece)
    paragraphs = [t.paragraph for t in tokens]
    assert paragraphs == sorted(paragraphs)
    assert set(paragraphs) == set(range(len(set(paragraphs))))  # dense: 0, 1, 2...


def _covers(piece: str, text: str) -> bool:
    """A span's characters, markup and all, show ``text`` (see :func:`assert_spans`)."""
    if piece == text:
        return True
    remaining = iter(piece)
    shown = piece[0] == text[0] and piece[-1] == text[-1] and all(c in remaining for c in text)
    return bool(MARKUP & set(piece)) and shown


# --- speaker labels -------------------------------------------------------------------


def test_speaker_heading() -> None:
    t = read(FIXTURES / "speaker_heading.md")
    assert t.speakers == (KIM, PAUL)
    assert by_speaker(t) == [
        ("I", KIM), ("don't", KIM), ("think", KIM), ("so.", KIM),
        ("OK,", PAUL), ("all", PAUL), ("right.", PAUL),
        ("Yes.", KIM),
    ]  # fmt: skip
    assert [t.paragraph for t in t.tokens] == [0, 0, 0, 0, 1, 1, 1, 2]
    assert not any(tok.is_heading for tok in t.tokens)


def test_speaker_bold_with_and_without_blank_line_after_label() -> None:
    t = read(FIXTURES / "speaker_bold.md")
    assert t.speakers == (KIM, PAUL)
    assert by_speaker(t) == [
        ("[laughs]", KIM), ("I", KIM), ("guess.", KIM),
        ("OK,", PAUL), ("all", PAUL), ("right.", PAUL),
        ("Yes.", KIM), ("It", KIM), ("starts", KIM), ("doing", KIM), ("different", KIM), ("things.", KIM),
    ]  # fmt: skip
    assert t.tokens[0].kind is TokenKind.NOTE


def test_speaker_heading_bold_and_title_heading() -> None:
    t = read(FIXTURES / "speaker_heading_bold.md")
    assert t.speakers == (PAUL, KIM)
    title = [tok for tok in t.tokens if tok.is_heading]
    assert [tok.text for tok in title] == "Kim Stachenfeld on the dance between neuroscience and AI".split()
    assert all(tok.speaker is None and tok.kind is TokenKind.WORD for tok in title)
    assert [(x.text, x.speaker) for x in t.tokens if not x.is_heading] == [
        ("One", PAUL), ("of", PAUL), ("the", PAUL), ("things.", PAUL),
        ("Yes.", KIM),
        ("I", PAUL), ("know", PAUL), ("that.", PAUL),
    ]  # fmt: skip


def test_speaker_colon_labels_start_turns_anywhere_in_a_block() -> None:
    t = read(FIXTURES / "speaker_colon.md")
    assert t.speakers == (PAUL, KIM)
    assert by_speaker(t) == [
        ("Is", PAUL), ("it", PAUL), ("fair", PAUL), ("to", PAUL), ("say", PAUL), ("that", PAUL),
        ("DeepMind", PAUL), ("failed?", PAUL),
        ("I", KIM), ("don't", KIM), ("think", KIM), ("so.", KIM),
        ("OK,", PAUL), ("all", PAUL), ("right.", PAUL),
        ("Here's", KIM), ("the", KIM), ("thing:", KIM), ("it", KIM), ("was", KIM), ("about", KIM), ("time.", KIM),
        # "Remember:" is used once: a word, not a speaker.
        ("Remember:", KIM), ("that's", KIM), ("true.", KIM),
    ]  # fmt: skip
    assert [x.paragraph for x in t.tokens if x.text in ("Is", "I", "OK,", "Here's", "Remember:")] == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        ("### Ana de la Cruz\n\nHola.\n", ("Ana de la Cruz",)),
        ("**J. R. Smith**\n\nHi.\n", ("J. R. Smith",)),
        ("**Damian Kelty-Stephen**\n\nHi.\n", ("Damian Kelty-Stephen",)),
        ("**Bence Ölveczky**\n\nHi.\n", ("Bence Ölveczky",)),
        ("**Speaker 2**\n\nHi.\n", ("Speaker 2",)),
        ("**Kim:**\n\nHi.\n\n**Paul**:\n\nHo.\n", ("Kim", "Paul")),
        ("Q: Why?\n\nA: Because.\n\nQ: Really?\n\nA: Yes.\n", ("Q", "A")),
        ("# Kim\n\nHi.\n\n# Kim\n\nAgain.\n", ("Kim",)),  # a level-1 name used twice is a label
        # In a labelled file a "Name:" used once counts if it has several words or is in capitals.
        ("Kim Stachenfeld: Hi.\n\nPaul Middlebrooks: Ho.\n\nKim Stachenfeld: Bye.\n", (KIM, PAUL)),
        ("Speaker 1: Hi.\nSpeaker 2: Ho.\nSpeaker 1: Bye.\n", ("Speaker 1", "Speaker 2")),
        ("KIM: Hi.\n\nPAUL: Ho.\n\nKIM: Bye.\n", ("KIM", "PAUL")),
    ],
)
def test_name_shapes_that_are_labels(text: str, speakers: tuple[str, ...]) -> None:
    assert parse_text(text).speakers == speakers


@pytest.mark.parametrize(
    "text",
    [
        "# Brain Inspired\n\nHello there.\n",  # a title once: not a speaker
        "### So what I think is this\n\nHello.\n",  # a sentence
        "### Show Notes\n\nHello.\n",  # a section word
        "**Important note about the episode and its many guests**\n\nHello.\n",  # too many words
        "**Episode 193**\n\nHello.\n",  # digits only after a role word
        "Remember: once is prose.\n",
        "Kim: a colon label used once is prose.\n",
    ],
)
def test_name_shapes_that_are_not_labels(text: str) -> None:
    t = parse_text(text)
    assert t.speakers == ()
    assert all(tok.speaker is None for tok in t.tokens)


def test_one_word_colon_label_used_once_opens_a_turn_like_the_files_other_labels() -> None:
    # Issue 13 item 3 changed this: "Paul:" was text because one-word labels needed two uses; it opens
    # a paragraph exactly as the file's "Kim:" labels do, so it is a speaker who talks once.
    t = parse_text("Kim: Hi.\n\nPaul: Ho.\n\nKim: Bye.\n")
    assert t.speakers == ("Kim", "Paul")
    assert by_speaker(t) == [("Hi.", "Kim"), ("Ho.", "Paul"), ("Bye.", "Kim")]


def test_one_word_colon_label_used_once_inside_a_paragraph_is_still_text() -> None:
    t = parse_text("Kim: Hi.\nand more\nPaul: Ho.\n\nKim: Bye.\n")
    assert t.speakers == ("Kim",)
    assert by_speaker(t) == [("Hi.", "Kim"), ("and", "Kim"), ("more", "Kim"), ("Paul:", "Kim"), ("Ho.", "Kim"),
                             ("Bye.", "Kim")]  # fmt: skip


# (text, speakers, words that must stay text): the structure rule, both sides.
_STRUCTURE_CASES = [
    # Labels by structure: a caller who talks once among the host's turns, and a caller after a one-line turn.
    ("Host: Hi.\n\nCasey: Hello.\n\nHost: Bye.\n", ("Host", "Casey"), []),
    ("Host: Hi.\nCasey: Hello.\nHost: Bye.\n", ("Host", "Casey"), []),
    ("Host: Hi.\nCasey: Hello.\nJordan: Me too.\nHost: Bye.\n", ("Host", "Casey", "Jordan"), []),
    # Each of two speakers talks once: no name is used twice, but the paragraphs open with labels.
    ("Casey: Hi, long-time listener.\n\nJane: Thanks for calling.\n", ("Casey", "Jane"), []),
    ("Paul Middlebrooks: Hi.\nKim Stachenfeld: Ho.\n", (PAUL, KIM), []),
    ("Casey: Hi.\n\nmore from Casey\n\nJane: Thanks.\n", ("Casey", "Jane"), []),  # half the paragraphs open so
    # Prose stays prose: sentence openers are never names, wherever they are.
    ("Host: Hi.\n\nRemember: it airs at noon.\n\nHost: Bye.\n", ("Host",), ["Remember:"]),
    ("Host: Hi.\nNote: edited.\nSo: there.\n\nHost: Bye.\n", ("Host",), ["Note:", "So:"]),
    ("Look: it works.\n\nHonestly: it does.\n", (), ["Look:", "Honestly:"]),
    ("Monday: rain.\n\nTuesday: sun.\n", (), ["Monday:", "Tuesday:"]),
    # ... and so is a lone "Name:" with nothing like it around: one paragraph, or one label.
    ("Kim: a colon label once is prose.\n\nAnd so is this paragraph.\n", (), ["Kim:"]),
    ("Casey: Hi.\n\nsome prose\n\nmore prose\n\nJane: there\n\nand more\n\nstill more\n", (), ["Casey:", "Jane:"]),
    # ... and a "Name:" paragraph in a file whose labels are another style (bold) is not in that style.
    ("**Host**\n\nHi.\n\nCasey: Hello.\n\n**Host**\n\nBye.\n", ("Host",), ["Casey:"]),
    ("**Host**\nCasey: Hello.\n\n**Host**\n\nBye.\n", ("Host",), ["Casey:"]),
]


@pytest.mark.parametrize(("text", "speakers", "prose"), _STRUCTURE_CASES)
def test_labels_by_structure(text: str, speakers: tuple[str, ...], prose: list[str]) -> None:
    t = parse_text(text)
    assert t.speakers == speakers
    assert [word for word in prose if word in texts(t)] == prose
    assert not [x.text for x in t.tokens if x.text.rstrip(":") in speakers and x.text.endswith(":")]


@pytest.mark.parametrize("markdown", [True, False])
def test_call_in_with_single_use_labels(markdown: bool) -> None:
    path = EXPORTS / "call_in_single_labels.txt"
    t = parse_text(source_of(path), markdown=markdown)
    assert t.speakers == ("Host", "Casey", "Jordan")
    turns = [(x.speaker, x.text) for x in t.tokens if not x.is_heading]
    assert [text for speaker, text in turns if speaker == "Casey"] == ["Hi!", "I've", "been", "listening", "for",
                                                                      "years."]  # fmt: skip
    assert [text for speaker, text in turns if speaker == "Jordan"] == ["Does", "sleep", "help", "memory?"]
    assert "Remember:" in texts(t) and "Note:" in texts(t)  # inside the host's turn, as text
    assert [x.text for x in t.tokens if x.is_heading] == ["Call-in", "Hour,", "episode", "13"]
    assert_spans(source_of(path), t.tokens)


def test_each_speaker_once() -> None:
    t = read(EXPORTS / "each_speaker_once.txt")
    assert t.speakers == ("Casey", "Jane")
    assert [(x.text, x.speaker) for x in t.tokens][:2] == [("Hi,", "Casey"), ("I've", "Casey")]
    assert t.tokens[-1].text == "think." and t.tokens[-1].speaker == "Jane"
    assert not any(x.is_heading for x in t.tokens)


# --- roles ------------------------------------------------------------------------------------


def test_role_labels_keep_the_name_as_speaker_and_the_role_apart() -> None:
    t = read(EXPORTS / "role_labels.md")
    assert t.speakers == ("Priya Mehta", "Dr. Lee", "Casey", "Caller")
    # Casey's later "(voicemail)" label does not change the role the first label gave.
    assert t.speaker_roles == (("Priya Mehta", "host"), ("Dr. Lee", "guest"), ("Casey", "caller"), ("Caller", "caller"))
    body = [(x.text, x.speaker) for x in t.tokens if not x.is_heading]
    assert body[:2] == [("Welcome", "Priya Mehta"), ("back", "Priya Mehta")]
    assert ("Thanks", "Dr. Lee") in body and ("Sorry,", "Casey") in body
    assert [x for x, who in body if who == "Caller"] == "Hi, this is my first time calling.".split()
    # No label reaches the words: "Casey" and "Mehta" are only ever written in labels.
    assert not [x.text for x in t.tokens if "(" in x.text or x.text.endswith(":") or x.text.startswith("[")]
    assert not {"Casey", "Mehta", "Mehta,", "(guest)", "(voicemail)"} & set(texts(t))
    assert_spans(source_of(EXPORTS / "role_labels.md"), t.tokens)


_ROLE_FORMS = [  # (text, first speaker, its role), read alike as Markdown and as plain text
    ("Casey (caller): Hi.\n\nHost: Hello.\n\nHost: Bye.\n", "Casey", "caller"),
    ("Priya Mehta, host: Hi.\n\nSam Carter: Ho.\n", "Priya Mehta", "host"),
    ("Jane, guest host: Hi.\n\nSam: Ho.\n", "Jane", "guest host"),
    ("[caller]\nHi, first time.\n\nHost: Welcome.\n\nHost: Bye.\n", "Caller", "caller"),
    ("[Caller 2]\n\nHi.\n", "Caller 2", "Caller 2"),
]
_MARKDOWN_ROLE_FORMS = [
    ("**Dr. Lee (guest)**\n\nHi.\n", "Dr. Lee", "guest"),
    ("**Casey (voicemail)**\nHi.\n", "Casey", "voicemail"),
    ("**Dr. Lee (guest):** Hi.\n\n**Host:** Ho.\n\n**Host:** Bye.\n", "Dr. Lee", "guest"),
    ("### Casey (voicemail)\n\nHi.\n", "Casey", "voicemail"),
]


@pytest.mark.parametrize(
    ("text", "speaker", "role", "markdown"),
    [(*case, True) for case in _ROLE_FORMS + _MARKDOWN_ROLE_FORMS] + [(*case, False) for case in _ROLE_FORMS],
)
def test_role_label_forms(text: str, speaker: str, role: str, markdown: bool) -> None:
    t = parse_text(text, markdown=markdown)
    assert t.speakers[0] == speaker
    assert dict(t.speaker_roles)[speaker] == role
    assert t.tokens[0].speaker == speaker
    assert not any(role in x.text or x.text.endswith(":") for x in t.tokens)


@pytest.mark.parametrize(
    "text",
    [
        "Kim, listen: it works.\n\nSam, look: no.\n",  # a comma then no role word is a sentence
        "[caller] Hi there.\n",  # a role-only line is alone on its line
        "[laughs]\n\nHi.\n",  # a note alone on its line is a note
        "Casey (00:01:02): Hi.\n",  # a time is no role (and one stamped line is no timestamped file)
    ],
)
def test_role_shapes_that_are_not_labels(text: str) -> None:
    t = parse_text(text)
    assert t.speakers == () and t.speaker_roles == ()


def test_speakers_listed_once_in_order_of_first_label() -> None:
    text = "**B**\n\nx\n\n**A**\n\ny\n\n**B**\n\nz\n\n**C**\n\nw\n"
    t = parse_text(text)
    assert t.speakers == ("B", "A", "C")
    assert [tok.speaker for tok in t.tokens] == ["B", "A", "B", "C"]


# --- plain text ---------------------------------------------------------------------


def test_plain_text_with_labels_keeps_markdown_characters() -> None:
    t = read(FIXTURES / "plain.txt")
    assert t.speakers == ("Paul", "Kim")
    assert [(x.text, x.speaker, x.is_heading) for x in t.tokens] == [
        ("Brain", None, True), ("Inspired,", None, True), ("episode", None, True), ("193", None, True),
        ("Welcome", "Paul", False), ("back.", "Paul", False), ("I'm", "Paul", False), ("*really*", "Paul", False),
        ("glad.", "Paul", False),
        ("Thanks", "Kim", False), ("for", "Kim", False), ("having", "Kim", False), ("me.", "Kim", False),
        ("[music]", "Kim", False),
        ("# not", "Paul", False), ("a", "Paul", False), ("heading,", "Paul", False), ("**not", "Paul", False),
        ("bold**", "Paul", False),
        ("Right.", "Kim", False),
    ]  # fmt: skip
    assert [x.kind for x in t.tokens if x.text == "[music]"] == [TokenKind.NOTE]


def test_plain_text_without_labels() -> None:
    t = read(FIXTURES / "plain_no_labels.txt")
    assert t.speakers == ()
    assert texts(t) == (
        "So this is a plain transcript with no labels. Remember: one colon line is not a turn. "
        "And a second paragraph."
    ).split()  # fmt: skip
    assert {x.speaker for x in t.tokens} == {None}
    assert not any(x.is_heading for x in t.tokens)
    assert [x.paragraph for x in t.tokens][-4:] == [1, 1, 1, 1]


def test_plain_text_hash_headings_are_headings() -> None:
    """A .txt exported from a Markdown editor keeps "# Title": the marks are not words, the title is heading matter."""
    t = read(EXPORTS / "plain_headings.txt")
    assert t.speakers == ("Jane", "Sam")
    assert [(x.text, x.is_section_title) for x in t.tokens if x.is_heading] == [
        ("Brain", True), ("Talk,", True), ("episode", True), ("12", True), ("Part", True), ("one", True),
    ]  # fmt: skip
    # "#1", a bare "#" and a "#" after a label stay text.
    assert [(x.text, x.speaker) for x in t.tokens if "#" in x.text] == [("#1", "Sam"), ("#", "Sam"), ("# is", "Jane")]
    assert_spans(source_of(EXPORTS / "plain_headings.txt"), t.tokens)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("# Title\n\nHi.\n", ["Title", "Hi."]),
        ("### Part two\n\nHi.\n", ["Part", "two", "Hi."]),
        ("#\n\nHi.\n", ["#", "Hi."]),  # bare marks: text
        ("#hashtag and #1\n", ["#hashtag", "and", "#1"]),  # no space after the marks: text
    ],
)
def test_plain_text_heading_shapes(text: str, words: list[str]) -> None:
    assert texts(parse_text(text, markdown=False)) == words


# --- HTML entities ------------------------------------------------------------------------------


def test_entities_are_decoded_and_spans_cover_them() -> None:
    path = EXPORTS / "entities.md"
    source = source_of(path)
    t = read(path)
    assert t.speakers == ("Kofi Sarpong", "Ama Owusu")
    assert texts(t) == [
        "I\u2019m", "out", "in", "the", "field", "today \u2014", "listen\u2026", "that\u2019s", "a", "wren.",
        "R &", "D", "budgets,", "90", "decibels,", "<loud>", "and", "&bogus;", "stays,", "and", "so", "does", "&amp;",
        "in", "code.",
    ]  # fmt: skip
    spans = {x.text: source[x.start_char : x.end_char] for x in t.tokens}
    assert spans["I\u2019m"] == "I&rsquo;m"  # the span covers the entity's source characters
    assert spans["that\u2019s"] == "that&#8217;s"
    assert spans["today \u2014"] == "today &mdash;"
    assert spans["listen\u2026"] == "listen&hellip;"
    assert spans["R &"] == "R &amp;"
    assert spans["<loud>"] == "&lt;loud&gt;"
    assert_spans(source, t.tokens)


@pytest.mark.parametrize(
    ("text", "markdown", "expected"),
    [
        ("90&nbsp;decibels\n", True, ["90", "decibels"]),  # a decoded space separates words
        ("it&mdash;what\n", True, ["it\u2014", "what"]),  # a decoded dash splits as a typed one
        ("&eacute;t&eacute;\n", True, ["\u00e9t\u00e9"]),
        ("&#x1F3B5; &#127925;\n", True, ["\U0001f3b5 \U0001f3b5"]),  # alone: lone symbols join, as typed ones do
        ("R&D AT&T &amp\n", True, ["R&D", "AT&T", "&amp"]),  # no ";": not a reference
        ("[R&amp;D](http://x.org/?a=1&amp;b=2)\n", True, ["R&D"]),
        ("I&rsquo;m\n", False, ["I&rsquo;m"]),  # plain text keeps what it says
    ],
)
def test_entity_shapes(text: str, markdown: bool, expected: list[str]) -> None:
    t = parse_text(text, markdown=markdown)
    assert texts(t) == expected
    assert_spans(text, t.tokens)


# --- notes, links, emphasis, dashes -----------------------------------------------------------


def test_sound_notes_are_notes_and_prose_in_parentheses_is_words() -> None:
    path = EXPORTS / "sound_notes.md"
    t = read(path)
    assert [x.text for x in t.tokens if x.kind is TokenKind.NOTE] == [
        "[Intro music]", "(upbeat music)", "[Ad break]", "\u266a Happy birthday to you \u266a", "[crosstalk]",
        "[Foreign]", "[inaudible 00:12:03]", "[Music]", "[Applause]", "\u266a\u266a",
    ]  # fmt: skip
    words = [x.text for x in t.tokens if x.kind is TokenKind.WORD]
    assert words[:4] == ["Welcome", "to", "the", "show."]
    assert words[-8:] == ["(see", "below)", "the", "music", "(the", "good", "kind)", "fades."]
    assert not {"Happy", "birthday", "[Intro", "music]", "(upbeat", "[Ad", "break]"} & set(words)
    assert t.tokens[0].text == "[Intro music]" and t.tokens[0].speaker == "Jane Miller"
    assert_spans(source_of(path), t.tokens)


def test_notes_inline_and_alone() -> None:
    t = read(FIXTURES / "notes_inline.md")
    assert [(x.text, x.kind) for x in t.tokens if x.kind is TokenKind.NOTE] == [
        ("[laughs]", TokenKind.NOTE),
        ("[laughter]", TokenKind.NOTE),
        ("(laughs)", TokenKind.NOTE),
        ("[crosstalk]", TokenKind.NOTE),
        ("[music]", TokenKind.NOTE),
        ("[Music]", TokenKind.NOTE),
        ("[inaudible 00:12:34]", TokenKind.NOTE),
    ]
    assert texts(t)[:3] == ["[laughs]", "I", "guess."]
    # A timestamp is dropped, prose in parentheses stays words, a link keeps its text.
    assert texts(t)[-7:] == ["and", "[inaudible 00:12:34]", "then", "(see", "below)", "Sam", "Gershman."]
    music = next(x for x in t.tokens if x.text == "[music]")
    assert music.speaker == KIM and music.paragraph == 1


def test_links_keep_text_and_drop_urls() -> None:
    t = read(FIXTURES / "links.md")
    assert texts(t) == [
        "All", "right,", "Kim", "Stachenfeld", "walks", "both", "lines.", "Visit", "thetransmitter.org,",
        "or", "see", "the", "paper", "and", "and", "https://braininspired.co", "and", "https://example.com/x.",
        "Subscribe", "to", '"Brain', 'Inspired"', "today.",
    ]  # fmt: skip
    assert t.speakers == (PAUL,)


def test_emphasis_and_quotes() -> None:
    t = read(FIXTURES / "emphasis_and_quotes.md")
    assert texts(t) == [
        "This", "is", "\u201cBrain", "Inspired,\u201d", "powered", "by", "The", "Transmitter.",
        "With", "The", "Transmitter's", "mission,", "it's", "really", "great", "and", "code", "too,",
        "snake_case", "stays,", "5 *", "3", "stays,", "and", "*literal*", "stars.",
    ]  # fmt: skip
    source = source_of(FIXTURES / "emphasis_and_quotes.md")
    transmitter = t.tokens[7]
    assert source[transmitter.start_char : transmitter.end_char] == "Transmitter*."  # span covers visible chars only
    assert source[t.tokens[6].start_char - 1] == "*"


def test_paragraph_split_mid_sentence_is_just_consecutive_tokens() -> None:
    t = read(FIXTURES / "paragraph_split_midsentence.md")
    assert texts(t) == (
        "Most recently, Kim at DeepMind has focused on more practical "
        "engineering questions, using deep-learning models."
    ).split()  # fmt: skip
    assert {x.speaker for x in t.tokens} == {KIM}
    assert [x.paragraph for x in t.tokens] == [0] * 10 + [1] * 5


def test_em_dash_and_lone_punctuation() -> None:
    t = read(FIXTURES / "em_dash.md")
    assert texts(t) == [
        "But", "it's\u2014", "what", "neural", "networks", "do.", "It", "was", "about", "DeepMind", "and", "how--",
        "So", "the", "mission\u2014", "Then", "how--", "so", "it", "goes.", "Yes \u2014", "no.", "R &", "D.",
        "From", "1990\u20131995,", "an", "a\u2013", "b", "test.", "\u2014Leading", "dash", "and", "-a", "thing.",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\u201c hello\n", ["\u201c hello"]),  # an opening mark joins the next word
        ("so ... yeah\n", ["so ...", "yeah"]),
        ("\u2014 and so\n", ["\u2014 and", "so"]),  # nothing before it: joins the next word
        ("word\n\u2014\nnext\n", ["word", "\u2014", "next"]),  # never across a line break
        ("word\n\u2014 next\n", ["word", "\u2014 next"]),
        ("[laughs] \u2014 yes\n", ["[laughs]", "\u2014 yes"]),  # never into a note
        ("hi\n\n\u2014\n", ["hi", "\u2014"]),  # alone in its paragraph: its own token
    ],
)
def test_lone_punctuation_joins_a_neighbour(text: str, expected: list[str]) -> None:
    assert texts(parse_text(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("> quoted words\n> more\n", ["quoted", "words", "more"]),
        ("- a bullet\n* another\n", ["a", "bullet", "another"]),
        ("Title\n=====\n\nBody.\n", ["Title", "Body."]),
        ("see `x * y` here\n", ["see", "x *", "y", "here"]),  # code is literal: its spaced "*" stays
        ("a <em>b</em> c<br>\n", ["a", "b", "c"]),
        ("note[^1] here\n\n[^1]: the footnote\n", ["note", "here"]),
        ("un*frigging*believable\n", ["unfriggingbelievable"]),
        ("a_b_c and __bold__\n", ["a_b_c", "and", "bold"]),
    ],
)
def test_other_markdown(text: str, expected: list[str]) -> None:
    assert texts(parse_text(text)) == expected


# --- title, byline, dividers, headings ------------------------------------------------------


def test_title_byline_disclaimer_and_closing_line_are_heading_matter() -> None:
    t = read(FIXTURES / "title_byline_divider.md")
    heading = [x.text for x in t.tokens if x.is_heading]
    body = [(x.text, x.speaker) for x in t.tokens if not x.is_heading]
    assert heading[:9] == "Kim Stachenfeld on the dance between neuroscience and AI".split()
    assert heading[9:18] == "As a researcher at DeepMind, she studies the brain.".split()
    assert heading[18:23] == ["11", "September", "2024 |", "by", "PAUL"]
    assert heading[23:30] == "MIDDLEBROOKS This transcript has been lightly edited.".split()
    assert heading[-4:] == ["Subscribe", "to", '"Brain', 'Inspired".']
    assert body == [("Neuroscience", KIM), ("is", KIM), ("fun.", KIM), ("Thanks.", PAUL)]
    assert all(x.speaker is None for x in t.tokens if x.is_heading)


def test_title_block_without_labels() -> None:
    t = read(FIXTURES / "title_byline_divider_no_labels.md")
    assert t.speakers == ()
    assert [x.text for x in t.tokens if not x.is_heading] == ["Neuroscience", "is", "fun.", "Thanks."]
    assert [x.text for x in t.tokens if x.is_heading][-2:] == ["Subscribe", "today."]
    assert [x.text for x in t.tokens if x.is_heading][:3] == ["Brain", "Inspired", "193"]


def test_a_divider_between_turns_is_not_a_closing_divider() -> None:
    text = "**Kim**\n\nOne.\n\n---\n\n**Paul**\n\nTwo.\n"
    t = parse_text(text)
    assert not any(x.is_heading for x in t.tokens)
    assert by_speaker(t) == [("One.", "Kim"), ("Two.", "Paul")]


def test_unlabelled_all_italic_file_keeps_its_body() -> None:
    t = parse_text("*Every paragraph italic.*\n\n*Still the body.*\n")
    assert not any(x.is_heading for x in t.tokens)


def test_mid_file_heading_is_heading_matter_with_no_speaker() -> None:
    t = parse_text("**Kim**\n\nOne.\n\n## Part two: the brain\n\nTwo.\n")
    assert [(x.text, x.speaker, x.is_heading) for x in t.tokens] == [
        ("One.", "Kim", False), ("Part", None, True), ("two:", None, True), ("the", None, True),
        ("brain", None, True), ("Two.", "Kim", False),
    ]  # fmt: skip


def test_only_headings_parses_as_heading_words() -> None:
    t = read(FIXTURES / "only_headings.md")
    assert texts(t) == ["Brain", "Inspired", "Episode", "193"]
    assert all(x.is_heading and x.kind is TokenKind.WORD for x in t.tokens)
    assert [x.paragraph for x in t.tokens] == [0, 0, 1, 1]


def test_html_comments_are_dropped_without_splitting_the_paragraph() -> None:
    t = read(FIXTURES / "html_comment.md")
    assert texts(t) == ["Hello", "there.", "Still", "the", "same", "paragraph."]
    assert {x.paragraph for x in t.tokens} == {0, 1}  # the hidden block sits between two lines, no blank line


# --- encodings and line endings -----------------------------------------------------------------


def test_crlf_fixture_really_has_crlf_and_parses_like_lf() -> None:
    data = (FIXTURES / "crlf.md").read_bytes()
    assert b"\r\n" in data and data.count(b"\n") == data.count(b"\r\n")
    crlf = read(FIXTURES / "crlf.md")
    lf = parse_text(data.decode("utf-8").replace("\r\n", "\n"))
    assert texts(crlf) == texts(lf) == ["I", "don't", "think", "so.", "OK,", "yes.", "All", "right\u2014", "fine."]
    assert crlf.speakers == (KIM, PAUL)
    assert [x.paragraph for x in crlf.tokens] == [x.paragraph for x in lf.tokens]


def test_bom_is_stripped_and_spans_index_the_text_after_it() -> None:
    assert (FIXTURES / "bom.md").read_bytes().startswith(b"\xef\xbb\xbf")
    t = read(FIXTURES / "bom.md")
    assert t.speakers == (KIM,)
    assert texts(t) == ["Hello", "there."]
    source = source_of(FIXTURES / "bom.md")
    assert source[t.tokens[0].start_char : t.tokens[0].end_char] == "Hello"


def test_bom_in_a_string_is_ignored_but_spans_still_index_the_string() -> None:
    text = "\ufeff**Kim**\n\nHi.\n"
    t = parse_text(text)
    assert t.speakers == ("Kim",)
    assert text[t.tokens[0].start_char : t.tokens[0].end_char] == "Hi."


# --- spans ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", GOOD_FIXTURES)
def test_spans_on_every_fixture(name: str) -> None:
    path = FIXTURES / name
    assert_spans(source_of(path), read(path).tokens)


# --- the real example --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> Transcript:
    return read(REAL)


@pytest.fixture(scope="module")
def real_source() -> str:
    return source_of(REAL)


def test_real_example_is_the_shared_example() -> None:
    shared = Path("/work/shared/examples/edited-transcript.md")
    if not shared.exists():
        pytest.skip("shared example not present")
    assert REAL.read_bytes() == shared.read_bytes()


def test_real_example_speakers(real: Transcript) -> None:
    assert real.speakers == (KIM, PAUL)
    body = [x for x in real.tokens if not x.is_heading]
    assert body[0].text == "Not" and body[0].speaker == KIM
    assert {x.speaker for x in body} == {KIM, PAUL}


def test_real_example_heading_matter(real: Transcript) -> None:
    title = "Kim Stachenfeld on the dance between neuroscience and artificial intelligence".split()
    assert texts(real)[: len(title)] == title
    front = [x for x in real.tokens if x.is_heading and x.index < 100]
    assert [x.text for x in front][-3:] == ["the", "transcription", "process."]  # the italic disclaimer
    assert "MIDDLEBROOKS" in [x.text for x in front]
    assert all(x.speaker is None for x in front)
    tail = [x.text for x in real.tokens if x.is_heading and x.index >= 100]
    assert tail == ["Subscribe", "to", '"Brain', 'Inspired"', "to", "receive", "alerts", "every", "time", "a", "new",
                    "podcast", "episode", "is", "released."]  # fmt: skip


def test_real_example_notes(real: Transcript, real_source: str) -> None:
    notes = [x for x in real.tokens if x.kind is TokenKind.NOTE]
    bracketed = re.findall(r"\[[^\]]*\](?!\()", real_source)
    assert len(notes) == len(bracketed) == 21
    assert [x.text for x in notes] == bracketed
    assert sum(x.text == "[music]" for x in notes) == 3
    assert all(real_source[x.start_char : x.end_char] == x.text for x in notes)


def test_real_example_has_no_markup_in_tokens(real: Transcript) -> None:
    assert not [x.text for x in real.tokens if "](" in x.text or "**" in x.text or "##" in x.text]
    assert not [x.text for x in real.tokens if x.kind is TokenKind.WORD and x.text.startswith("*")]


def test_real_example_spans(real: Transcript, real_source: str) -> None:
    assert_spans(real_source, real.tokens)


def test_real_example_details(real: Transcript) -> None:
    words = texts(real)
    at = words.index("it's\u2014")
    assert words[at - 1 : at + 2] == ["but", "it's\u2014", "what"]
    at = words.index("embodies")
    assert words[at - 2 : at] == ["Kim", "Stachenfeld"]
    assert real.tokens[at - 1].speaker == PAUL
    assert "Ölveczky." in words
    assert "\u201cBrain" in words and "Inspired,\u201d" in words
    assert "thetransmitter.org," in words
    assert "braininspired.co/podcast/193." in words


# --- errors -------------------------------------------------------------------------------------


def test_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(TranscriptError, match="is a directory") as error:
        read(tmp_path)
    assert error.value.path == str(tmp_path)
    assert str(tmp_path) in str(error.value)


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.md"
    with pytest.raises(TranscriptError, match="no such file") as error:
        read(missing)
    assert str(missing) in str(error.value)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "locked.md"
    path.write_text("Hello.\n", encoding="utf-8")
    path.chmod(0)
    try:
        with pytest.raises(TranscriptError, match="cannot be read") as error:
            read(path)
        assert str(path) in str(error.value)
    finally:
        path.chmod(0o644)


def test_path_through_a_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "file.md").write_text("x", encoding="utf-8")
    path = tmp_path / "file.md" / "inner.md"
    with pytest.raises(TranscriptError, match="cannot be read") as error:
        read(path)
    assert str(path) in str(error.value)


def test_latin1_names_the_line_of_the_first_bad_byte() -> None:
    path = FIXTURES / "latin1.md"
    with pytest.raises(TranscriptError, match="not UTF-8 text") as error:
        read(path)
    assert error.value.line == 3
    assert error.value.path == str(path)
    assert f"{path}, line 3" in str(error.value)


def test_bad_byte_line_counts_crlf_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_bytes(b"a\r\nb\r\n\r\nc \xff d\r\n")
    with pytest.raises(TranscriptError, match="not UTF-8 text") as error:
        read(path)
    assert error.value.line == 4


def test_utf16_with_a_byte_order_mark_is_decoded() -> None:
    # A BOM makes the encoding certain (issue 6); tests/system/test_bad_inputs.py covers the rest.
    assert (FIXTURES / "utf16.md").read_bytes().startswith(b"\xff\xfe")
    t = read(FIXTURES / "utf16.md")
    assert t.speakers == (KIM,)
    assert texts(t) == ["Hello."]


@pytest.mark.parametrize("name", ["empty.md", "notes_only.md"])
def test_no_words_is_an_error(name: str) -> None:
    path = FIXTURES / name
    with pytest.raises(TranscriptError, match="holds no words") as error:
        read(path)
    assert str(path) in str(error.value)


@pytest.mark.parametrize(
    "text", ["", "   \n\n\t\n", "---\n\n***\n", "<!-- only a comment -->\n", "**Kim**\n\n**Paul**\n"]
)
def test_no_words_in_text_is_an_error(text: str) -> None:
    with pytest.raises(TranscriptError, match="holds no words") as error:
        parse_text(text, path="inline.md")
    assert str(error.value).startswith("inline.md: ")


def test_unclosed_comment_names_its_line() -> None:
    path = FIXTURES / "unclosed_comment.md"
    with pytest.raises(TranscriptError, match="never closed") as error:
        read(path)
    assert error.value.line == 5
    assert str(path) in str(error.value)


def test_string_path_defaults() -> None:
    assert parse_text("Hi.").path == "<string>"
    assert read(FIXTURES / "bom.md").path == str(FIXTURES / "bom.md")


# --- generated documents ----------------------------------------------------------------------

# (as written, expected tokens as (text, kind)) pieces a generated paragraph is built from.
_WORDS = ["the", "brain", "It's", "neuro-AI", "193", "OK,", "\u201cBrain", "Inspired,\u201d", "H.M.", "Ölveczky.",
          "don't", "40%", "(see", "below)", "you're--?"]  # fmt: skip
_PIECES: list[tuple[str, list[tuple[str, TokenKind]]]] = [(w, [(w, TokenKind.WORD)]) for w in _WORDS] + [
    ("*The Transmitter*", [("The", TokenKind.WORD), ("Transmitter", TokenKind.WORD)]),
    ("**really**", [("really", TokenKind.WORD)]),
    ("_great_,", [("great,", TokenKind.WORD)]),
    ("[Kim Stachenfeld](#)", [("Kim", TokenKind.WORD), ("Stachenfeld", TokenKind.WORD)]),
    ("[paper](http://example.com/a_b)", [("paper", TokenKind.WORD)]),
    ("[laughs]", [("[laughs]", TokenKind.NOTE)]),
    ("[laughter]", [("[laughter]", TokenKind.NOTE)]),
    ("(laughs)", [("(laughs)", TokenKind.NOTE)]),
    ("it's\u2014what", [("it's\u2014", TokenKind.WORD), ("what", TokenKind.WORD)]),
    ("how--so", [("how--", TokenKind.WORD), ("so", TokenKind.WORD)]),
]
_NAMES = [KIM, PAUL, "Ana de la Cruz", "J. R. Smith", "Bence Ölveczky"]
_LABELS = ["### {}", "#### **{}**", "### **{}**", "**{}**", "**{}:**", "{}:"]


def _generate(seed: int) -> tuple[str, list[tuple[str, TokenKind, str | None]], tuple[str, ...]]:
    """A random labelled Markdown transcript and the tokens it must parse to."""
    rng = random.Random(seed)
    newline = rng.choice(["\n", "\r\n"])
    lines: list[str] = []
    expected: list[tuple[str, TokenKind, str | None]] = []
    order: list[str] = []
    names = rng.sample(_NAMES, rng.randint(1, 3))
    for turn in range(rng.randint(1, 6)):
        name = rng.choice(names)
        # The first label is a strong form; "Name:" forms need the name used twice, so repeat it.
        form = rng.choice(_LABELS[:4]) if turn == 0 else rng.choice(_LABELS)
        if form.endswith(":") or form.endswith(":**"):
            name = order[0] if order else name
        if name not in order:
            order.append(name)
        inline = form in ("**{}:**", "{}:") and rng.random() < 0.5
        label = form.format(name)
        for paragraph in range(rng.randint(1, 3)):
            paragraph_lines = []
            for _ in range(rng.randint(1, 3)):
                chosen = [rng.choice(_PIECES) for _ in range(rng.randint(1, 8))]
                paragraph_lines.append(" ".join(written for written, _ in chosen))
                expected.extend((text, kind, name) for _, pieces in chosen for text, kind in pieces)
            if paragraph == 0 and inline:
                paragraph_lines[0] = f"{label} {paragraph_lines[0]}"
            elif paragraph == 0:
                lines.extend([label, ""] if rng.random() < 0.7 else [label])
            lines.extend(paragraph_lines)
            lines.append("")
    return newline.join(lines), expected, tuple(order)


@pytest.mark.parametrize("seed", range(40))
def test_generated_transcripts_round_trip(seed: int) -> None:
    text, expected, speakers = _generate(seed)
    t = parse_text(text)
    assert [(x.text, x.kind, x.speaker) for x in t.tokens] == expected, text
    assert t.speakers == speakers
    assert not any(x.is_heading for x in t.tokens)
    assert_spans(text, t.tokens)
