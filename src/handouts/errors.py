"""The errors a user can cause, each with the exit code the CLI returns for it."""

from __future__ import annotations

from dataclasses import dataclass

# Exit codes (documented in the README and in `handouts --help`).
EXIT_OK = 0
EXIT_CONTENT = 1  # content invalid, or `check` found a failure
EXIT_USAGE = 2  # bad option, unknown handout or layout name
EXIT_LAYOUT = 3  # a layout folder, style sheet or template is broken
EXIT_OUTPUT = 4  # the output file could not be written
EXIT_DELIVERY = 5  # an email could not be built or sent (server, login, recipient, settings)
EXIT_INTERNAL = 70  # a bug in handouts (traceback with --debug)


@dataclass(frozen=True, eq=False)
class Problem:
    """One thing wrong at one place in one file."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class HandoutsError(Exception):
    """A mistake the user can fix; the CLI prints it without a traceback."""

    exit_code = EXIT_CONTENT

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  hint: {self.hint}"


class ValidationFailed(HandoutsError):
    """A data file (content, layout, config) has one or more problems."""

    def __init__(self, problems: list[Problem], what: str = "content") -> None:
        problems = sorted(problems, key=lambda p: (p.file, p.line, p.column))
        self.problems = problems
        noun = "problem" if len(problems) == 1 else "problems"
        lines = "\n".join(str(p) for p in problems)
        super().__init__(f"{lines}\n{len(problems)} {noun} in {what}; nothing was written.")


class ContentError(HandoutsError):
    exit_code = EXIT_CONTENT


class UsageError(HandoutsError):
    exit_code = EXIT_USAGE


class NotFound(UsageError):
    """An unknown handout, language, layout or clinic name."""


class LayoutError(HandoutsError):
    exit_code = EXIT_LAYOUT


class LayoutInvalid(ValidationFailed):
    exit_code = EXIT_LAYOUT


class OutputError(HandoutsError):
    exit_code = EXIT_OUTPUT


class DeliveryError(HandoutsError):
    """An email could not be sent: the server, the login, a recipient, or the smtp settings."""

    exit_code = EXIT_DELIVERY
