"""Word documents (.docx) through python-docx, read like the Markdown they stand for.

python-docx (the optional extra ``aligner[docx]``) gives each paragraph's
text and formatting. The document is turned into its *plain text*: every
paragraph's text (body paragraphs and table cells' paragraphs, in document
order; a tab as ``\\t``, a line break as ``\\n``) joined with a blank line
(``\\n\\n``); :func:`docx_text` returns it. Token spans
(``start_char``/``end_char``) index that plain text, and token text is
always exactly the document's characters.

To parse, the paragraphs are rendered as Markdown with every character that
Markdown would read as markup escaped, so only the document's own structure
has meaning: a Heading 1-6 (or Title) paragraph becomes ``#``-``######``, a
paragraph entirely in bold becomes ``**...**`` (so a bold name alone is a
speaker label, as in Markdown) and one entirely in italics ``*...*`` (a
disclaimer). A paragraph that *starts* with a bold name followed by the
speech is a label too, in the two layouts Word users type (see
:func:`_lead_labels`): the name, a soft line break (Shift+Enter) and the
speech (``**Kofi Sarpong**`` on a line of its own, as Markdown reads it), or
the name and the speech on one line without a colon. Without this, the name
would be read as spoken words: "Why birds? Kofi Sarpong Honestly,". A
bold label may carry a role, read by
:func:`aligner.readers.speakers.speaker_label` as in every reader:
``**Dr. Lee (guest)**`` alone, ``**Casey (caller):**`` and the speech,
``**Casey (caller)**`` and a soft line break, or ``**Casey** (caller)`` with
the role typed outside the bold, are spoken by "Dr. Lee" or "Casey", the
role kept apart. ``Name:`` at a paragraph's start, ``[music]``-style notes,
``---`` dividers, the title and byline before the first speaker and the
closing line after a final divider then mean what they mean in Markdown,
because the Markdown parser reads them. A document whose paragraphs are
timestamped speaker lines (an Otter or Rev export) is read as that format,
on the plain text.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from aligner.errors import TranscriptError
from aligner.readers.markdown import parse_text
from aligner.readers.speakers import is_distinctive, speaker_label
from aligner.readers.text import DIVIDER
from aligner.readers.timestamped import MIN_STAMPED_LABELS, count_stamped_labels, parse_timestamped_text
from aligner.types import Token, Transcript

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

__all__ = ["docx_text", "parse_docx"]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc and other OLE files
_ESCAPED = frozenset("\\`*_<>!")  # markup anywhere in a line (brackets stay: [music] notes)
_LINE_START_MARKUP = frozenset("#+-=")  # markup only at a line's start
_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre|título|titolo)\s*([1-9])$", re.IGNORECASE)
_ROLE_AFTER = re.compile(r"[ \t]*\([^():\n]{1,30}\)")  # "**Casey** (caller)": a role typed outside the bold


@dataclass(frozen=True, slots=True)
class _Lead:
    """A bold speaker name opening a paragraph that goes on with unbolded speech."""

    name: str  # as speaker_label returns it
    end: int  # where the bold name (and a role and a colon after it) ends in the paragraph's text
    line_break: bool  # a soft line break, not a space, separates it from the speech
    role: str | None = None


@dataclass(frozen=True, slots=True)
class _Para:
    text: str
    heading_level: int  # 0: not a heading
    is_bold: bool
    is_italic: bool
    lead: _Lead | None = None


def _load(data: bytes, path: str) -> Document:
    if data.startswith(_OLE_MAGIC):
        raise TranscriptError(path, "is a Word 97-2003 .doc file, not .docx; save it as .docx")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TranscriptError(path, "is not a .docx file (not a zip archive)")
    try:
        import docx  # an optional dependency, needed only here
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:
        raise TranscriptError(path, "reading .docx needs python-docx: pip install 'aligner[docx]'") from None
    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, SyntaxError) as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        raise TranscriptError(path, f"is not a readable Word document ({reason})") from None


def _paragraphs(document: Document) -> list[_Para]:
    """Body paragraphs and table cells' paragraphs in document order."""
    out: list[_Para] = []

    def visit(container: Document | _Cell) -> None:
        for item in container.iter_inner_content():
            if hasattr(item, "rows"):  # a table
                seen: set[int] = set()
                for row in item.rows:
                    for cell in row.cells:
                        if id(cell._tc) in seen:  # a merged cell repeats
                            continue
                        seen.add(id(cell._tc))
                        visit(cell)
            else:
                out.append(_describe(item))

    visit(document)
    return out


def _describe(paragraph: Paragraph) -> _Para:
    style = paragraph.style
    name = (style.name or "") if style is not None else ""
    match = _HEADING_STYLE.match(name.strip())
    level = 1 if name.strip().lower() == "title" else int(match.group(1)) if match else 0
    style_bold = bool(style is not None and style.font.bold)
    style_italic = bool(style is not None and style.font.italic)
    runs: list[Run] = []
    for item in paragraph.iter_inner_content():
        runs.extend(item.runs if hasattr(item, "runs") else [item])
    shown = [run for run in runs if run.text.strip()]

    def has(run: Run, attribute: str, inherited: bool) -> bool:
        value = getattr(run, attribute)
        if value is None and run.style is not None:
            value = getattr(run.style.font, attribute)
        return bool(value) if value is not None else inherited

    is_bold = bool(shown) and all(has(run, "bold", style_bold) for run in shown)
    lead = None
    if not level and not is_bold and "".join(run.text for run in runs) == paragraph.text:
        lead = _bold_lead([(run.text, has(run, "bold", style_bold)) for run in runs])
    return _Para(
        text=paragraph.text,
        heading_level=min(level, 6),
        is_bold=is_bold,
        is_italic=bool(shown) and all(has(run, "italic", style_italic) for run in shown),
        lead=lead,
    )


def _bold_lead(runs: list[tuple[str, bool]]) -> _Lead | None:
    """The name-shaped bold text a paragraph opens with, if unbolded speech follows it.

    ``runs`` are (text, is bold) in order. The bold text runs up to the
    first character outside bold that is not white space; white space (the
    break of a ``<w:br/>``, a space) is bold or not alike in Word's output,
    so it never ends the name. A role in parentheses right after the bold
    ("**Casey** (caller)") and a colon right after the name are taken with
    it ("**Kofi Sarpong**: Honestly"); a name that is not a label
    (:func:`~aligner.readers.speakers.speaker_label`) is no label.
    """
    text = "".join(chunk for chunk, _ in runs)
    bold = [is_bold for chunk, is_bold in runs for _ in chunk]
    start = len(text) - len(text.lstrip())
    stop = start
    while stop < len(text) and (bold[stop] or text[stop].isspace()):
        stop += 1
    role = _ROLE_AFTER.match(text, start + len(text[start:stop].rstrip()))
    if role and stop > start:
        stop = role.end()
    if stop < len(text) and text[stop] == ":" and text[stop - 1 : stop].strip():
        stop += 1  # "**Kofi Sarpong**:" ("**Kofi Sarpong:**" holds its colon already)
    head, rest = text[start:stop], text[stop:]
    name = head.rstrip()
    if not rest.strip() or not any(bold[start : start + len(name)]):
        return None
    if "\n" in name or "\r" in name:  # bold lines of their own: not one name
        return None
    found = speaker_label(name.removesuffix(":"))
    if found is None:
        return None
    gap = head[len(name) :] + rest[: len(rest) - len(rest.lstrip())]
    return _Lead(name=found.name, end=start + len(name), line_break="\n" in gap or "\r" in gap, role=found.role)


def _lead_labels(paragraphs: list[_Para]) -> list[_Para]:
    """Keep the bold opening names that are speaker labels; drop the rest.

    A bold name, a soft line break, then the speech is a label on sight:
    that is the layout of a name alone on its line, which Markdown reads as
    a label too. A bold name followed on the same line by the speech, with
    no colon, could be emphasis ("**Never** again"), so it needs evidence
    as ``Name:`` does in Markdown: a name that does not look like a word
    opening a sentence (:func:`~aligner.readers.speakers.is_distinctive`:
    "Kofi Sarpong", "KOFI"), a label with a role ("Casey (caller)"), or one
    that opens two or more paragraphs in
    bold (in any of the bold layouts, a bold paragraph of its own too). A
    bold ``Name:`` and the speech on one line is left to Markdown's
    ``Name:`` rule, as before ("**Tip:** ..." is no speaker).
    """
    opens: dict[str, int] = {}
    for para in paragraphs:
        alone = speaker_label(para.text.strip().removesuffix(":")) if para.is_bold else None
        name = para.lead.name if para.lead else alone.name if alone else None
        if name:
            opens[name] = opens.get(name, 0) + 1

    def keep(lead: _Lead, text: str) -> bool:
        if lead.line_break:
            return True
        if text[: lead.end].endswith(":"):  # "**Tip:** ...": Markdown's Name: rule weighs it, as before
            return False
        return is_distinctive(lead.name) or lead.role is not None or opens[lead.name] >= 2

    return [
        para if para.lead is None or keep(para.lead, para.text) else replace(para, lead=None) for para in paragraphs
    ]


def docx_text(data: bytes, *, path: str = "<bytes>") -> str:
    """The plain text that a .docx transcript's token spans index (see the module docstring).

    Raises:
        TranscriptError: not a .docx, or python-docx is not installed.
    """
    return "\n\n".join(p.text for p in _paragraphs(_load(data, path)))


def _render(paragraphs: list[_Para]) -> tuple[str, list[int]]:
    """Markdown for the paragraphs, and for each of its characters the plain-text index (-1: added markup)."""
    out: list[str] = []
    origin: list[int] = []

    def add(text: str, at: int = -1) -> None:
        out.append(text)
        origin.extend([at] * len(text) if at < 0 else [at])

    plain = 0
    for index, para in enumerate(paragraphs):
        if index:
            add("\n\n")
            plain += 2
        text = para.text
        indent = len(text) - len(text.lstrip())
        body = text.strip()
        if body:
            wrap = ""  # a heading's bold or italics is the heading's style, not emphasis
            if not para.heading_level:
                wrap = "**" if para.is_bold else "*" if para.is_italic else ""
            if para.heading_level:
                add("#" * para.heading_level + " ")
            add(wrap)
            line_start = True
            verbatim_until = 0  # a divider line ("---") is kept as it is: it means what it means in Markdown
            speech_from = 0  # after a bold opening name: the name on a line of its own, then the speech
            if para.lead is not None:
                name_end = para.lead.end - indent
                add("**")
                for k in range(name_end):
                    add(body[k], plain + indent + k)
                add("**\n")
                speech_from = name_end + len(body[name_end:]) - len(body[name_end:].lstrip())
            for k, c in enumerate(body):
                if k < speech_from:
                    continue
                at = plain + indent + k
                if c in "\r\n":
                    line_start = True
                    add(c, at)
                    continue
                if line_start and not wrap and not para.heading_level:
                    line_end = min((p for p in (body.find("\n", k), body.find("\r", k)) if p >= 0), default=len(body))
                    if DIVIDER.match(body[k:line_end].lstrip(" \t")):  # at any indent
                        verbatim_until = line_end
                if k < verbatim_until:
                    add(c, at)
                    line_start = False
                    continue
                if c in _ESCAPED or (line_start and c in _LINE_START_MARKUP):
                    add("\\")
                add(c, at)
                if not c.isspace():
                    line_start = False
            add(wrap)
        plain += len(text)
    return "".join(out), origin


def _to_plain(token: Token, origin: list[int]) -> Token:
    inside = [origin[i] for i in range(token.start_char, token.end_char) if origin[i] >= 0]
    return replace(token, start_char=inside[0], end_char=inside[-1] + 1)


def parse_docx(data: bytes, *, path: str = "<bytes>") -> Transcript:
    """Parse a .docx transcript (see the module docstring).

    Args:
        data: the file's bytes.
        path: the name used in errors and recorded on the result.

    Raises:
        TranscriptError: not a zip, a Word 97-2003 .doc, a zip that is no
            Word document, python-docx missing, or no words.
    """
    paragraphs = _paragraphs(_load(data, path))
    plain = "\n\n".join(p.text for p in paragraphs)
    if count_stamped_labels(plain) >= MIN_STAMPED_LABELS:
        return parse_timestamped_text(plain, path=path, markdown=False)
    markdown, origin = _render(_lead_labels(paragraphs))
    parsed = parse_text(markdown, path=path, markdown=True)
    return replace(parsed, tokens=tuple(_to_plain(token, origin) for token in parsed.tokens))
