"""Shared fixtures: paths to the project's fixtures and one model-backed run.

The model-backed run of the fixture episode is done once per test session
(recognition is the slow part) with a cache folder of the session's own, so
tests never read or write the user's cache.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
sys.path.insert(0, str(FIXTURES))  # fixtures/truth.py: matching output to the episode's truth
EPISODE = FIXTURES / "episode"
AUDIO = FIXTURES / "audio"
TRANSCRIPTS = FIXTURES / "transcripts"


@pytest.fixture(scope="session")
def episode_audio() -> Path:
    return EPISODE / "episode.mp3"


@pytest.fixture(scope="session")
def episode_transcript() -> Path:
    return EPISODE / "episode.md"


@pytest.fixture(scope="session")
def truth() -> dict:
    return json.loads((EPISODE / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("recognition-cache")


@pytest.fixture(scope="session")
def episode_result(episode_audio, episode_transcript, cache_dir):
    from aligner import align

    return align(episode_audio, episode_transcript, cache_dir=cache_dir)
