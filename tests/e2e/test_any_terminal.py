"""The wizard in terminals that are not a roomy xterm, in a real PTY against the fake DashScope:
a dumb terminal (TERM=dumb: Emacs's shell, a CI log) answered with numbers and shown without a
single escape byte; a 60-column one where no word, URL or command is split; a paste into a menu.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pexpect
import pytest

from tests.conftest import clean_env, new_key, snapshot
from tests.e2e.test_wizard_pty import finish, q, shell_key, type_key
from tests.fakes.dashscope import FakeDashScope
from wizard.messages import t
from wizard.ui.wrap import width_of

ENTER, CTRL_C, CTRL_D, ESC = "\r", "\x03", "\x04", "\x1b"


def spawn(
    home: Path, fake: FakeDashScope, lang: str, term: str, dimensions: tuple[int, int] = (24, 80)
) -> tuple[pexpect.spawn, io.StringIO]:
    """`python -m wizard setup` as a bash user starts it; everything it writes is logged."""
    locale = {"en": "en_US.UTF-8", "zh": "zh_CN.UTF-8", "ask": "C"}[lang]
    env = clean_env(
        home,
        DASHSCOPE_SETUP_REGION_URLS=fake.urls_env(),
        DASHSCOPE_SETUP_TIMEOUT="5",
        PROMPT_TOOLKIT_NO_CPR="1",
        TERM=term,
        LANG=locale,
        SHELL="/bin/bash",
    )
    child = pexpect.spawn(
        sys.executable,
        ["-m", "wizard", "setup"],
        env=env,
        cwd=str(home),
        encoding="utf-8",
        timeout=30,
        dimensions=dimensions,
    )
    log = io.StringIO()
    child.logfile_read = log
    return child, log


def choose(child: pexpect.spawn, lang: str, answer: str, n: int = 4, default: int = 1) -> None:
    child.expect(q(lang, "wiz.num_choose", n=str(n), default=str(default)))
    child.send(answer + ENTER)


# --- a dumb terminal -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_dumb_terminal_sets_up_with_numbers_and_no_escape_byte(
    home: Path, fake: FakeDashScope, lang: str
) -> None:
    """The whole first run, with the language asked (LANG=C) for Chinese, a wrong answer, and the
    shells changed through Change… with a line of numbers; then a new bash has the key."""
    key = new_key()
    fake.add_key(key, "cn-beijing")
    child, log = spawn(home, fake, "ask" if lang == "zh" else "en", "dumb")
    if lang == "zh":
        child.expect(re.escape("Language / 语言"))
        choose(child, "en", "1", n=2, default=2)  # 中文 is 1; LANG=C defaults to English
    child.expect(q(lang, "wiz.key_prompt"))
    child.send(key + ENTER)
    choose(child, lang, "x")  # the summary: Go ahead / Change… / diff / Quit
    child.expect(q(lang, "wiz.num_bad", n="4"))
    child.send("2" + ENTER)  # Change…
    child.expect(q(lang, "wiz.change_what"))
    child.send("2" + ENTER)  # which shells
    child.expect(q(lang, "wiz.num_pick", default="1"))
    child.send("1" + ENTER)  # bash
    choose(child, lang, "")  # Enter: go ahead
    child.expect(q(lang, "label.done"))
    assert finish(child) == 0
    out = log.getvalue()
    assert "\x1b" not in out  # no colour, no cursor movement, no bracketed paste
    assert key not in out  # the key prompt did not echo
    assert shell_key(home) == key


@pytest.mark.parametrize("keypress", [CTRL_C, CTRL_D, ESC + ENTER], ids=["ctrl-c", "ctrl-d", "esc"])
@pytest.mark.parametrize("stop", ["key", "summary"])
def test_a_dumb_terminal_quits_and_writes_nothing(
    home: Path, fake: FakeDashScope, stop: str, keypress: str
) -> None:
    (home / ".bashrc").write_text("# mine\n")
    key = new_key()
    fake.add_key(key, "cn-beijing")
    before = snapshot(home)
    child, log = spawn(home, fake, "en", "dumb")
    child.expect(q("en", "wiz.key_prompt"))
    if stop == "summary":
        child.send(key + ENTER)
        child.expect(q("en", "wiz.num_choose", n="4", default="1"))
    child.send(keypress)
    child.expect(q("en", "err.interrupted"))
    assert finish(child) == 130
    assert "\x1b" not in log.getvalue()
    assert snapshot(home) == before


# --- a paste into a menu --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_paste_into_a_menu_leaves_the_selection(home: Path, fake: FakeDashScope, lang: str) -> None:
    """Typed, and pasted as a terminal pastes (bracketed), "sk-abc jk" moves nothing: Go ahead
    stays selected and the run completes."""
    key = new_key()
    fake.add_key(key, "cn-beijing")
    child, _ = spawn(home, fake, lang, "xterm-256color", (50, 120))
    type_key(child, lang, key)
    child.expect(q(lang, "wiz.confirm_quit"))  # the summary's menu is drawn
    child.send("sk-abc jk")
    child.send("\x1b[200~sk-abc jk\x1b[201~")
    child.send(ENTER)
    child.expect(q(lang, "label.done"))
    assert finish(child) == 0
    assert shell_key(home) == key


# --- 60 columns -----------------------------------------------------------------------------------

# What a first run shows, as catalogue texts: every word of each must appear whole on a line.
SHOWN = [
    (
        "wiz.welcome",  # its parameters are catalogue texts too: (id, parameters)
        {
            "check": ("wiz.welcome_check_call", {"model": "qwen-plus"}),
            "keep": ("wiz.welcome_keep_file", {"path": "~/.dashscope/api_key"}),
        },
    ),
    ("wiz.key_hint", {}),
    ("wiz.key_console_cn", {"url": "https://bailian.console.aliyun.com/?tab=model#/api-key"}),
    ("wiz.key_prompt", {}),
    ("wiz.ready", {}),
    ("wiz.confirm", {}),
    ("wiz.instr_select", {}),
    ("wiz.confirm_go", {}),
    ("wiz.confirm_change", {}),
    ("wiz.confirm_diff", {}),
    ("wiz.confirm_quit", {}),
    ("label.done", {}),
    ("next.remove", {}),
]


def screen_lines(raw: str, columns: int) -> list[str]:
    """The output as the rows a terminal shows. A cursor move forward is spaces (prompt_toolkit
    skips blank cells that way); any other escape sequence, a carriage return or a line feed
    starts a new row; and a row longer than the terminal is folded where the columns run out,
    as the terminal does with a long line printed as it is. (prompt_toolkit never relies on that
    folding: it places each row itself, so its rows are the segments between its moves.)"""
    text = re.sub(r"\x1b\[(\d*)C", lambda m: " " * int(m.group(1) or 1), raw)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r", "\n", text)
    rows: list[str] = []
    for segment in text.split("\n"):
        row, used = "", 0
        for ch in segment:
            if used + width_of(ch) > columns:
                rows.append(row)
                row, used = "", 0
            row, used = row + ch, used + width_of(ch)
        rows.append(row)
    return rows


def words(lang: str, text: str, prog: str = "") -> list[str]:
    """The words a reader must see whole: in English each word, in Chinese each run of ASCII (a
    URL, a path, a command, a name); Chinese itself may break between any two characters."""
    if lang == "en":  # a back-quoted command, or one of ours, is one word: it is kept whole
        ours = re.escape(prog) + r" [\w-]+|" if prog else ""
        return re.findall(rf"`[^`]*`|{ours}\S+", text)
    return re.findall(r"[!-~]+(?: [!-~]+)*", text)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [60, 40])
def test_at_60_and_40_columns_no_word_is_split(
    home: Path, fake: FakeDashScope, lang: str, width: int
) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing")
    child, log = spawn(home, fake, lang, "xterm-256color", (50, width))
    type_key(child, lang, key)
    child.expect(q(lang, "wiz.confirm_quit"))
    child.send(ENTER)
    child.expect(q(lang, "label.done"))
    assert finish(child) == 0
    lines = screen_lines(log.getvalue(), width)
    prog = f"{sys.executable} -m wizard"
    for msg_id, params in SHOWN:
        inner = {k: t(lang, v[0], **v[1]) if isinstance(v, tuple) else v for k, v in params.items()}
        text = t(lang, msg_id, prog=prog, **inner)
        for word in words(lang, text, prog):
            if width_of(word) < width:  # a longer one has to be folded by the terminal
                assert any(word in line for line in lines), (msg_id, word)
    # The summary's planned changes ("will create  ~/.bashrc (managed block) [bash]") are text, not
    # commands: wrapped under their indent, never left for the terminal to fold mid-word.
    planned = [
        row for row in screen_lines(log.getvalue(), 10**6) if row.startswith("    ") and prog not in row
    ]
    assert any("~/.bashrc" in row for row in planned), planned
    assert all(width_of(row) <= width for row in planned), [r for r in planned if width_of(r) > width]
