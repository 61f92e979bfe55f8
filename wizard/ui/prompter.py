"""The questions of the interactive wizard, and nothing else: each function asks, validates and
returns a value. No files, no network; output only through prompt_toolkit.

Ctrl-C and Esc both raise KeyboardInterrupt (questionary's `unsafe_ask`; `ask` would swallow it
and return None), which cli.py turns into exit 130 with "nothing was changed". Esc acts at once
(prompt_toolkit would wait 0.5 s for the rest of an escape sequence), and letters never move a
menu's selection (questionary's j/k): a key pasted into a menu once chose "Quit" (its k).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import questionary
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from prompt_toolkit.keys import Keys
from prompt_toolkit.output.color_depth import ColorDepth

from wizard.messages import t

T = TypeVar("T")


@dataclass(frozen=True)
class Option:
    """One choice of a select/checkbox: its value, its label, and why it is disabled (if it is)."""

    value: Any
    label: str
    disabled: str | None = None
    checked: bool = False


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
class Prompter:
    lang: str
    plain: bool = False  # NO_COLOR or TERM=dumb: no colours
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
        bindings = KeyBindings()

        @bindings.add(Keys.Escape, eager=True)
        def _escape(event: Any) -> None:
            event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

        app = question.application
        app.ttimeoutlen = 0.05  # a lone Esc is known to be Esc after 50 ms
        app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), bindings])
        return question.unsafe_ask()

    def say(self, msg_id: str, **params: Any) -> str:
        return t(self.lang, msg_id, **{**self.params, **params})

    def select(self, msg_id: str, options: Sequence[Option], default: Any = None, **params: Any) -> Any:
        choices = [questionary.Choice(o.label, value=o.value, disabled=o.disabled) for o in options]
        chosen = next((c for c in choices if c.value == default and not c.disabled), None)
        question = questionary.select(
            self.say(msg_id, **params),
            choices=choices,
            default=chosen,
            instruction=self.say("wiz.instr_select"),
            use_jk_keys=False,
            **self._kwargs(),
        )
        return self._ask(question)

    def checkbox(self, msg_id: str, options: Sequence[Option], **params: Any) -> list[Any]:
        choices = [
            questionary.Choice(o.label, value=o.value, disabled=o.disabled, checked=o.checked)
            for o in options
        ]
        need_one = self.say("wiz.need_one")
        message = self.say(msg_id, **params)
        # questionary would leave "done (3 selections)" in English: erase its line, write our own.
        question = questionary.checkbox(
            message,
            choices=choices,
            validate=lambda picked: True if picked else need_one,
            instruction=self.say("wiz.instr_checkbox"),
            erase_when_done=True,
            use_jk_keys=False,
            **self._kwargs(),
        )
        result: list[Any] = self._ask(question)
        labels = ", ".join(o.label.split("  ")[0] for o in options if o.value in result)
        from prompt_toolkit import print_formatted_text
        from prompt_toolkit.formatted_text import FormattedText

        print_formatted_text(
            FormattedText(
                [("class:qmark", "? "), ("class:question", message + " "), ("class:answer", labels)]
            ),
            style=_STYLE,
            output=self.pt_output,
            color_depth=ColorDepth.DEPTH_1_BIT if self.plain else None,
        )
        return result

    def secret(self, msg_id: str, check: Callable[[str], str | None], **params: Any) -> str:
        """A hidden prompt; `check` returns an error message (shown under the prompt) or None."""

        def validate(text: str) -> bool | str:
            problem = check(text)
            return True if problem is None else problem

        question = questionary.password(self.say(msg_id, **params), validate=validate, **self._kwargs())
        value: str = self._ask(question)
        return value

    def text(self, msg_id: str, check: Callable[[str], str | None], default: str = "", **params: Any) -> str:
        def validate(text: str) -> bool | str:
            problem = check(text)
            return True if problem is None else problem

        question = questionary.text(
            self.say(msg_id, **params), default=default, validate=validate, **self._kwargs()
        )
        value: str = self._ask(question)
        return value
