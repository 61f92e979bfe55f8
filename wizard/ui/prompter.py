"""The wizard's questions as menus (questionary), for a terminal that can move the cursor, and
nothing else: each method asks, validates and returns a value. No files, no network; output only
through prompt_toolkit. The interface is ask.Prompter; ask.for_terminal picks this one.

Ctrl-C and Esc both raise KeyboardInterrupt (questionary's `unsafe_ask`; `ask` would swallow it
and return None), which cli.py turns into exit 130 with "nothing was changed". Esc acts at once
(prompt_toolkit would wait 0.5 s for the rest of an escape sequence), and letters never move a
menu's selection (questionary's j/k): a key pasted into a menu once chose "Quit" (its k).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import questionary
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from prompt_toolkit.keys import Keys
from prompt_toolkit.output.color_depth import ColorDepth

from wizard import interrupts
from wizard.messages import t
from wizard.ui.ask import Option, Prompter, columns
from wizard.ui.wrap import width_of, wrap, wrap_line

__all__ = ["MenuPrompter", "Option", "Prompter"]


_STYLE = questionary.Style(
    [
        ("qmark", "fg:ansicyan bold"),
        ("question", "bold"),
        ("answer", "fg:ansigreen"),
        ("pointer", "fg:ansicyan bold"),
        ("highlighted", "fg:ansicyan"),
        ("selected", "fg:ansigreen"),
        ("disabled", "fg:ansibrightblack italic"),
        ("instruction", "fg:ansibrightblack"),
    ]
)


@dataclass
class MenuPrompter:
    lang: str
    plain: bool = False  # NO_COLOR: no colours
    pt_input: Any = None  # prompt_toolkit Input/Output, injected by tests
    pt_output: Any = None
    # Filled into every message: {prog}, the command that starts this tool as it was started.
    params: dict[str, Any] = field(default_factory=dict)
    _extra: dict[str, Any] = field(default_factory=dict)

    def _kwargs(self) -> dict[str, Any]:
        kw: dict[str, Any] = {"style": _STYLE, "qmark": "?"}
        if self.plain:
            kw["color_depth"] = ColorDepth.DEPTH_1_BIT
        if self.pt_input is not None:
            kw["input"] = self.pt_input
        if self.pt_output is not None:
            kw["output"] = self.pt_output
        return kw

    def _ask(self, question: questionary.Question) -> Any:
        interrupts.raise_if_pending()  # a Ctrl-C CPython swallowed still ends the run here
        bindings = KeyBindings()

        # A SIGINT that reaches a running menu (Ctrl-C typed while the terminal was still in cooked
        # mode, as the menu started; or `kill -INT`) arrives as the <sigint> key, which prompt_toolkit
        # ignores in a plain Application: questionary's menus then carried on as if nothing happened.
        @bindings.add(Keys.Escape, eager=True)
        @bindings.add(Keys.SIGINT, eager=True)
        def _escape(event: Any) -> None:
            event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

        app = question.application
        app.ttimeoutlen = 0.05  # a lone Esc is known to be Esc after 50 ms
        app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), bindings])
        return question.unsafe_ask()

    def say(self, msg_id: str, **params: Any) -> str:
        return t(self.lang, msg_id, **{**self.params, **params})

    def _width(self) -> int:
        """Columns to wrap to, one short of the terminal's: prompt_toolkit folds a longer line
        anywhere, mid-word. 0 (no wrapping) when tests inject the output."""
        return 0 if self.pt_output is not None else max(columns(sys.stdout) - 1, 0)

    def _question(self, msg_id: str, params: dict[str, Any], instruction: str = "") -> tuple[str, str]:
        """The question wrapped under questionary's "? ", and its instruction on the next line
        when the question's last line has no room for it."""
        width = self._width()
        message = wrap("? " + self.say(msg_id, **params), width, (self.params.get("prog", ""),))[2:]
        last = ("? " + message).rsplit("\n", 1)[-1]
        if instruction and width and width_of(last) + 1 + width_of(instruction) > width:
            instruction = "\n  " + instruction
        return message, instruction

    def _label(self, label: str, indent: int) -> str:
        """A choice's label wrapped under itself (questionary draws `indent` columns before it)."""
        width = self._width()
        if not width:
            return label
        lines = wrap_line(label, max(width - indent, 10), (self.params.get("prog", ""),))
        return ("\n" + " " * indent).join(lines)

    def select(self, msg_id: str, options: Sequence[Option], default: Any = None, **params: Any) -> Any:
        choices = [
            questionary.Choice(self._label(o.label, 3), value=o.value, disabled=o.disabled) for o in options
        ]
        chosen = next((c for c in choices if c.value == default and not c.disabled), None)
        message, instruction = self._question(msg_id, params, self.say("wiz.instr_select"))
        question = questionary.select(
            message,
            choices=choices,
            default=chosen,
            instruction=instruction,
            use_jk_keys=False,
            erase_when_done=True,
            **self._kwargs(),
        )
        value = self._ask(question)
        self._answered(msg_id, params, next(o.label for o in options if o.value == value))
        return value

    def checkbox(self, msg_id: str, options: Sequence[Option], **params: Any) -> list[Any]:
        choices = [
            questionary.Choice(self._label(o.label, 5), value=o.value, disabled=o.disabled, checked=o.checked)
            for o in options
        ]
        need_one = self.say("wiz.need_one")
        message, instruction = self._question(msg_id, params, self.say("wiz.instr_checkbox"))
        question = questionary.checkbox(
            message,
            choices=choices,
            validate=lambda picked: True if picked else need_one,
            instruction=instruction,
            erase_when_done=True,
            use_jk_keys=False,
            **self._kwargs(),
        )
        result: list[Any] = self._ask(question)
        self._answered(
            msg_id, params, ", ".join(o.label.split("  ")[0] for o in options if o.value in result)
        )
        return result

    def _answered(self, msg_id: str, params: dict[str, Any], answer: str) -> None:
        """The question and its answer, left on the screen: our own line, wrapped (questionary
        would fold a long answer mid-word, and leave a checkbox's "done (3 selections)" in English)."""
        from prompt_toolkit import print_formatted_text
        from prompt_toolkit.formatted_text import FormattedText

        lines = wrap(
            f"? {self.say(msg_id, **params)} \x00{answer}", self._width(), (self.params.get("prog", ""),)
        )
        question, _, answer = lines[2:].partition("\x00")
        print_formatted_text(
            FormattedText([("class:qmark", "? "), ("class:question", question), ("class:answer", answer)]),
            style=_STYLE,
            output=self.pt_output,
            color_depth=ColorDepth.DEPTH_1_BIT if self.plain else None,
        )

    def secret(self, msg_id: str, check: Callable[[str], str | None], **params: Any) -> str:
        """A hidden prompt; `check` returns an error message (shown under the prompt) or None."""

        def validate(text: str) -> bool | str:
            problem = check(text)
            return True if problem is None else problem

        message, _ = self._question(msg_id, params)
        question = questionary.password(message, validate=validate, **self._kwargs())
        value: str = self._ask(question)
        return value

    def text(self, msg_id: str, check: Callable[[str], str | None], default: str = "", **params: Any) -> str:
        def validate(text: str) -> bool | str:
            problem = check(text)
            return True if problem is None else problem

        message, _ = self._question(msg_id, params)
        question = questionary.text(message, default=default, validate=validate, **self._kwargs())
        value: str = self._ask(question)
        return value
