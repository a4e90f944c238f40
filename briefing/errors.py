"""Failures the user can act on.

Every message says what went wrong, where, and how to fix it. The CLI catches
:class:`BriefingError`, prints the message on stderr and exits with 1; anything
else is a bug and keeps its traceback.
"""


class BriefingError(Exception):
    """Base class of every failure the user can fix."""


class InputError(BriefingError):
    """An input file cannot be read (empty, binary, corrupt, unknown format)."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class ConfigError(BriefingError):
    """Settings are missing or contradict each other."""


class TemplateError(BriefingError):
    """A template is missing or does not render."""


class SendError(BriefingError):
    """A briefing could not be delivered."""
