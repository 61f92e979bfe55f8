"""Terminal facts are asked of the streams once, and a test can set them instead."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.conftest import make_ctx


class Terminal(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.asked = 0

    def isatty(self) -> bool:
        self.asked += 1
        return True


def test_each_stream_is_asked_once(home: Path) -> None:
    ctx = make_ctx(home)
    ctx.stdin, ctx.stdout, ctx.stderr = Terminal(), Terminal(), Terminal()
    for _ in range(3):
        assert ctx.stdin_is_tty() and ctx.stdout_is_tty() and ctx.stderr_is_tty() and ctx.can_prompt()
    assert [s.asked for s in (ctx.stdin, ctx.stdout, ctx.stderr)] == [1, 1, 1]


def test_a_stream_without_isatty_or_closed_is_no_terminal(home: Path) -> None:
    closed = io.StringIO()
    closed.close()
    ctx = make_ctx(home)
    ctx.stdin, ctx.stdout = object(), closed  # type: ignore[assignment]
    assert not ctx.stdin_is_tty()
    assert not ctx.stdout_is_tty()


@pytest.mark.parametrize(
    ("stdin", "stdout", "can_prompt"), [(True, True, True), (True, False, False), (False, True, False)]
)
def test_can_prompt_needs_a_terminal_on_both_sides(
    home: Path, stdin: bool, stdout: bool, can_prompt: bool
) -> None:
    ctx = make_ctx(home)
    ctx.stdin_tty, ctx.stdout_tty = stdin, stdout
    assert ctx.can_prompt() is can_prompt


@pytest.mark.parametrize(
    ("env", "plain"),
    [
        ({"TERM": "xterm-256color"}, False),
        ({"TERM": "dumb"}, True),
        ({"TERM": "xterm", "NO_COLOR": ""}, True),
    ],
)
def test_plain_output_for_no_color_or_a_dumb_terminal(home: Path, env: dict[str, str], plain: bool) -> None:
    assert make_ctx(home, env=env).plain() is plain


def test_a_helper_whose_output_is_not_utf8_does_not_fail_the_run(home: Path) -> None:
    """As whoami answers for a Chinese user name in code page 936: the bytes come back, nothing raises."""
    from wizard.context import _run

    code, out = _run(["sh", "-c", "printf 'VM\\\\\\325\\305\\310\\375\\n'"], {"PATH": "/usr/bin:/bin"})
    assert code == 0
    assert out.encode("utf-8", "surrogateescape") == b"VM\\\xd5\xc5\xc8\xfd\n"
