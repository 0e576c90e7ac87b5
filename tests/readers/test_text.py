"""aligner.readers.text: decoding a file's bytes, line splitting, reading errors, the shared line regexes."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from aligner.errors import TranscriptError
from aligner.readers.text import ATX_HEADING, DIVIDER, decode, line_of, read_bytes, split_lines

# --- decode -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"Hello \xc3\xa9.", "Hello é."),
        (b"\xef\xbb\xbfHello.", "Hello."),  # a UTF-8 BOM is dropped
        ("Hello é.".encode("utf-16"), "Hello é."),  # BOM, native order
        (b"\xfe\xff" + "Hello é.".encode("utf-16-be"), "Hello é."),  # big-endian mark
        ("Hello é.".encode("utf-32"), "Hello é."),  # its LE mark starts with UTF-16 LE's: longest first
        (b"\x00\x00\xfe\xff" + "Hi".encode("utf-32-be"), "Hi"),
        (b"", ""),
    ],
)
def test_decode_takes_utf8_and_marked_utf16_and_utf32(data: bytes, text: str) -> None:
    assert decode(data, "t.md") == text


def test_a_bad_byte_is_an_error_naming_its_line_with_any_line_ending() -> None:
    with pytest.raises(TranscriptError, match=r"not UTF-8 text \(byte 0xe9\); save it as UTF-8") as error:
        decode(b"one\r\ntwo\rthree\nfour caf\xe9\n", "t.md")
    assert error.value.line == 4
    assert error.value.path == "t.md"


def test_a_byte_order_mark_with_invalid_text_after_it_is_an_error() -> None:
    with pytest.raises(TranscriptError, match="starts with a UTF-16 byte-order mark but is not valid UTF-16"):
        decode(b"\xff\xfe\x00\xd8", "t.md")  # a lone surrogate


def test_nul_means_unmarked_utf16_or_binary_and_names_its_line() -> None:
    with pytest.raises(TranscriptError, match="holds NUL characters") as error:
        decode("Hi\nthere".encode("utf-16-le"), "t.md")  # no mark: decodes as UTF-8 with NULs
    assert error.value.line == 1
    with pytest.raises(TranscriptError, match="holds NUL characters") as error:
        decode(b"a\nb\nc\x00", "t.md")
    assert error.value.line == 3


EXPORTS = Path(__file__).resolve().parents[2] / "fixtures" / "transcripts" / "exports"
CURLY = (
    "Jane Miller: Welcome back to \u201cBrain Talk.\u201d It\u2019s episode 194 \u2013 the one about songbirds.\n\n"
    "Kofi Sarpong: Thanks, Jane. I\u2019ve waited for this\u2026\n"
)


@pytest.mark.parametrize(
    "text",
    [
        CURLY,
        "It\u2019s fine.",  # one curly apostrophe: the commonest case of all
        "J\u00fcrgen M\u00fcller: Gr\u00fc\u00dfe aus K\u00f6ln \u2013 \u201eschön\u201c.\n",  # German quotes
        "Jos\u00e9 Garc\u00eda: \u00bfQu\u00e9 tal? Estoy en el caf\u00e9 \u2013 se\u00f1or \u201cN\u00fa\u00f1ez\u201d.\n",
        "\u00c9lodie: C\u2019est l\u2019\u00e9t\u00e9, \u00e0 c\u00f4t\u00e9 du caf\u00e9 \u2014 \u00ab tr\u00e8s \u00bb bien.\n",
    ],
    ids=["curly quotes", "one apostrophe", "German", "Spanish", "French"],
)
def test_windows_1252_with_curly_quotes_is_decoded_with_a_warning(text: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="aligner"):
        assert decode(text.encode("cp1252"), "t.txt") == text
    (record,) = caplog.records
    assert record.getMessage() == (
        "t.txt: not UTF-8; decoded as Windows-1252 (the curly quotes say so); save it as UTF-8 to be sure"
    )


def test_the_cp1252_fixture_reads_with_its_quotes(caplog: pytest.LogCaptureFixture) -> None:
    path = EXPORTS / "cp1252_curly_quotes.txt"
    data = path.read_bytes()
    assert {0x92, 0x93, 0x94, 0x96} <= set(data)  # the bytes the fixture is about
    with caplog.at_level(logging.WARNING, logger="aligner"):
        text = decode(data, str(path))
    assert "\u201cBrain Talk.\u201d" in text and "It\u2019s" in text and "\u2013" in text
    assert "Windows-1252" in caplog.text


@pytest.mark.parametrize(
    ("data", "byte"),
    [
        ("Jane: the caf\u00e9 was open.\n".encode("latin-1"), 0xE9),  # no Windows punctuation: Latin-1 or not
        (CURLY.encode("mac_roman"), 0xD2),  # MacRoman's curly quotes are Windows-1252's \u00d2-\u00d5
        ("Jos\u00e9: se\u00f1or, it\u2019s \u201cok\u201d.\n".encode("mac_roman"), 0x8E),
        ("Ji\u0159\u00ed Dvo\u0159\u00e1k: Dobr\u00fd den \u2013 \u201cano\u201d.\n".encode("cp1250"), 0xF8),  # ř is ø
        ("\u041f\u0440\u0438\u0432\u0435\u0442 \u2013 \u00ab\u044d\u0442\u043e\u00bb.\n".encode("cp1251"), 0xCF),
        ("I\u2019m here.".encode() + b" It\x92s.", 0x92),  # UTF-8 and Windows-1252 mixed
        (b"\x93Yes.\x94", 0x93),  # too short for charset-normalizer to say
    ],
    ids=["Latin-1", "MacRoman quotes", "MacRoman letters", "Czech cp1250", "Russian cp1251", "mixed", "tiny"],
)
def test_an_encoding_that_is_not_certain_is_still_refused(
    data: bytes, byte: int, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(TranscriptError, match=rf"not UTF-8 text \(byte 0x{byte:02x}\); save it as UTF-8"):
        decode(data, "t.txt")
    assert not caplog.records


def test_the_macroman_fixture_is_refused() -> None:
    with pytest.raises(TranscriptError, match=r"line 3: not UTF-8 text \(byte 0xd2\)"):
        decode((EXPORTS / "macroman_curly_quotes.txt").read_bytes(), "macroman_curly_quotes.txt")


# --- lines --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("", []),
        ("a", [(0, 1)]),
        ("a\n", [(0, 1)]),
        ("\n", [(0, 0)]),
        ("a\r\nb\rc\nd", [(0, 1), (3, 4), (5, 6), (7, 8)]),
        ("a\n\r\nb", [(0, 1), (2, 2), (4, 5)]),  # LF then CRLF: an empty line between
        ("a\r\rb", [(0, 1), (2, 2), (3, 4)]),
    ],
)
def test_split_lines_ends_lines_at_crlf_lf_and_cr(text: str, spans: list[tuple[int, int]]) -> None:
    assert split_lines(text) == spans


def test_line_of_counts_a_crlf_as_one_break() -> None:
    text = "a\r\nb\rc\nd"
    assert [line_of(text, text.index(c)) for c in "abcd"] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("line", "marks", "content"),
    [
        ("# Title", "#", "Title"),
        ("###   Kim Stachenfeld  ", "###", "Kim Stachenfeld"),
        ("## Part two ##", "##", "Part two"),
        ("   # Indented three", "#", "Indented three"),
        ("#", "#", ""),  # bare marks: an empty heading
        ("###### Six", "######", "Six"),
    ],
)
def test_atx_heading(line: str, marks: str, content: str) -> None:
    match = ATX_HEADING.match(line)
    assert match is not None
    assert (match.group(1), match.group(2)) == (marks, content)


@pytest.mark.parametrize("line", ["#hashtag", "####### Seven", "    # four spaces is code", "Title #"])
def test_not_an_atx_heading(line: str) -> None:
    assert ATX_HEADING.match(line) is None


@pytest.mark.parametrize("line", ["---", "***", "___", "* * *", "- - - -", "   ---", "---   ", "----------"])
def test_divider(line: str) -> None:
    assert DIVIDER.match(line)


@pytest.mark.parametrize("line", ["--", "-*-", "    ---", "--- x", "=====", ""])
def test_not_a_divider(line: str) -> None:
    assert not DIVIDER.match(line)


# --- reading the file ---------------------------------------------------------------------------


def test_read_bytes_returns_the_bytes_unchanged(tmp_path) -> None:
    path = tmp_path / "t.md"
    path.write_bytes(b"\xef\xbb\xbfHi\r\n")
    assert read_bytes(str(path)) == b"\xef\xbb\xbfHi\r\n"


def test_read_bytes_errors_are_one_line_and_name_the_path(tmp_path) -> None:
    (tmp_path / "file.md").write_text("x", encoding="utf-8")
    cases = [
        (tmp_path, "is a directory, not a transcript file"),
        (tmp_path / "missing.md", "no such file"),
        (tmp_path / "file.md" / "inner.md", "cannot be read"),
    ]
    for path, reason in cases:
        with pytest.raises(TranscriptError) as error:
            read_bytes(str(path))
        message = str(error.value)
        assert message.startswith(f"{path}: ") and reason in message and "\n" not in message
        assert error.value.path == str(path)
