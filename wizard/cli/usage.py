"""argparse in the user's language, and its errors as values instead of prints and exits.

argparse writes its frame ("usage:", "options:", "error:", "invalid choice", "the following
arguments are required" …) through gettext: it calls its module globals `_` and `ngettext` at the
moment it formats. `translated(lang)` points them at the catalogue's ``usage.ap.*`` entries for the
duration of a parse (the CLI parses once per process; they are restored after). Python 3.9 and
3.10 build "argument --x: …" without gettext, so `Parser.error` rebuilds that prefix from the
ArgumentError being handled, the same way on every version.

A usage error is raised as `UsageError` and rendered by cli/run.py like any other error: in the
user's language, with the key-shaped words masked, and as one JSON object under --json.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from typing import Any, NoReturn

from wizard.keys import redact
from wizard.messages import catalogue


class UsageError(Exception):
    """Exit 2. `msg_id`/`params`: the catalogue message (``err.usage`` carries argparse's own
    text, already translated). `usage`: the usage lines of the parser that refused, and its prog;
    None when the error is not about the command line's shape."""

    def __init__(
        self,
        msg_id: str,
        params: dict[str, Any],
        *,
        command: str | None,
        usage: tuple[str, str] | None = None,
    ) -> None:
        super().__init__(msg_id)
        self.msg_id = msg_id
        self.params = params
        self.command = command
        self.usage = usage


@contextlib.contextmanager
def translated(lang: str) -> Iterator[None]:
    """argparse's texts in `lang` while the block runs (English: argparse's own)."""
    if lang == "en":
        yield
        return
    table = {en: zh for msg_id, (en, zh) in catalogue().items() if msg_id.startswith("usage.ap.")}

    def gettext(text: str) -> str:
        return table.get(text, text)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    saved = {name: getattr(argparse, name) for name in ("_", "ngettext") if hasattr(argparse, name)}
    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(argparse, name, value)


def tr(text: str) -> str:
    """One of argparse's texts, through whatever `translated` has put in place."""
    gettext = getattr(argparse, "_", None)
    return gettext(text) if callable(gettext) else text


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are raised, not printed. `command` names the sub-command a
    sub-parser belongs to (None for the top level)."""

    command: str | None = None

    def error(self, message: str) -> NoReturn:
        handled = sys.exc_info()[1]
        if isinstance(handled, argparse.ArgumentError) and handled.argument_name:
            message = tr("argument %(argument_name)s: %(message)s") % {
                "argument_name": handled.argument_name,
                "message": handled.message,
            }
        raise UsageError(
            "err.usage",
            {"detail": redact(message)},  # argparse quotes what it refuses: maybe a pasted key
            command=self.command,
            usage=(self.format_usage(), self.prog),
        )

    def refuse(self, msg_id: str, **params: Any) -> NoReturn:
        """A usage error of our own, in the same frame."""
        raise UsageError(msg_id, params, command=self.command, usage=(self.format_usage(), self.prog))
