"""Shared fixtures: paths to the project's fixtures and one model-backed run.

The paths are the ones in :mod:`support.paths` (module constants there, for
``parametrize``; fixtures here). The model-backed run of the fixture episode
is done once per test session (recognition is the slow part) with a cache
folder of the session's own, so tests never read or write the user's cache.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import paths


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return paths.FIXTURES


@pytest.fixture(scope="session")
def audio_dir() -> Path:
    """fixtures/audio: short clips and broken files (see its manifest.json)."""
    return paths.AUDIO


@pytest.fixture(scope="session")
def transcripts_dir() -> Path:
    return paths.TRANSCRIPTS


@pytest.fixture(scope="session")
def episode_dir() -> Path:
    """fixtures/episode: the 64 s synthesized episode, its transcripts and its truth."""
    return paths.EPISODE


@pytest.fixture(scope="session")
def episode_audio() -> Path:
    return paths.EPISODE_MP3


@pytest.fixture(scope="session")
def episode_transcript() -> Path:
    return paths.EPISODE_MD


@pytest.fixture(scope="session")
def truth() -> dict:
    return json.loads((paths.EPISODE / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("recognition-cache")


@pytest.fixture(scope="session")
def episode_result(episode_audio, episode_transcript, cache_dir):
    from aligner import AlignOptions, align

    return align(episode_audio, episode_transcript, AlignOptions(cache_dir=cache_dir))


@pytest.fixture(scope="session")
def first_pass(episode_audio, episode_transcript, cache_dir):
    """The fixture episode recognised and refined: (audio, transcript, recognition, refinement, options)."""
    from aligner.audio import audio_file
    from aligner.listen import listen
    from aligner.options import AlignOptions
    from aligner.readers import read_transcript

    options = AlignOptions(cache_dir=cache_dir)
    audio = audio_file(episode_audio)
    recognition, refinement = listen(audio, options)
    if refinement is None:
        from aligner.listen import refinement_of

        refinement = refinement_of(audio, recognition, options)
    return audio, read_transcript(episode_transcript), recognition, refinement, options
