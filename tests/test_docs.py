"""The docs are tested like code: their Python examples run, and the CLI reference matches ``--help``.

As sqlite-utils does in its ``tests/test_docs.py``: every command has help,
the option tables in docs/cli.md list exactly the options each command has,
and the verbatim ``--help`` block at the end of docs/cli.md is what the
commands print. After changing an option, regenerate that block with::

    python tests/test_docs.py --update
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import click.testing
import pytest

import aligner
from aligner.cli import cli

ROOT = Path(__file__).resolve().parent.parent
CLI_DOC = ROOT / "docs" / "cli.md"
PAGES = [
    ROOT / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
    ROOT / "benchmarks" / "README.md",
    ROOT / "fixtures" / "README.md",
]
COMMANDS = ("align", "batch", "cut", "schema")
HELP_START, HELP_END = "<!-- cli-help:start -->", "<!-- cli-help:end -->"
HELP_WIDTH = 100

_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
_TABLE_OPTION = re.compile(r"^\| `((?:-\w, )?--[\w-]+)")


def help_text(args: list[str]) -> str:
    runner = click.testing.CliRunner()
    result = runner.invoke(
        cli, [*args, "--help"], prog_name="aligner", terminal_width=HELP_WIDTH, max_content_width=HELP_WIDTH
    )
    assert result.exit_code == 0, result.output
    return result.output


def help_block() -> str:
    """The Markdown between the cli-help markers: each command's ``--help``, verbatim."""
    parts = []
    for args in ([], *([name] for name in COMMANDS)):
        title = " ".join(["aligner", *args, "--help"])
        parts.append(f"### `{title}`\n\n```text\n{help_text(args)}```\n")
    return "\n".join(parts)


def _with_block(doc: str, block: str) -> str:
    start, end = doc.index(HELP_START) + len(HELP_START), doc.index(HELP_END)
    return doc[:start] + "\n" + block + doc[end:]


def _table_options(doc: str, command: str) -> set[str]:
    """Options named in the first column of the table under ``### aligner COMMAND``."""
    section = doc.split(f"### aligner {command}\n", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in section.splitlines():
        match = _TABLE_OPTION.match(line)
        if match:
            names.update(part.strip() for part in match.group(1).split(","))
    return names


def _command_options(command: str) -> set[str]:
    cmd = cli.commands[command]
    group = click.Context(cli, info_name="aligner", **cli.context_settings)  # -h as well as --help, as when run
    with click.Context(cmd, info_name=command, parent=group) as ctx:
        params = cmd.get_params(ctx)
    return {opt for param in params if isinstance(param, click.Option) for opt in (*param.opts, *param.secondary_opts)}


def test_every_command_has_help() -> None:
    for name in COMMANDS:
        assert (cli.commands[name].help or "").strip(), f"aligner {name} has no help"
        assert "Example" in (cli.commands[name].help or ""), f"aligner {name}'s help has no example"


@pytest.mark.parametrize("command", COMMANDS)
def test_option_tables_list_exactly_each_commands_options(command: str) -> None:
    doc = CLI_DOC.read_text(encoding="utf-8")
    assert _table_options(doc, command) == _command_options(command)


def test_help_block_is_the_commands_help() -> None:
    doc = CLI_DOC.read_text(encoding="utf-8")
    assert doc == _with_block(doc, help_block()), "docs/cli.md is stale: run python tests/test_docs.py --update"


def test_docs_name_only_the_public_api() -> None:
    """The docs send users to ``aligner.<name>`` only for names the package exports."""
    used: set[str] = set()
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        used.update(re.findall(r"^from aligner import \(?([\w, \n]+?)\)?$", text, flags=re.MULTILINE))
    names = {name.strip() for group in used for name in group.split(",") if name.strip()}
    assert names <= set(aligner.__all__), names - set(aligner.__all__)


_REPO_PATH = re.compile(r"`((?!out/|\.\./|benchmarks/data/)[\w.-]+/[\w./-]+\.(?:py|md|json|mp3|txt|srt|vtt|docx))`")
"""A backticked path with a folder in it: ``tests/test_cache.py``, ``refine/handoff.py`` (under aligner/); not outputs or generated benchmark data."""


def test_every_file_the_docs_name_exists() -> None:
    """A moved module or test must not leave the docs pointing at nothing."""
    named = [(page, name) for page in PAGES for name in _REPO_PATH.findall(page.read_text(encoding="utf-8"))]
    assert len(named) > 20  # the pattern finds the paths the docs do name
    missing = [
        f"{page.relative_to(ROOT)}: {name}"
        for page, name in named
        if not any((base / name).exists() for base in (ROOT, ROOT / "aligner", ROOT / "benchmarks", ROOT / "fixtures"))
    ]
    assert not missing, missing


def _python_blocks() -> list[tuple[str, int, str]]:
    blocks = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for match in _PYTHON_BLOCK.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            blocks.append((page.relative_to(ROOT).as_posix(), line, match.group(1)))
    return blocks


def test_the_docs_have_python_examples() -> None:
    assert len(_python_blocks()) >= 3


@pytest.mark.model
@pytest.mark.parametrize(
    ("page", "line", "code"), _python_blocks(), ids=lambda v: str(v) if isinstance(v, (str, int)) else ""
)
def test_python_example_runs(page: str, line: int, code: str, tmp_path: Path, cache_dir: Path) -> None:
    """Each ```python block runs from a folder holding the fixtures, as from the repository root."""
    (tmp_path / "fixtures").symlink_to(ROOT / "fixtures")
    env = {**os.environ, "ALIGNER_CACHE_DIR": str(cache_dir)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"{page}, line {line}:\n{done.stderr}"


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        raise SystemExit("usage: python tests/test_docs.py --update")
    CLI_DOC.write_text(_with_block(CLI_DOC.read_text(encoding="utf-8"), help_block()), encoding="utf-8")
    print(f"updated {CLI_DOC.relative_to(ROOT)}")
