"""Format detection and the registry: which reader ``auto`` picks, forced formats, the CLI option."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner.cli import cli
from aligner.errors import TranscriptError
from aligner.readers import MIN_STAMPED_LABELS, READERS, TRANSCRIPT_FORMATS, Source, detect_format, read_transcript
from aligner.readers.timestamped import MIN_STAMPED_LABELS as TIMESTAMPED_MIN

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
TRANSCRIPTS = FIXTURES / "transcripts"
EXPORTS = TRANSCRIPTS / "exports"
EPISODE = FIXTURES / "episode"


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


SRT_TEXT = b"1\n00:00:01,000 --> 00:00:02,000\nHello.\n"
STAMPED_TEXT = b"Jane (00:00:01): Hi.\nSam (00:00:05): Hello.\n"
RTF_TEXT = b"{\\rtf1\\ansi\\ansicpg1252 I\\'92m here.\\par}"


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("t.md", b"### Jane\n\nHello.\n", "markdown"),
        ("t.markdown", b"Hello.\n", "markdown"),
        ("t.txt", b"Jane: Hello.\n", "text"),
        ("t", b"Hello.\n", "text"),
        ("t.srt", b"anything", "srt"),
        ("t.txt", SRT_TEXT, "srt"),
        ("t.md", b"\xef\xbb\xbf" + SRT_TEXT, "srt"),
        ("t.vtt", SRT_TEXT, "vtt"),
        ("t.txt", b"WEBVTT\n\n00:01.000 --> 00:02.000\nHi.\n", "vtt"),
        ("t.srt", b"WEBVTT\n\n00:01.000 --> 00:02.000\nHi.\n", "vtt"),
        ("t.txt", STAMPED_TEXT, "timestamped"),
        ("t.md", STAMPED_TEXT, "timestamped"),
        ("t.txt", b"Jane (00:00:01): Hi.\nSam: Hello.\n", "text"),  # one stamped line is not enough
        ("t.txt", b"We met at 10:30 and left.\nIt was 00:05 Sam said: fine.\n", "text"),
        ("t.docx", b"not a zip", "docx"),
        ("t.bin", _zip({"a": b"b"}), "docx"),
        ("t.rtf", b"Hello.", "rtf"),
        ("t.txt", RTF_TEXT, "rtf"),
        ("t.doc", RTF_TEXT, "rtf"),  # Word's "Save as RTF" often keeps .doc
        ("t.md", b"\xef\xbb\xbf\r\n" + RTF_TEXT, "rtf"),
        ("t.rtf", b"{\\rtf1\\ansi caf\xe9}", "rtf"),  # 8-bit RTF is never decoded as UTF-8
        ("t.html", b"Hello.", "html"),
        ("t.HTM", b"<p>Hello.</p>", "html"),
        ("t.txt", b"<!DOCTYPE html>\n<p>Hello.</p>", "html"),
        ("t", b"<html lang=en><body>Hello.</body></html>", "html"),
        ("t.md", b"<h1>Title</h1>\n<p><b>Kofi:</b> Hello.</p>\n<p>More.</p>\n", "html"),  # pasted into .md
        ("t.md", b"**Kofi**\n\nHello <b>there</b>.<br>\n\n<div>aside</div>\n\nMore.\n", "markdown"),  # sporadic
        ("t.html", b"WEBVTT\n\n00:01.000 --> 00:02.000\nHi.\n", "vtt"),  # the content wins
        ("t.txt", b"<p>Jane (00:00:01): Hi.</p>\n<p>Sam (00:00:05): Hello.</p>\n", "html"),  # HTML before stamps
    ],
)
def test_detect_format(name, data, expected):
    assert detect_format(name, data) == expected


@pytest.mark.parametrize(
    "path",
    [
        *sorted(
            p
            for p in TRANSCRIPTS.iterdir()
            if p.suffix in (".md", ".txt")
            and not p.name.startswith("timestamped")
            and p.name not in {"empty.md", "latin1.md", "notes_only.md", "unclosed_comment.md"}
        ),
        EPISODE / "episode.md",
    ],
    ids=lambda p: p.name,
)
def test_auto_reads_markdown_and_text_exactly_as_before(path):
    by_extension = "markdown" if path.suffix in (".md", ".markdown") else "text"
    assert read_transcript(path) == read_transcript(path, transcript_format=by_extension)


def test_the_extension_decides_markdown_or_text_when_the_content_does_not(tmp_path):
    body = "**Kim**\n\n*Hi* there.\n"
    for name, expected in (
        ("a.md", ["Hi", "there."]),
        ("a.MARKDOWN", ["Hi", "there."]),
        ("a.txt", ["**Kim**", "*Hi*", "there."]),
        ("a", ["**Kim**", "*Hi*", "there."]),
    ):
        (tmp_path / name).write_text(body, encoding="utf-8")
        assert [t.text for t in read_transcript(tmp_path / name).tokens] == expected, name  # fmt: skip


def test_fixture_per_format_is_detected():
    found = {
        p.name: detect_format(p, p.read_bytes())
        for p in TRANSCRIPTS.iterdir()
        if p.name.startswith(("timestamped", "captions", "speakers."))
    }
    assert found == {
        "timestamped_paren.txt": "timestamped",
        "timestamped_own_line.txt": "timestamped",
        "timestamped_bracket_first.md": "timestamped",
        "timestamped_bare_first.txt": "timestamped",
        "captions.srt": "srt",
        "captions.vtt": "vtt",
        "speakers.docx": "docx",
    }
    assert set(TRANSCRIPT_FORMATS) == {"auto", "markdown", "text", "timestamped", "srt", "vtt", "docx", "html", "rtf"}


def test_export_fixtures_of_web_pages_and_rtf_are_detected():
    found = {
        p.name: detect_format(p, p.read_bytes()) for p in EXPORTS.iterdir() if p.suffix in (".html", ".htm", ".rtf")
    }
    found["html_in_markdown.md"] = detect_format("html_in_markdown.md", (EXPORTS / "html_in_markdown.md").read_bytes())
    assert found == {
        "saved_web_page.html": "html",
        "bold_labels_br.htm": "html",
        "episode.html": "html",
        "html_in_markdown.md": "html",
        "textedit.rtf": "rtf",
        "wordpad.rtf": "rtf",
        "episode.rtf": "rtf",
        "html_role_labels.html": "html",
        "rtf_role_labels.rtf": "rtf",
    }


def test_forced_formats_override_detection():
    md = TRANSCRIPTS / "speaker_bold.md"
    as_markdown = read_transcript(md, transcript_format="markdown")
    as_text = read_transcript(md, transcript_format="text")
    assert as_markdown.speakers == ("Kim Stachenfeld", "Paul Middlebrooks")
    assert as_text.speakers == () and "**Kim" in [tok.text for tok in as_text.tokens]  # Markdown read literally
    srt = TRANSCRIPTS / "captions.srt"
    assert read_transcript(srt, transcript_format="text").stamps == ()
    assert "00:00:01,000 -->" in [tok.text for tok in read_transcript(srt, transcript_format="text").tokens]
    with pytest.raises(ValueError, match="unknown transcript format"):
        read_transcript(srt, transcript_format="pdf")


def test_cli_transcript_format_option(tmp_path, episode_audio):
    runner = CliRunner()
    forced = runner.invoke(
        cli,
        ["align", str(episode_audio), str(EPISODE / "episode.md"), "-o", str(tmp_path), "--transcript-format", "docx"],
    )
    assert forced.exit_code == 1
    assert (
        forced.output.strip().splitlines()[-1]
        == f"Error: {EPISODE / 'episode.md'}: is not a .docx file (not a zip archive)"
    )
    unknown = runner.invoke(
        cli, ["align", str(episode_audio), str(EPISODE / "episode.md"), "--transcript-format", "pdf"]
    )
    assert unknown.exit_code == 2 and "'pdf' is not one of" in unknown.output
    not_rtf = runner.invoke(
        cli,
        ["align", str(episode_audio), str(EPISODE / "episode.md"), "-o", str(tmp_path), "--transcript-format", "rtf"],
    )
    assert not_rtf.exit_code == 1
    assert not_rtf.output.strip().splitlines()[-1] == (
        f"Error: {EPISODE / 'episode.md'}: is not an RTF file (it does not start with '{{\\rtf')"
    )
    assert not list(tmp_path.iterdir())


# --- the registry -------------------------------------------------------------------------------


def test_the_registry_holds_every_format_in_detection_order():
    assert list(READERS) == ["docx", "rtf", "vtt", "srt", "html", "timestamped", "markdown", "text"]
    assert set(TRANSCRIPT_FORMATS) == {"auto", *READERS}
    assert MIN_STAMPED_LABELS is TIMESTAMPED_MIN == 2  # one constant, kept importable from readers


def test_a_zip_is_never_decoded():
    source = Source("t.txt", _zip({"a": b"\xff\xfe\xfd"}))
    assert READERS["docx"].detect(source)
    assert "text" not in vars(source)  # decoding waits until a text format asks
    assert detect_format(source.path, source.data) == "docx"
    text = Source("t.txt", b"Hello.")
    assert not READERS["vtt"].detect(text) and vars(text)["text"] == "Hello."


def test_rtf_is_detected_and_read_from_its_bytes():
    source = Source("t.txt", b"{\\rtf1\\ansi caf\xe9 au lait\\par}")  # Windows-1252, not UTF-8
    assert READERS["rtf"].detect(source)
    assert "text" not in vars(source)
    assert [t.text for t in READERS["rtf"].parse(source).tokens] == ["café", "au", "lait"]


def test_undecodable_bytes_fail_where_a_text_format_first_reads_them(tmp_path):
    path = tmp_path / "t.docx"
    path.write_bytes(b"caf\xe9")  # not a zip, not UTF-8
    with pytest.raises(TranscriptError, match=r"is not a \.docx file"):
        read_transcript(path)  # .docx: the docx reader, which never decodes
    with pytest.raises(TranscriptError, match="not UTF-8 text"):
        read_transcript(path, transcript_format="vtt")
    with pytest.raises(TranscriptError, match="not UTF-8 text"):
        detect_format("t.txt", b"caf\xe9")


def test_an_unknown_format_is_refused_before_the_file_is_read(tmp_path):
    with pytest.raises(ValueError, match="unknown transcript format 'pdf'; choose from auto, markdown, text"):
        read_transcript(tmp_path / "missing.md", transcript_format="pdf")
