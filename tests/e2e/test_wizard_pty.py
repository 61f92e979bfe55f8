"""The interactive wizard in a real PTY (pexpect), against the fake DashScope, in both languages.

Each test drives the real command as a person would, then checks the result from a NEW real
shell, or checks that an interrupted run left the HOME tree byte-identical.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

from tests.conftest import clean_env, new_key, require, snapshot
from tests.fakes.dashscope import FakeDashScope
from wizard import keys
from wizard.messages import t

DOWN, UP, ENTER, CTRL_C, ESC = "\x1b[B", "\x1b[A", "\r", "\x03", "\x1b"


def q(lang: str, msg_id: str, **params: str) -> str:
    """The text of a message as the user sees it, as a regex: wrapped to the terminal's width, a
    space may have become a line break and an indent."""
    return re.escape(t(lang, msg_id, **params)).replace(r"\ ", r"\s+")


def spawn(home: Path, fake: FakeDashScope, lang: str = "en", **env: str) -> pexpect.spawn:
    settings = {
        "DASHSCOPE_SETUP_REGION_URLS": fake.urls_env(),
        "DASHSCOPE_SETUP_TIMEOUT": "5",
        "PROMPT_TOOLKIT_NO_CPR": "1",
        "TERM": "xterm-256color",
        "LANG": "zh_CN.UTF-8" if lang == "zh" else "en_US.UTF-8",
    }
    full = clean_env(home, **{**settings, **env})
    return pexpect.spawn(
        sys.executable,
        ["-m", "wizard"],
        env=full,
        cwd=str(home),
        encoding="utf-8",
        timeout=20,
        dimensions=(50, 120),
    )


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else 128 + (child.signalstatus or 0))


def shell_key(home: Path) -> str:
    require("bash")
    out = subprocess.run(
        ["bash", "-ic", 'printf "%s" "$DASHSCOPE_API_KEY"'],
        capture_output=True,
        text=True,
        env=clean_env(home),
        stdin=subprocess.DEVNULL,
        timeout=30,
    )
    return out.stdout


def type_key(child: pexpect.spawn, lang: str, key: str) -> None:
    """Type the key once the prompt is drawn (the cursor shown again): the first prompt of a run,
    and keys typed before prompt_toolkit takes the terminal would be echoed by the tty."""
    child.expect(q(lang, "wiz.key_prompt") + r".*?\x1b\[\?25h")
    child.send(key + ENTER)


def walk_after_key(child: pexpect.spawn, lang: str) -> None:
    """Region found, key checked: the summary is the only other question."""
    child.expect(q(lang, "wiz.ready"))
    child.expect(q(lang, "wiz.confirm"))
    child.send(ENTER)  # go ahead


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_happy_path(home: Path, fake: FakeDashScope, lang: str) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing")
    child = spawn(home, fake, lang)
    type_key(child, lang, key)
    child.expect(q(lang, "wiz.key_received", mask=f"sk-…{key[-4:]}", length="35"))
    child.expect("通义千问")  # the live call answered before the summary
    walk_after_key(child, lang)
    child.expect(q(lang, "label.done"))
    assert finish(child) == 0
    assert key not in (child.before or "")
    assert shell_key(home) == key


def test_reuses_the_key_already_in_the_environment(home: Path, fake: FakeDashScope) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing")
    child = spawn(home, fake, "en", DASHSCOPE_API_KEY=key)
    child.expect(q("en", "wiz.key_existing"))
    child.expect(q("en", "wiz.key_reuse_env", mask=f"sk-…{key[-4:]}", length="35"))
    child.send(ENTER)
    walk_after_key(child, "en")
    # The end screen names the key saved; where it came from is -v's and --json's (test_truth).
    child.expect(q("en", "label.done") + re.escape(f" Key sk-…{key[-4:]},"))
    assert finish(child) == 0
    assert shell_key(home) == key


def test_reusing_the_stored_key_says_it_was_stored(home: Path, fake: FakeDashScope) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing")
    first = subprocess.run(
        [sys.executable, "-m", "wizard", "setup", "--yes", "--offline", "--key-stdin", "--shell", "bash"],
        input=key,
        capture_output=True,
        text=True,
        env=clean_env(home),
        cwd=str(home),
        timeout=60,
    )
    assert first.returncode == 0, first.stderr
    child = spawn(home, fake, "en")
    child.expect(q("en", "wiz.again_what"))
    child.send(DOWN + DOWN + ENTER)  # change region, store or shells: the stored key, not asked for
    child.expect(q("en", "wiz.change_what"))
    child.send(ENTER)  # where the key is kept
    child.expect(q("en", "wiz.store"))
    child.send(ENTER)  # the key file, as before
    walk_after_key(child, "en")
    child.expect(q("en", "label.done") + re.escape(f" Key sk-…{key[-4:]},"))
    assert finish(child) == 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_wrong_region_key_is_found_automatically(home: Path, fake: FakeDashScope, lang: str) -> None:
    key = new_key()
    fake.add_key(key, "cn-hongkong")
    child = spawn(home, fake, lang)
    type_key(child, lang, key)
    child.expect(q(lang, "wiz.region_found", region="China (Hong Kong)" if lang == "en" else "中国香港"))
    child.expect(q(lang, "wiz.confirm"))
    child.send(ENTER)
    child.expect(q(lang, "label.done"))
    assert finish(child) == 0
    assert fake.native_url("cn-hongkong") in (home / ".bashrc").read_text()
    assert shell_key(home) == key


def test_rejected_key_can_be_entered_again(home: Path, fake: FakeDashScope) -> None:
    good = new_key()
    fake.add_key(good, "us-east-1")
    child = spawn(home, fake, "en")
    type_key(child, "en", new_key())  # unknown everywhere
    child.expect("401")
    child.expect(q("en", "wiz.fail_what"))
    child.send(ENTER)  # enter the key again
    type_key(child, "en", good)
    walk_after_key(child, "en")
    child.expect(q("en", "label.done"))
    assert finish(child) == 0
    assert shell_key(home) == good


def test_malformed_paste_is_asked_again_with_the_reason(home: Path, fake: FakeDashScope) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing")
    child = spawn(home, fake, "zh")
    type_key(child, "zh", "sk-abc def")
    child.expect(q("zh", "err.key_space", pos="7"))
    child.send("\x15" + key + ENTER)  # Ctrl-U clears the line
    child.expect(q("zh", "wiz.key_received", mask=f"sk-…{key[-4:]}", length="35"))
    child.send(CTRL_C)
    assert finish(child) == 130


# Every prompt a run can reach: the language (LANG=C), the key, the summary, and behind Change… the
# menu, the store and the shells.
PROMPTS = ["language", "key", "confirm", "change", "store", "shells"]


def drive_to(child: pexpect.spawn, key: str, stop: str, lang: str = "en") -> None:
    steps = [
        ("language", re.escape("Language / 语言"), ENTER if lang == "en" else UP + ENTER),
        ("key", q(lang, "wiz.key_prompt") + r".*?\x1b\[\?25h", key + ENTER),
        ("confirm", q(lang, "wiz.confirm"), DOWN + ENTER),  # Change…
        ("change", q(lang, "wiz.change_what"), ENTER if stop == "store" else DOWN + ENTER),
        (stop, q(lang, f"wiz.{stop}"), ENTER),
    ]
    for name, pattern, answer in steps:
        child.expect(pattern)
        if name == stop:
            return
        child.send(answer)


# Ctrl-C and Esc at every prompt (select, checkbox, password), in both languages (the language
# question itself is asked before there is one).
INTERRUPTS = [
    (stop, k, lang)
    for lang in ("en", "zh")
    for stop in PROMPTS
    for k in (CTRL_C, ESC)
    if lang == "en" or stop != "language"
]


@pytest.mark.parametrize(
    ("stop", "keypress", "lang"),
    INTERRUPTS,
    ids=[f"{lang}-{s}-{'esc' if k == ESC else 'ctrl-c'}" for s, k, lang in INTERRUPTS],
)
def test_interrupt_at_every_prompt_changes_nothing(
    home: Path, fake: FakeDashScope, stop: str, keypress: str, lang: str
) -> None:
    (home / ".bashrc").write_text("# mine\n")
    key = new_key()
    fake.add_key(key, "cn-beijing")
    before = snapshot(home)
    child = spawn(home, fake, "en", LANG="C")
    drive_to(child, key, stop, lang)
    child.send(keypress)
    child.expect(q(lang, "err.interrupted"))
    assert finish(child) == 130
    assert snapshot(home) == before


@pytest.mark.parametrize("stop", ["confirm", "store", "shells"])
def test_a_sigint_at_a_menu_ends_the_run(home: Path, fake: FakeDashScope, stop: str) -> None:
    """A SIGINT, not the Ctrl-C byte, while a menu is open: what the terminal sends when Ctrl-C is
    typed before the menu has put it in raw mode (seen on Python 3.9, where menus start slower), and
    what `kill -INT` sends. prompt_toolkit turns it into a <sigint> key that a plain Application
    ignores, so questionary's menus carried on."""
    (home / ".bashrc").write_text("# mine\n")
    key = new_key()
    fake.add_key(key, "cn-beijing")
    before = snapshot(home)
    child = spawn(home, fake, "en", LANG="C")
    drive_to(child, key, stop)
    child.expect(r"\x1b\[\?7h")  # the menu is drawn: its application is running
    child.kill(signal.SIGINT)
    child.expect(q("en", "err.interrupted"))
    assert finish(child) == 130
    assert snapshot(home) == before


def test_no_terminal_and_no_yes_exits_2_without_hanging(home: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "wizard"],
        capture_output=True,
        text=True,
        env=clean_env(home),
        stdin=subprocess.DEVNULL,
        timeout=30,
    )
    assert proc.returncode == 2
    assert "--yes" in proc.stderr


def test_wizard_disables_the_guides_export_and_scrubs_history(home: Path, fake: FakeDashScope) -> None:
    old, key = new_key(), new_key()
    fake.add_key(key, "cn-beijing")
    (home / ".bashrc").write_text(f"alias ll='ls -l'\nexport DASHSCOPE_API_KEY='{old}'\n")
    (home / ".bash_history").write_text(f"ls\nexport DASHSCOPE_API_KEY='{old}'\npwd\n")
    child = spawn(home, fake, "en")
    type_key(child, "en", key)  # the old key is only in files, so nothing to reuse
    # Both found before the only other question, with their defaults, in the summary.
    child.expect(q("en", "wiz.sum_foreign_on", where=f"{home / '.bashrc'}:2"))
    child.expect(q("en", "wiz.sum_history_on", count="1"))
    child.expect(q("en", "wiz.confirm"))
    child.send(ENTER)
    child.expect(q("en", "label.done"))
    assert finish(child) == 0
    bashrc = (home / ".bashrc").read_text()
    assert f"# disabled by dashscope-setup: export DASHSCOPE_API_KEY='{keys.mask(old)}'" in bashrc
    assert old not in bashrc
    assert (home / ".bash_history").read_text() == "ls\npwd\n"
    assert shell_key(home) == key


def answers(child: pexpect.spawn) -> int:
    """How many questions were answered: each answered question leaves its "? …" line behind."""
    return len(re.findall(r"^\? .*\S", re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before or ""), re.M))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_first_run_needs_the_key_and_one_go_ahead(home: Path, fake: FakeDashScope, lang: str) -> None:
    """The locale names the language, the region is found, the rest are defaults in the summary;
    zsh is installed but this bash user never started it: no ~/.zshrc is created."""
    require("zsh")
    key = new_key()
    fake.add_key(key, "ap-southeast-1")
    (home / ".bashrc").write_text("# mine\n")
    child = spawn(home, fake, lang, SHELL="/bin/bash")
    type_key(child, lang, key)
    child.expect(q(lang, "wiz.sum_shells", shells="bash"))
    child.expect(q(lang, "wiz.confirm"))
    child.send(ENTER)
    child.expect(q(lang, "label.done"))
    assert finish(child) == 0
    assert not (home / ".zshrc").exists()
    assert shell_key(home) == key


def test_language_is_asked_only_when_the_locale_does_not_say(home: Path, fake: FakeDashScope) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing")
    child = spawn(home, fake, "en", LANG="C")
    child.expect(re.escape("Language / 语言"))
    child.send(UP + ENTER)  # 中文
    child.expect(q("zh", "wiz.key_prompt"))
    child.send(CTRL_C)
    assert finish(child) == 130


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_arrearage_is_found_right_after_the_key(home: Path, fake: FakeDashScope, lang: str) -> None:
    """The overdue account is shown before any other question; a new key or region cannot help,
    so the menu offers only saving now (the default) or quitting."""
    key = new_key()
    fake.add_key(key, "cn-beijing", account_error="Arrearage")
    child = spawn(home, fake, lang)
    type_key(child, lang, key)
    child.expect("Arrearage")
    child.expect(q(lang, "wiz.fail_what"))
    child.expect(q(lang, "wiz.fail_quit"))
    menu = child.before or ""
    assert t(lang, "wiz.fail_key") not in menu and t(lang, "wiz.fail_region") not in menu
    assert t(lang, "wiz.confirm") not in menu
    child.send(ENTER)  # save, test later
    child.expect(q(lang, "wiz.sum_region_found"))  # the probe proved the region; the account failed
    child.expect(q(lang, "wiz.sum_call_failed"))
    child.expect(q(lang, "wiz.confirm"))
    child.send(ENTER)
    assert finish(child) == 0
    assert shell_key(home) == key


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_paste_into_the_menu_does_not_move_the_selection(
    home: Path, fake: FakeDashScope, lang: str
) -> None:
    """Letters typed or pasted at the summary (here the key again: its k was questionary's "up")
    leave "Go ahead" selected."""
    key = "sk-" + "k" * 32
    fake.add_key(key, "cn-beijing")
    child = spawn(home, fake, lang)
    type_key(child, lang, key)
    child.expect(q(lang, "wiz.confirm"))
    child.send("jjjkkk" + key)
    child.send(ENTER)
    child.expect(q(lang, "label.done"))
    assert finish(child) == 0
    assert shell_key(home) == key


def test_esc_quits_at_once(home: Path, fake: FakeDashScope) -> None:
    """Esc used to wait 1.6 s for the rest of an escape sequence."""
    key = new_key()
    fake.add_key(key, "cn-beijing")
    child = spawn(home, fake, "en")
    type_key(child, "en", key)
    child.expect(q("en", "wiz.confirm"))
    child.expect(q("en", "wiz.confirm_quit"))  # the menu is drawn
    start = time.perf_counter()
    child.send(ESC)
    child.expect(q("en", "err.interrupted"))
    assert time.perf_counter() - start < 1.5  # generous under load; benchmarks/ measures it
    assert finish(child) == 130
