"""The wizard's questions without a terminal: prompt_toolkit pipe input + DummyOutput."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from wizard.ui.prompter import MenuPrompter, Option

DOWN, ENTER, CTRL_C, ESC, SPACE = "\x1b[B", "\r", "\x03", "\x1b", " "


@pytest.fixture
def pipe() -> Iterator[object]:
    with create_pipe_input() as inp:
        yield inp


def prompter(pipe: object, lang: str = "en") -> MenuPrompter:
    return MenuPrompter(lang, pt_input=pipe, pt_output=DummyOutput())


def test_select_returns_the_default_on_enter(pipe) -> None:  # type: ignore[no-untyped-def]
    pipe.send_text(ENTER)
    opts = [Option("a", "A"), Option("b", "B")]
    assert prompter(pipe).select("wiz.scope", opts, default="b") == "b"


def test_select_moves_with_arrow_keys(pipe) -> None:  # type: ignore[no-untyped-def]
    pipe.send_text(DOWN + ENTER)
    assert prompter(pipe).select("wiz.scope", [Option("a", "A"), Option("b", "B")]) == "b"


def test_disabled_choice_is_skipped(pipe) -> None:  # type: ignore[no-untyped-def]
    pipe.send_text(DOWN + ENTER)
    opts = [
        Option("file", "file"),
        Option("keyring", "keyring", disabled="no D-Bus"),
        Option("inline", "inline"),
    ]
    assert prompter(pipe).select("wiz.store", opts, default="file") == "inline"


def test_checkbox_keeps_preselected_and_toggles(pipe) -> None:  # type: ignore[no-untyped-def]
    pipe.send_text(DOWN + SPACE + ENTER)
    opts = [Option("bash", "bash", checked=True), Option("zsh", "zsh"), Option("fish", "fish", checked=True)]
    assert prompter(pipe).checkbox("wiz.shells", opts) == ["bash", "zsh", "fish"]


def test_secret_asks_again_until_valid(pipe) -> None:  # type: ignore[no-untyped-def]
    key = "sk-0123456789abcdef0123456789abcdef"
    pipe.send_text("bad" + ENTER + "\x15" + key + ENTER)
    seen: list[str] = []

    def check(text: str) -> str | None:
        seen.append(text)
        return None if text.startswith("sk-") else "not a key"

    assert prompter(pipe).secret("wiz.key_prompt", check) == key
    assert seen[0] == "bad"


@pytest.mark.parametrize("keypress", [CTRL_C, ESC], ids=["ctrl-c", "esc"])
def test_interrupt_raises_keyboard_interrupt(pipe, keypress: str) -> None:  # type: ignore[no-untyped-def]
    pipe.send_text(keypress)
    with pytest.raises(KeyboardInterrupt):
        prompter(pipe).select("wiz.scope", [Option("a", "A")])


def test_interrupt_in_the_hidden_prompt(pipe) -> None:  # type: ignore[no-untyped-def]
    pipe.send_text(CTRL_C)
    with pytest.raises(KeyboardInterrupt):
        prompter(pipe).secret("wiz.key_prompt", lambda _t: None)


def test_question_text_follows_the_language(pipe) -> None:  # type: ignore[no-untyped-def]
    p = prompter(pipe, "zh")
    assert p.say("wiz.scope") == "生效范围？"
    p.lang = "en"
    assert p.say("wiz.scope") == "For how long?"
