"""Errors that reach the officer. Each says where and what to do (gTTSError style)."""

from __future__ import annotations

import errno

from broadcast.i18n import _, ngettext


class BroadcastError(Exception):
    """Base error: message plus an optional hint on the probable cause or fix."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if not self.hint:
            return self.message
        return _("{message}\n  hint: {hint}").format(message=self.message, hint=self.hint)

    def __reduce__(self):
        """Picklable whatever the subclass's arguments: errors cross from worker processes."""
        return _rebuild, (type(self), self.args, self.__dict__)


def _rebuild(cls, args: tuple, state: dict) -> BroadcastError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class InputError(BroadcastError):
    """A file the officer wrote is wrong: names the file, line and field."""

    def __init__(self, path, line: int | None, field: str | None, problem: str,
                 hint: str | None = None):
        where = _("{path}, line {line}").format(path=path, line=line) if line else str(path)
        what = f"{field}: {problem}" if field else problem
        super().__init__(f"{where}: {what}", hint)
        self.path, self.line, self.field, self.problem = path, line, field, problem


class ScriptErrors(BroadcastError):
    """Several problems found while checking scripts; each is an InputError."""

    def __init__(self, problems: list[InputError]):
        self.problems = problems
        lines = "\n".join(str(p) for p in problems)
        found = ngettext("{count} problem found:", "{count} problems found:", len(problems))
        super().__init__(found.format(count=len(problems)) + "\n" + lines)


class EngineError(BroadcastError):
    """A speech engine could not produce audio."""


class AudioError(BroadcastError):
    """Decoding, mixing or encoding failed."""


class DocumentError(BroadcastError):
    """A document to import cannot be read (damaged, encrypted, too large, no text)."""


class ConfigError(BroadcastError):
    """station.yaml or a schedule is wrong."""


class DiskFullError(BroadcastError, OSError):
    """The disk refused a write: where, and how much room is left. Also an OSError (ENOSPC),
    so code that survives a failed write survives this one."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message, hint)
        self.errno = errno.ENOSPC
