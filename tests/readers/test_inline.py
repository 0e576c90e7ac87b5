"""aligner.readers.inline: one paragraph -> raw tokens, the same for every reader."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.errors import TranscriptError
from aligner.readers.inline import SOUND_WORDS, is_note, mask, tokenize, tokenize_spans
from aligner.types import TokenKind

NOTE, WORD = TokenKind.NOTE, TokenKind.WORD


def texts(source: str, *, markdown: bool = False) -> list[str]:
    [tokens] = tokenize_spans(source, [(0, len(source))], markdown=markdown)
    return [text for _, text, _, _ in tokens]


def test_tokens_carry_their_kind_text_and_span_in_the_whole_source() -> None:
    source = "Jane: Hello [laughs] there. Bye."
    first, second = tokenize_spans(source, [(6, 27), (28, 32)])
    assert first == [(WORD, "Hello", 6, 11), (NOTE, "[laughs]", 12, 20), (WORD, "there.", 21, 27)]
    assert second == [(WORD, "Bye.", 28, 32)]
    assert "Jane:" not in [text for _, text, _, _ in first]  # outside every span


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("it's\u2014what", ["it's\u2014", "what"]),  # the dash stays on the left
        ("how--So", ["how--", "So"]),
        ("a\u2013b", ["a\u2013", "b"]),
        ("1990\u20131995", ["1990\u20131995"]),  # an en dash between digits is a range
        ("\u2014what", ["\u2014what"]),  # a leading dash splits nothing
        ("how--", ["how--"]),  # nor a final one
        ("well-known", ["well-known"]),  # a hyphen is no dash
    ],
)
def test_dashes(source: str, expected: list[str]) -> None:
    assert texts(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Yes \u2014 no", ["Yes \u2014", "no"]),  # joins the previous word, spaces kept
        ("R & D", ["R &", "D"]),
        ("so ... yeah", ["so ...", "yeah"]),
        ("\u201c hello", ["\u201c hello"]),  # an opening mark joins the next word
        ("\u2014 and so", ["\u2014 and", "so"]),  # nothing before it: the next word
        ("word\n\u2014\nnext", ["word", "\u2014", "next"]),  # never across a line break
        ("[laughs] \u2014 yes", ["[laughs]", "\u2014 yes"]),  # never into a note
        ("\u2014", ["\u2014"]),  # alone: a token of its own
    ],
)
def test_lone_punctuation(source: str, expected: list[str]) -> None:
    assert texts(source) == expected


def test_notes_and_dropped_timestamps() -> None:
    source = "[laughs] [Music] [Kim] (laughs) (see below) (laughs at it now) [00:12:34] hi (12:34) there"
    [tokens] = tokenize_spans(source, [(0, len(source))])
    assert [(kind, text) for kind, text, _, _ in tokens] == [
        (NOTE, "[laughs]"),  # lowercase in brackets
        (NOTE, "[Music]"),  # a known note word in any case
        (WORD, "[Kim]"),
        (NOTE, "(laughs)"),  # a known note word in parentheses
        (WORD, "(see"),  # prose in parentheses
        (WORD, "below)"),
        (WORD, "(laughs"),  # parentheses: at most three words
        (WORD, "at"),
        (WORD, "it"),
        (WORD, "now)"),
        (WORD, "hi"),  # the stamps are gone
        (WORD, "there"),
    ]  # fmt: skip
    assert all(source[start:end] == text for _, text, start, end in tokens)


@pytest.mark.parametrize(
    ("content", "bracket", "note"),
    [
        # Brackets: lowercase, or any sound word, at most six words.
        ("Intro music", True, True),
        ("Ad break", True, True),
        ("Foreign", True, True),
        ("MUSIC PLAYING", True, True),
        ("Theme music fades", True, True),
        ("Applause.", True, True),
        ("inaudible 00:12:03", True, True),
        ("speaking Spanish", True, True),
        ("Kim", True, False),
        ("Sam Gershman", True, False),
        ("DeepMind", True, False),
        ("Sound of the intro music playing loud here", True, False),  # seven words: an editor's sentence
        ("laughs and then says something about it", True, True),  # lowercase: any words, up to 40 characters
        ("and then she said something else entirely, at length", True, False),
        # Parentheses: a sound word, at most three words, no small word of prose.
        ("upbeat music", False, True),
        ("Laughs", False, True),
        ("clears throat", False, True),
        ("music fades", False, True),
        ("inaudible 00:12:03", False, True),
        ("see below", False, False),
        ("the music", False, False),
        ("a long break", False, False),
        ("laughs at it now", False, False),
        ("Kim", False, False),
        (" laughs", False, False),
        ("music, 1990", False, False),
    ],
)
def test_is_note(content: str, bracket: bool, note: bool) -> None:
    assert is_note(content, bracket=bracket) is note


def test_the_sound_words_the_issue_names_are_known() -> None:
    named = "music applause laughter ad break inaudible crosstalk foreign silence static sting jingle theme intro"
    assert set(named.split()) <= SOUND_WORDS


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("\u266a Happy birthday to you \u266a Yes.", [(NOTE, "\u266a Happy birthday to you \u266a"), (WORD, "Yes.")]),
        ("\u266a\u266a so \u266a\u266a", [(NOTE, "\u266a\u266a so \u266a\u266a")]),  # doubled marks pair too
        ("a \u266a\u266a b", [(WORD, "a"), (NOTE, "\u266a\u266a"), (WORD, "b")]),  # a run alone: music
        ("\u266a one line\nand the next \u266a", [(NOTE, "\u266a one line\nand the next \u266a")]),
        (
            "\u266a unpaired to the end  \nthen words",
            [(NOTE, "\u266a unpaired to the end"), (WORD, "then"), (WORD, "words")],
        ),
        ("\u266b la \u266b", [(NOTE, "\u266b la \u266b")]),
    ],
)
def test_lyrics_between_music_marks_are_one_note(source: str, expected: list[tuple[TokenKind, str]]) -> None:
    [tokens] = tokenize_spans(source, [(0, len(source))])
    assert [(kind, text) for kind, text, _, _ in tokens] == expected
    assert all(source[start:end] == text for _, text, start, end in tokens)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("I&rsquo;m", [(WORD, "I\u2019m", 0, 9)]),  # inside a word: the span covers the entity
        ("a &amp; b", [(WORD, "a &", 0, 7), (WORD, "b", 8, 9)]),  # alone: lone punctuation, as "&" typed
        ("x&#8217;", [(WORD, "x\u2019", 0, 8)]),  # at a word's end: the span still ends after it
        ("&#x2019;s", [(WORD, "\u2019s", 0, 9)]),
        ("a&nbsp;b", [(WORD, "a", 0, 1), (WORD, "b", 7, 8)]),
        ("[rock &amp; roll music]", [(NOTE, "[rock & roll music]", 0, 23)]),
        ("`&amp;` \\&amp;", [(WORD, "&amp;", 1, 6), (WORD, "&amp;", 9, 14)]),  # code and escapes: as typed
        ("&nosuchentity; &amp", [(WORD, "&nosuchentity;", 0, 14), (WORD, "&amp", 15, 19)]),
    ],
)
def test_entities_decode_in_markdown(source: str, expected: list[tuple[TokenKind, str, int, int]]) -> None:
    [tokens] = tokenize_spans(source, [(0, len(source))], markdown=True)
    assert tokens == expected
    [plain] = tokenize_spans(source, [(0, len(source))])
    assert "".join(text for _, text, _, _ in plain).replace(" ", "") == source.replace(" ", "")  # plain: as typed


@pytest.mark.parametrize(
    ("source", "plain", "markdown"),
    [
        ("*Hi* there", ["*Hi*", "there"], ["Hi", "there"]),
        ("a_b_c __bold__", ["a_b_c", "__bold__"], ["a_b_c", "bold"]),
        ("5 * 3", ["5 *", "3"], ["5 *", "3"]),  # a spaced star is no emphasis
        ("<b>x</b> <http://a.org>", ["<b>x</b>", "<http://a.org>"], ["x", "http://a.org"]),
        ("[text](http://x) ![img](y.png) end", ["[text]", "(http://x) !", "[img]", "(y.png)", "end"], ["text", "end"]),
        ("`x * y`", ["`x *", "y`"], ["x *", "y"]),  # code is literal
        ("\\*lit\\*", ["\\*lit\\*"], ["*lit*"]),  # escapes
    ],
)
def test_markdown_markup_only_when_asked(source: str, plain: list[str], markdown: list[str]) -> None:
    assert texts(source) == plain
    assert texts(source, markdown=True) == markdown


def test_a_span_covers_the_visible_characters_even_with_markup_inside() -> None:
    source = "*The Transmitter*."
    [tokens] = tokenize_spans(source, [(0, len(source))], markdown=True)
    assert tokens == [(WORD, "The", 1, 4), (WORD, "Transmitter.", 5, 18)]
    assert source[5:18] == "Transmitter*."


def test_a_zero_width_space_continues_a_word_but_never_starts_one() -> None:
    [tokens] = tokenize_spans("wel\u200bcome \u200bword", [(0, 14)])
    assert tokens == [(WORD, "wel\u200bcome", 0, 8), (WORD, "word", 10, 14)]


def test_mask_blanks_comments_and_a_bom_without_moving_anything() -> None:
    source = "\ufeffa <!-- x\r\ny --> b"
    work = mask(source, markdown=True, path="t.md")
    assert work == " a       \r\n      b"
    assert len(work) == len(source)
    assert mask("<!-- x -->", markdown=False, path="t.txt") == "<!-- x -->"  # plain text has no comments


def test_an_unclosed_comment_is_an_error_with_its_line() -> None:
    with pytest.raises(TranscriptError, match="HTML comment is never closed") as error:
        tokenize_spans("a\r\nb <!-- c", [(0, 11)], markdown=True, path="t.md")
    assert error.value.line == 2 and error.value.path == "t.md"


def test_tokenize_finds_words_in_the_working_copy_and_takes_text_from_the_source() -> None:
    source = "> quoted words"
    work = "  " + source[2:]  # a reader blanked the blockquote marker
    assert tokenize(source, work, 0, len(source), markdown=True) == [(WORD, "quoted", 2, 8), (WORD, "words", 9, 14)]
    assert tokenize(source, source, 0, len(source), markdown=False)[0] == (WORD, "> quoted", 0, 8)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab *_`[]()<>!\\-\u2014\u201c.&:#\n\r\t\u200b")), max_size=60),
    st.booleans(),
)
def test_tokens_are_in_order_and_start_and_end_on_their_own_characters(source: str, markdown: bool) -> None:
    try:
        [tokens] = tokenize_spans(source, [(0, len(source))], markdown=markdown)
    except TranscriptError:
        assert markdown and "<!--" in source
        return
    previous_end = 0
    for _, text, start, end in tokens:
        assert previous_end <= start < end <= len(source)
        assert text and source[start] == text[0] and source[end - 1] == text[-1]
        remaining = iter(source[start:end])
        assert all(c in remaining for c in text)  # the text is the span with markup taken out
        previous_end = end
