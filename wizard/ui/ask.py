"""How the wizard asks, whatever the terminal: the `Prompter` interface, its `Option`, and the one
place that picks an implementation for this terminal.

A terminal that can move the cursor gets menus (prompter.py, questionary). One that cannot
(TERM=dumb: Emacs's shell, a CI log; no TERM at all outside Windows) would show menus as escape
sequences and garbage, so it gets numbered prompts read a line at a time (numbered.py), and no
escape byte at all. The wizard's code does not know which one it got.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from wizard.context import Context

FALLBACK_COLUMNS = 80


@dataclass(frozen=True)
class Option:
    """One choice of a select/checkbox: its value, its label, and why it is disabled (if it is)."""

    value: Any
    label: str
    disabled: str | None = None
    checked: bool = False


class Prompter(Protocol):
    """Each method asks, validates and returns a value; Ctrl-C, Esc or the end of input raise
    KeyboardInterrupt (exit 130, nothing written)."""

    lang: str
    # Filled into every message: {prog}, the command that starts this tool as it was started.
    params: dict[str, Any]

    def say(self, msg_id: str, **params: Any) -> str: ...

    def select(self, msg_id: str, options: Sequence[Option], default: Any = None, **params: Any) -> Any: ...

    def checkbox(self, msg_id: str, options: Sequence[Option], **params: Any) -> list[Any]: ...

    def secret(self, msg_id: str, check: Callable[[str], str | None], **params: Any) -> str: ...

    def text(
        self, msg_id: str, check: Callable[[str], str | None], default: str = "", **params: Any
    ) -> str: ...


def columns(stream: Any) -> int:
    """The width to wrap text to: the terminal's, 80 when it does not say, 0 (no wrapping) when
    the stream is not a terminal (a file or a pipe keeps each message on one line)."""
    try:
        if not stream.isatty():
            return 0
        size = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return 0
    return size if size > 0 else FALLBACK_COLUMNS


def for_terminal(ctx: Context, lang: str, params: dict[str, Any] | None = None) -> Prompter:
    """Menus where the cursor can move, numbered prompts where it cannot."""
    if ctx.dumb_terminal():
        from wizard.ui.numbered import NumberedPrompter

        return NumberedPrompter(lang, ctx.stdin, ctx.stdout, params=dict(params or {}))
    from wizard.ui.prompter import MenuPrompter

    return MenuPrompter(lang, plain=ctx.plain(), params=dict(params or {}))
