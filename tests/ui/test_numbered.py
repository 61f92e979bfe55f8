"""Numbered prompts, for a terminal that cannot move the cursor: answers typed as numbers, wrong
answers asked again, Ctrl-D and Esc quit; and the one place that picks them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.conftest import make_ctx
from wizard.messages import t
from wizard.ui.ask import for_terminal
from wizard.ui.numbered import NumberedPrompter
from wizard.ui.prompter import MenuPrompter, Option

OPTIONS = [Option("go", "Go ahead"), Option("change", "Change…"), Option("quit", "Quit")]


def ask(typed: str, lang: str = "en") -> tuple[NumberedPrompter, io.StringIO]:
    out = io.StringIO()
    return NumberedPrompter(lang, io.StringIO(typed), out), out


def test_enter_takes_the_default_which_is_marked() -> None:
    p, out = ask("\n")
    assert p.select("wiz.confirm", OPTIONS, default="change") == "change"
    shown = out.getvalue()
    assert "* " in shown.splitlines()[2] and "Change…" in shown.splitlines()[2]
    assert t("en", "wiz.num_choose", n=3, default=2) in shown


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_wrong_answer_is_asked_again_with_a_hint(lang: str) -> None:
    p, out = ask("x\n9\n3\n", lang)
    assert p.select("wiz.confirm", OPTIONS, default="go") == "quit"
    assert out.getvalue().count(t(lang, "wiz.num_bad", n=3)) == 2


def test_disabled_choices_are_shown_but_not_numbered() -> None:
    options = [
        Option("file", "file"),
        Option("keyring", "keyring", disabled="no D-Bus"),
        Option("inline", "inline"),
    ]
    p, out = ask("2\n")
    assert p.select("wiz.store", options, default="file") == "inline"
    assert "keyring (no D-Bus)" in out.getvalue()


def test_a_checkbox_is_a_line_of_numbers_and_enter_keeps_the_preselection() -> None:
    options = [
        Option("bash", "bash", checked=True),
        Option("zsh", "zsh"),
        Option("fish", "fish", checked=True),
    ]
    p, out = ask("1 2\n")
    assert p.checkbox("wiz.shells", options) == ["bash", "zsh"]
    p, out = ask("\n")
    assert p.checkbox("wiz.shells", options) == ["bash", "fish"]
    assert t("en", "wiz.num_pick", default="1 3") in out.getvalue()


def test_a_checkbox_needs_one_valid_number() -> None:
    p, out = ask("\n4\n2\n")
    assert p.checkbox("wiz.shells", [Option("bash", "bash"), Option("zsh", "zsh")]) == ["zsh"]
    assert out.getvalue().count(t("en", "wiz.num_bad_many", n=2)) == 2


def test_the_secret_is_checked_and_asked_again() -> None:
    key = "sk-0123456789abcdef0123456789abcdef"
    p, out = ask(f"bad\n{key}\n")
    assert p.secret("wiz.key_prompt", lambda s: None if s.startswith("sk-") else "not a key") == key
    assert "not a key" in out.getvalue()


@pytest.mark.parametrize("typed", ["", "\x1b\n", "2\x1b\n"], ids=["ctrl-d", "esc", "esc-after-text"])
def test_end_of_input_or_esc_quits(typed: str) -> None:
    p, _ = ask(typed)
    with pytest.raises(KeyboardInterrupt):
        p.select("wiz.confirm", OPTIONS)
    p, _ = ask(typed)
    with pytest.raises(KeyboardInterrupt):
        p.secret("wiz.key_prompt", lambda _s: None)


def test_nothing_written_holds_an_escape_byte() -> None:
    p, out = ask("2\n1 2\nsk-x\n")
    p.select("wiz.confirm", OPTIONS)
    p.checkbox("wiz.shells", [Option("bash", "bash"), Option("zsh", "zsh")])
    p.secret("wiz.key_prompt", lambda _s: None)
    assert "\x1b" not in out.getvalue()


@pytest.mark.parametrize(
    ("term", "platform", "numbered"),
    [
        ("dumb", "linux", True),
        (None, "linux", True),
        (None, "win32", False),
        ("xterm-256color", "linux", False),
        ("dumb", "win32", True),
    ],
)
def test_the_terminal_picks_the_prompter(home: Path, term: str | None, platform: str, numbered: bool) -> None:
    ctx = make_ctx(home, env={"TERM": term or ""}, platform=platform)
    if term is None:
        del ctx.env["TERM"]  # type: ignore[attr-defined]
    chosen = for_terminal(ctx, "en")
    assert isinstance(chosen, NumberedPrompter if numbered else MenuPrompter)
    assert ctx.plain() is numbered  # nor any spinner or colour
