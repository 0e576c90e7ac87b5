"""aligner.readers.text: decoding a file's bytes, line splitting, reading errors, the shared line regexes."""

from __future__ import annotations

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
