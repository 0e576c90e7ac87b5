"""The fixture generator (fixtures/make_episode.py), loaded as a module so its parts are reused here.

Why: make_episode.py already solves the hard parts of synthetic speech with truth: flite's phone end times
(``-psdur``) split among a sentence's words by per-word phone counts, cutting a sentence from flite's wave at
a whole millisecond, the music, bit-exact PyAV encoding and the decode-lag check. The benchmark episodes use
those same functions (and its ``{spoken|written|kind}`` edit syntax through ``parse_turn``) rather than copies,
so a fix there is a fix here. It is a script, not a package, so it is loaded from its path.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
MAKE_EPISODE = ROOT / "fixtures" / "make_episode.py"


def _load() -> ModuleType:
    if "make_episode" in sys.modules:  # already imported (e.g. by fixtures/verify_episode.py)
        return sys.modules["make_episode"]
    spec = importlib.util.spec_from_file_location("make_episode", MAKE_EPISODE)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {MAKE_EPISODE}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_episode"] = module  # dataclasses look their module up here
    previous = sys.dont_write_bytecode
    sys.dont_write_bytecode = True  # keep fixtures/ free of __pycache__, as verify_episode.py does
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = previous
    return module


make_episode = _load()
