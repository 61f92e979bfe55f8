"""A message that tells the user what to run names the tool through {prog}, filled with the way it
was started (tests/e2e/test_printed_commands.py runs them): `dashscope-setup remove` means nothing
to someone who ran `pipx run dashscope-setup` or `python -m wizard`."""

from __future__ import annotations

import re

from wizard.messages import catalogue

# The bare name where it is right: the --help text (argparse's usage names the program), what a
# keyring block runs at shell start (the name on PATH: the block checks for it), and the tool in
# the other environment (WSL / Windows), which is installed there on its own.
NAME_IS_RIGHT = (
    "help.",
    "warn.keyring_no_native_tool",
    "warn.keyring_no_loader",
    "warn.wsl_",
    "err.keyring_wsl",
    "team.err.keyring_wsl",  # the same message, ending with what the team file allows
)
COMMAND = re.compile(
    r"(?:[Rr]un:? |运行：?\s*)dashscope-setup|dashscope-setup(?: (?:setup|test|status|snippet|env|run|remove)\b|`|$)"
)


def test_messages_that_say_what_to_run_use_prog() -> None:
    hard_coded = sorted(
        msg_id
        for msg_id, texts in catalogue().items()
        if not msg_id.startswith(NAME_IS_RIGHT) and any(COMMAND.search(text) for text in texts)
    )
    assert hard_coded == []


def test_the_check_finds_the_forms_messages_had() -> None:
    for old in (
        "To undo everything: dashscope-setup remove",
        'Run: eval "$(dashscope-setup env --shell bash)"',
        "No stored key was found. Run `dashscope-setup setup` first.",
        "Run: dashscope-setup",
        "请运行 dashscope-setup 重新保存。",
    ):
        assert COMMAND.search(old), old
