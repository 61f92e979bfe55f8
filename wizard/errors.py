"""One error type carrying its exit code (the table is in the README); cli/run.py maps it once."""

from __future__ import annotations

from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    OK = 0
    INTERNAL = 1
    USAGE = 2
    KEY_REJECTED = 3
    ACCOUNT = 4
    MODEL = 5
    RATE_LIMITED = 6
    NETWORK = 7
    STORE = 8
    NOT_CONFIGURED = 9  # no key is configured: `status`, and `env`/`run`/`test` with nothing stored
    NOT_COMPLIANT = 10  # `status --check`: this machine deviates from the team file (or has no sound key)
    CANNOT_EXECUTE = 126  # `run`: the command exists but cannot be started (the shells' convention)
    NOT_FOUND = 127  # `run`: no such command
    INTERRUPTED = 130


class SetupError(Exception):
    """An expected failure with a catalogue message.

    The message id and parameters are rendered later in the user's language. Parameters must
    never contain the raw key: callers pass masks, lengths and paths only.
    """

    def __init__(self, code: ExitCode, msg_id: str, **params: Any) -> None:
        super().__init__(msg_id)
        self.code = code
        self.msg_id = msg_id
        self.params = params

    def __repr__(self) -> str:
        return f"SetupError({self.code.name}, {self.msg_id!r})"
