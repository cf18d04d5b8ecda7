"""The one exception type users see: a one-line message and an exit code."""

from __future__ import annotations


class BriefgenError(Exception):
    """An error caused by input, templates or configuration, reported as one line.

    ``exit_code`` is what the CLI exits with: 2 for bad input or options (the default),
    3 for template problems, 4 for output problems, 5 for ``--strict`` refusals, 6 when
    the mail server cannot be reached (after retries), 7 when it refuses the message, 8
    when the message may have been delivered (its end was sent, no reply came), 9 when
    ``build`` of several articles built some but not all of them (each article's own code
    is in its result).
    """

    exit_code = 2

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class InputError(BriefgenError):
    """The source document cannot be read or is not a readout."""


class BriefError(BriefgenError):
    """A brief file (YAML/JSON) is invalid."""


class TemplateError(BriefgenError):
    """A template or style sheet is broken."""

    exit_code = 3


class OutputError(BriefgenError):
    """Something went wrong while writing output files."""

    exit_code = 4
