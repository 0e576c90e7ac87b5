"""Where the project's fixtures are (fixtures/; see fixtures/README.md).

Module constants for the places a fixture cannot reach (``parametrize``
arguments, module-level tables); tests take the same paths as fixtures from
tests/conftest.py.
"""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures"
EPISODE = FIXTURES / "episode"
AUDIO = FIXTURES / "audio"
TRANSCRIPTS = FIXTURES / "transcripts"
EXPECTED = FIXTURES / "expected"
EPISODE_MP3 = EPISODE / "episode.mp3"
EPISODE_MD = EPISODE / "episode.md"
