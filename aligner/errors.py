"""The project's exceptions: one base class, one subclass per input.

The CLI prints ``str(error)`` as one line and exits 1; any other exception
escaping the library is a bug.
"""

from __future__ import annotations


class AlignerError(Exception):
    """Base of every error the user can cause and fix."""


class AudioError(AlignerError):
    """The audio file cannot be read or holds no sound."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")

    def __reduce__(self) -> tuple[type[AudioError], tuple[str, str]]:  # pickled by the refinement's process
        return type(self), (self.path, self.reason)


class TranscriptError(AlignerError):
    """The transcript cannot be read or holds no words."""

    def __init__(self, path: str, reason: str, line: int | None = None) -> None:
        self.path = path
        self.reason = reason
        self.line = line
        where = f"{path}, line {line}" if line is not None else path
        super().__init__(f"{where}: {reason}")

    def __reduce__(self) -> tuple[type[TranscriptError], tuple[str, str, int | None]]:
        return type(self), (self.path, self.reason, self.line)


class ModelError(AlignerError):
    """The recognition model cannot be found or loaded."""


class AlignmentError(AlignerError):
    """The transcript and the audio do not belong together."""


class OutputError(AlignerError):
    """An output cannot be written."""


class OptionsError(AlignerError):
    """Options contradict each other or make the job impossible."""


class BatchError(AlignerError):
    """A batch cannot start: its folder, manifest or cluster is unusable.

    An episode that fails inside a batch is reported in the batch's outcomes,
    not raised.
    """
