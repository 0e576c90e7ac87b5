"""Rich Text Format (.rtf, from TextEdit, WordPad or Word) -> :class:`~aligner.types.Transcript`.

RTF is text wrapped in control words (``{\\rtf1\\ansi\\ansicpg1252 ...
I\\'92m here.\\par}``): the words a transcript needs are there, but behind
code-page escapes (``\\'92`` is ’ in Windows-1252), unicode escapes
(``\\u8217?``, ``\\uc0\\u8217``) and groups that hold no text at all (the
font and colour tables, ``{\\*\\...}`` destinations, pictures). striprtf (a
small, pure-Python, maintained package) turns it into plain text: it decodes
both kinds of escape through the document's code page (``\\ansicpg``, or a
font's ``\\fcharset``), skips the destinations, and gives ``\\par`` and
``\\line`` as line breaks.

That text is then read as a ``.txt`` is (:func:`aligner.readers.markdown.parse_text`
without Markdown): ``Name:`` labels, ``[music]`` notes, a title before the
first label as heading matter, closing matter after a ``---`` line; or, with
two or more stamped speaker lines, as a timestamped export. Labels with a
role (``Casey (caller):``, ``Priya Mehta, host:``, a ``[caller]`` line) are
read there, by :func:`aligner.readers.speakers.speaker_label` and
:func:`~aligner.readers.speakers.role_label`, so nothing here handles them.
Formatting is not read, so a bold name needs its colon to be a label
(``{\\b Dr. Lee (guest)}`` alone on its line is words).

Token spans (``start_char``/``end_char``) index the document's *plain text*,
which :func:`rtf_text` returns: striprtf's text with each line (an RTF
paragraph or line break) stripped and the non-empty ones joined by a blank
line, as the .docx reader joins paragraphs (so ``\\line`` starts a new
paragraph too, which changes nothing but paragraph numbers).

Two things are done around striprtf, each tested:

- A hyperlink field's instruction group (``{\\*\\fldinst{HYPERLINK
  "http://..."}}``) is removed before striprtf sees it: striprtf would
  append the URL to the link text (``study("http://example.org")``). The
  group holds no visible text, so nothing is lost; the link text stays.
- A character outside the Basic Multilingual Plane arrives as two UTF-16
  surrogate escapes (``\\u-10179?\\u-8704?``); they are joined into one
  character (a lone one becomes U+FFFD, which any output can encode).

Bytes above 0x7F outside escapes (RTF should escape them; a few writers do
not) are read in the document's code page, and an escape that code page
cannot decode is a one-line error naming the file.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable

from aligner.errors import TranscriptError
from aligner.readers.markdown import parse_text
from aligner.readers.timestamped import MIN_STAMPED_LABELS, count_stamped_labels, parse_timestamped_text
from aligner.types import Transcript

__all__ = ["looks_like_rtf", "parse_rtf", "rtf_text"]

_MAGIC = b"{\\rtf"
_LEADING = b"\xef\xbb\xbf \t\r\n"  # a UTF-8 BOM or blank lines some tools put first
_CODE_PAGE = re.compile(rb"\\ansicpg(\d+)")
_CHARSETS = ((rb"\\mac(?![a-z])", "mac_roman"), (rb"\\pca(?![a-z])", "cp850"), (rb"\\pc(?![a-z])", "cp437"))
_FIELD_INSTRUCTION = re.compile(r"\{(?:\\\*)?\s*\\fldinst(?![a-zA-Z])")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def looks_like_rtf(data: bytes) -> bool:
    """Whether the bytes are an RTF document (they start ``{\\rtf``, after any BOM or blank lines)."""
    return data.lstrip(_LEADING).startswith(_MAGIC)


def _code_page(data: bytes) -> str:
    """The codec for the document's 8-bit characters: ``\\ansicpgN``, else the character set, else 1252."""
    head = data[:4096]  # the header, before any text
    declared = _CODE_PAGE.search(head)
    if declared:
        name = f"cp{int(declared.group(1))}"
        try:
            codecs.lookup(name)
        except LookupError:
            pass
        else:
            return name
    for pattern, name in _CHARSETS:
        if re.search(pattern, head):
            return name
    return "cp1252"


def _drop_field_instructions(rtf: str) -> str:
    """``rtf`` without ``{\\*\\fldinst ...}`` groups, whose braces are matched honouring ``\\{``, ``\\}``, ``\\\\``."""
    out: list[str] = []
    at = 0
    for match in _FIELD_INSTRUCTION.finditer(rtf):
        if match.start() < at:
            continue  # inside a group already dropped
        depth = 0
        i = match.start()
        while i < len(rtf):
            c = rtf[i]
            if c == "\\":
                i += 2
                continue
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        out.append(rtf[at : match.start()])
        at = i + 1
    out.append(rtf[at:])
    return "".join(out)


def _extract(data: bytes, path: str) -> str:
    """striprtf's text of the document, surrogates joined (see the module docstring)."""
    if not looks_like_rtf(data):
        raise TranscriptError(path, "is not an RTF file (it does not start with '{\\rtf')")
    from striprtf import striprtf  # imported here: only RTF transcripts need it

    rtf_to_text: Callable[..., str] = striprtf.rtf_to_text  # striprtf's function carries no annotations

    code_page = _code_page(data)
    try:
        source = data.lstrip(_LEADING).decode(code_page)
    except UnicodeDecodeError as error:
        bad = error.object[error.start]
        raise TranscriptError(path, f"holds a byte 0x{bad:02x} that its code page ({code_page}) lacks") from None
    try:
        text = rtf_to_text(_drop_field_instructions(source), encoding=code_page, errors="strict")
    except UnicodeDecodeError as error:
        bad = error.object[error.start]
        raise TranscriptError(path, f"holds an escaped byte \\'{bad:02x} that its code page lacks") from None
    except LookupError as error:  # a font's character set Python has no codec for
        raise TranscriptError(path, f"uses a character set this reader cannot decode ({error})") from None
    except ValueError:  # striprtf's int() of a \bin with no length, or chr() of an out-of-range \u
        raise TranscriptError(path, "is not readable RTF (a damaged \\bin or \\u control word)") from None
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace").replace("\x00", "")


def rtf_text(data: bytes, *, path: str = "<bytes>") -> str:
    """The plain text that an RTF transcript's token spans index (see the module docstring).

    Raises:
        TranscriptError: not RTF, or an escape its code page cannot decode.
    """
    lines = (line.strip() for line in _LINE_BREAK.split(_extract(data, path)))
    return "\n\n".join(line for line in lines if line)


def parse_rtf(data: bytes, *, path: str = "<bytes>") -> Transcript:
    """Parse an RTF transcript (see the module docstring).

    Args:
        data: the file's bytes.
        path: the name used in errors and recorded on the result.

    Raises:
        TranscriptError: not RTF, an escape its code page cannot decode, or no words.
    """
    plain = rtf_text(data, path=path)
    if count_stamped_labels(plain) >= MIN_STAMPED_LABELS:
        return parse_timestamped_text(plain, path=path, markdown=False)
    return parse_text(plain, path=path, markdown=False)
