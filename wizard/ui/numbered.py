"""The wizard's questions for a terminal that cannot move the cursor (TERM=dumb: Emacs's shell,
a CI log): a numbered list and a line of input, read the way `input()` reads it. Nothing here
writes an escape byte: no colour, no cursor movement, no bracketed paste.

The same interface as the menus (ask.Prompter). A select is answered with one number (Enter takes
the default), a checkbox with a line of numbers ("1 3"), the key without echo. An answer that is
not one of the numbers is asked again with a short hint. Ctrl-C, the end of input (Ctrl-D) or a
line holding Esc raise KeyboardInterrupt, as Ctrl-C and Esc do in the menus.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from wizard import interrupts
from wizard.messages import t
from wizard.ui.ask import Option, columns
from wizard.ui.wrap import wrap, wrap_line


@dataclass
class NumberedPrompter:
    lang: str
    stdin: TextIO
    stdout: TextIO
    params: dict[str, Any] = field(default_factory=dict)

    def say(self, msg_id: str, **params: Any) -> str:
        return t(self.lang, msg_id, **{**self.params, **params})

    def _write(self, text: str) -> None:
        self.stdout.write(wrap(text, columns(self.stdout), (self.params.get("prog", ""),)))
        self.stdout.flush()

    def _read(self, prompt: str) -> str:
        interrupts.raise_if_pending()  # a Ctrl-C CPython swallowed still ends the run here
        self._write(prompt + " ")
        try:
            line = self.stdin.readline()
        except KeyboardInterrupt:  # Ctrl-C: what follows starts on a line of its own
            self._write("\n")
            raise
        if not line or "\x1b" in line:  # end of input, or Esc (then Enter)
            self._write("\n")
            raise KeyboardInterrupt
        return line.rstrip("\r\n")

    def _question(self, msg_id: str, params: dict[str, Any]) -> None:
        self._write("? " + self.say(msg_id, **params) + "\n")

    def _list(self, options: Sequence[Option], marks: Callable[[Option], str]) -> list[Option]:
        """Prints the options, the enabled ones numbered from 1; returns those, in order."""
        numbered: list[Option] = []
        for o in options:
            if o.disabled:
                self._item("     -  ", f"{o.label} ({o.disabled})")
                continue
            numbered.append(o)
            self._item(f"  {marks(o)}{len(numbered):>2}) ", o.label)
        return numbered

    def _item(self, prefix: str, label: str) -> None:
        """One line of a list, its label wrapped under itself."""
        width = columns(self.stdout)
        lines = wrap_line(label, max(width - len(prefix), 10) if width else 0, (self.params.get("prog", ""),))
        self.stdout.write(prefix + ("\n" + " " * len(prefix)).join(lines) + "\n")
        self.stdout.flush()

    def select(self, msg_id: str, options: Sequence[Option], default: Any = None, **params: Any) -> Any:
        self._question(msg_id, params)
        default_is = [o.value == default for o in options if not o.disabled]
        numbered = self._list(options, lambda o: "* " if o.value == default else "  ")
        n = len(numbered)
        first = default_is.index(True) + 1 if True in default_is else 1
        while True:
            answer = self._read(self.say("wiz.num_choose", n=n, default=first)).strip()
            if not answer:
                return numbered[first - 1].value
            if answer.isdigit() and 1 <= int(answer) <= n:
                return numbered[int(answer) - 1].value
            self._write(self.say("wiz.num_bad", n=n) + "\n")

    def checkbox(self, msg_id: str, options: Sequence[Option], **params: Any) -> list[Any]:
        self._question(msg_id, params)
        numbered = self._list(options, lambda o: "[x]" if o.checked else "[ ]")
        n = len(numbered)
        preset = " ".join(str(i) for i, o in enumerate(numbered, 1) if o.checked)
        prompt_id = "wiz.num_pick" if preset else "wiz.num_pick_none"
        while True:
            answer = self._read(self.say(prompt_id, n=n, default=preset)).strip() or preset
            picked = _numbers(answer, n)
            if picked:
                return [o.value for i, o in enumerate(numbered, 1) if i in picked]
            self._write(self.say("wiz.num_bad_many", n=n) + "\n")

    def secret(self, msg_id: str, check: Callable[[str], str | None], **params: Any) -> str:
        while True:
            value = self._hidden("? " + self.say(msg_id, **params))
            problem = check(value)
            if problem is None:
                return value
            self._write(problem + "\n")

    def _hidden(self, prompt: str) -> str:
        """A line read with the terminal's echo off (line editing and Ctrl-C still work), from our
        own input, like getpass; Windows's console has getpass's own calls for it."""
        interrupts.raise_if_pending()
        try:
            import termios
        except ImportError:
            import getpass

            try:
                return getpass.getpass(prompt + " ", stream=self.stdout)
            except EOFError:
                raise KeyboardInterrupt from None
        try:
            fd = self.stdin.fileno()
            old = termios.tcgetattr(fd)
        except (AttributeError, ValueError, OSError, termios.error):
            return self._read(prompt)  # not a terminal: nothing is echoed
        new = list(old)
        new[3] &= ~termios.ECHO
        termios.tcsetattr(fd, termios.TCSADRAIN, new)
        try:
            return self._read(prompt)
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, old)
            self._write("\n")  # the Enter the terminal did not echo

    def text(self, msg_id: str, check: Callable[[str], str | None], default: str = "", **params: Any) -> str:
        prompt = "? " + self.say(msg_id, **params) + (f" [{default}]" if default else "")
        while True:
            value = self._read(prompt) or default
            problem = check(value)
            if problem is None:
                return value
            self._write(problem + "\n")


def _numbers(answer: str, n: int) -> set[int] | None:
    """ "1 3" or "1,3": the numbers chosen, or None when anything else was typed."""
    words = [w for w in re.split(r"[\s,\uff0c\u3001]+", answer) if w]
    if not words or not all(w.isdigit() and 1 <= int(w) <= n for w in words):
        return None
    return {int(w) for w in words}
