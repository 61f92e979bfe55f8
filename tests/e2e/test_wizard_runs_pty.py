"""First and second runs of the wizard in a real PTY, in both languages, against the fake DashScope:
how many answers each takes, what a second run offers, the live check running in the background
(Ctrl-C while it runs), failures shown before any other question, and "this terminal only".

Answers are counted by sending them: a run that asked one more question than the test answers
would never reach its end.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import clean_env, new_key, snapshot
from tests.e2e.test_wizard_pty import CTRL_C, DOWN, ENTER, UP, finish, q, shell_key, spawn
from tests.fakes.dashscope import FakeDashScope
from wizard.messages import t

ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Run:
    """A wizard in a PTY whose whole output is kept, and whose answers are counted."""

    def __init__(self, home: Path, fake: FakeDashScope, lang: str, **env: str) -> None:
        self.lang = lang
        self.out = io.StringIO()
        self.child = spawn(home, fake, lang, **env)
        self.child.logfile_read = self.out
        self.answers = 0

    def expect(self, msg_id: str, **params: str) -> None:
        self.child.expect(q(self.lang, msg_id, **params))

    def answer(self, keys: str) -> None:
        self.answers += 1
        self.child.send(keys)

    def key(self, key: str) -> None:
        """Typed once the key prompt is drawn (the cursor shown again)."""
        self.child.expect(q(self.lang, "wiz.key_prompt") + r".*?\x1b\[\?25h")
        self.answer(key + ENTER)

    def text(self) -> str:
        return ESCAPES.sub("", self.out.getvalue())

    def end(self) -> int:
        return finish(self.child)


def first_setup(home: Path, fake: FakeDashScope, key: str, *shells: str, store: str | None = None) -> None:
    """An earlier setup, as a script does it (the fake knows the key)."""
    args = [sys.executable, "-m", "wizard", "setup", "--yes", "--key-stdin"]
    args += ["--store", store] if store else []
    for shell in shells:
        args += ["--shell", shell]
    done = subprocess.run(
        args,
        input=key,
        capture_output=True,
        text=True,
        env=clean_env(home, DASHSCOPE_SETUP_REGION_URLS=fake.urls_env()),
        cwd=str(home),
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr


LANGS = ["en", "zh"]


# --- the first run -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_first_run_takes_at_most_three_answers(home: Path, fake: FakeDashScope, lang: str) -> None:
    key = new_key()
    fake.add_key(key, "ap-southeast-1")
    run = Run(home, fake, lang, SHELL="/bin/bash")
    run.key(key)
    run.expect("wiz.confirm")
    run.answer(ENTER)
    run.expect("label.done")
    assert run.end() == 0
    assert run.answers <= 3
    assert shell_key(home) == key


@pytest.mark.parametrize("lang", LANGS)
def test_a_wrong_key_is_entered_again_then_the_setup_succeeds(
    home: Path, fake: FakeDashScope, lang: str
) -> None:
    good = new_key()
    fake.add_key(good, "us-east-1")
    run = Run(home, fake, lang)
    run.key(new_key())  # unknown in every region
    run.expect("wiz.fail_what")
    run.expect("wiz.fail_quit")
    menu = run.child.before or ""
    assert t(lang, "wiz.fail_save") not in menu  # saving a rejected key cannot help
    run.answer(ENTER)  # enter the key again: the default
    run.key(good)
    run.expect("wiz.confirm")
    run.answer(ENTER)
    run.expect("label.done")
    assert run.end() == 0
    assert shell_key(home) == good


@pytest.mark.parametrize("lang", LANGS)
def test_arrearage_comes_before_any_other_question_with_billing_and_save_as_default(
    home: Path, fake: FakeDashScope, lang: str
) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing", account_error="Arrearage")
    before = snapshot(home)
    run = Run(home, fake, lang)
    run.key(key)
    run.expect("wiz.fail_what")
    run.expect("wiz.fail_quit")
    text = run.text()
    assert "Arrearage" in text and "https://billing-cost.console.aliyun.com/" in text
    assert t(lang, "wiz.confirm") not in text  # shown before the summary's question
    menu = text[text.rindex(t(lang, "wiz.fail_what")) :]
    assert re.search(r"» " + re.escape(t(lang, "wiz.fail_save", prog="")[:6]), menu)  # the default
    for useless in ("wiz.fail_key", "wiz.fail_region", "wiz.fail_retry"):
        assert t(lang, useless) not in menu
    run.answer(DOWN + ENTER)  # quit
    assert run.end() == 130
    assert run.answers == 2
    assert snapshot(home) == before


@pytest.mark.parametrize("lang", LANGS)
def test_this_terminal_only_asks_nothing_more_and_the_key_once(
    home: Path, fake: FakeDashScope, lang: str
) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing")
    before = snapshot(home)
    run = Run(home, fake, lang)
    run.key(key)
    run.expect("wiz.confirm")
    run.answer(DOWN + ENTER)  # Change…
    run.expect("wiz.change_what")
    run.answer(ENTER)  # where the key is kept (or this terminal only)
    run.expect("wiz.store")
    run.expect("wiz.scope_session")
    run.answer(UP + ENTER)  # the last choice: this terminal only
    run.child.expect(q(lang, "wiz.store") + r"\s*(\x1b\[[0-9;]*m)*\s*" + q(lang, "wiz.scope_session"))
    # Nothing more about storage: the next question is the summary's.
    assert run.child.expect([q(lang, "wiz.confirm"), q(lang, "wiz.store")]) == 0
    run.answer(ENTER)
    run.expect("label.done")
    assert run.end() == 0
    assert run.text().count(t(lang, "wiz.key_hint")) == 1  # printed each time the key is asked for
    assert snapshot(home) == before  # nothing is saved


def test_ctrl_c_while_the_check_runs_in_the_background_exits_130_at_once(
    home: Path, fake: FakeDashScope
) -> None:
    """The worker waits on a slow server; Ctrl-C ends the run without waiting for it."""
    key = new_key()
    fake.add_key(key, "cn-beijing")
    fake.latency = 30.0
    before = snapshot(home)
    run = Run(home, fake, "en", DASHSCOPE_SETUP_TIMEOUT="60")
    run.key(key)
    run.child.expect(q("en", "check.stage.probing"))
    start = time.monotonic()
    run.child.send(CTRL_C)
    run.expect("err.interrupted")
    assert run.end() == 130
    assert time.monotonic() - start < 10  # the server would answer after 30 s
    assert snapshot(home) == before


# --- the second run ------------------------------------------------------------------------------


def again_line(lang: str, key: str, region: str, store: str, shells: str) -> str:
    return t(lang, "wiz.again", key=f"sk-…{key[-4:]}", region=region, store=store, shells=shells)


@pytest.mark.parametrize("lang", LANGS)
def test_second_run_keep_checks_in_one_answer_and_writes_nothing(
    home: Path, fake: FakeDashScope, lang: str
) -> None:
    key = new_key()
    fake.add_key(key, "ap-southeast-1")
    first_setup(home, fake, key, "bash", "zsh")
    before = snapshot(home)
    chats = len(fake.recorded("chat"))
    run = Run(home, fake, lang)
    region = t(lang, "region.ap-southeast-1")
    run.child.expect(re.escape(again_line(lang, key, region, t(lang, "wiz.again_store_file"), "bash + zsh")))
    run.expect("wiz.again_what")
    run.answer(ENTER)  # keep it (check it now)
    assert run.end() == 0
    assert run.answers <= 2
    assert len(fake.recorded("chat")) == chats + 1  # it did check
    assert snapshot(home) == before


def test_second_run_after_an_inline_setup_keeps_it_too(home: Path, fake: FakeDashScope) -> None:
    """The inline key is read back from our blocks: the same one screen, not the key asked again."""
    key = new_key()
    fake.add_key(key, "cn-beijing")
    first_setup(home, fake, key, "bash", store="inline")
    before = snapshot(home)
    run = Run(home, fake, "en")
    region = t("en", "region.cn-beijing")
    run.child.expect(re.escape(again_line("en", key, region, t("en", "wiz.again_store_inline"), "bash")))
    run.expect("wiz.again_what")
    run.answer(ENTER)  # keep it (check it now)
    assert run.end() == 0
    assert run.answers == 1
    assert snapshot(home) == before


@pytest.mark.parametrize("lang", LANGS)
def test_second_run_replace_asks_the_new_key_then_the_summary(
    home: Path, fake: FakeDashScope, lang: str
) -> None:
    old, new = new_key(), new_key()
    fake.add_key(old, "cn-beijing")
    fake.add_key(new, "cn-hongkong")
    first_setup(home, fake, old, "bash")
    run = Run(home, fake, lang)
    run.expect("wiz.again_what")
    run.answer(DOWN + ENTER)  # replace the key
    run.key(new)
    run.expect("wiz.region_found", region=t(lang, "region.cn-hongkong"))
    run.expect("wiz.confirm")
    run.answer(ENTER)
    run.expect("label.done")
    assert run.end() == 0
    assert run.answers == 3
    assert shell_key(home) == new


@pytest.mark.parametrize("lang", LANGS)
def test_second_run_change_opens_change_with_the_stored_key(
    home: Path, fake: FakeDashScope, lang: str
) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing")
    first_setup(home, fake, key, "bash")
    run = Run(home, fake, lang)
    run.expect("wiz.again_what")
    run.answer(DOWN + DOWN + ENTER)  # change region, store or shells
    run.expect("wiz.change_what")  # straight to Change…, the key not asked for
    run.answer(DOWN + DOWN + ENTER)  # the region
    run.expect("wiz.region")
    run.answer(DOWN + ENTER)  # Beijing, chosen by hand
    run.expect("wiz.confirm")
    run.answer(ENTER)
    run.expect("label.done")
    assert run.end() == 0
    assert t(lang, "wiz.key_prompt") not in run.text()
    assert shell_key(home) == key


@pytest.mark.parametrize("lang", LANGS)
def test_second_run_remove_is_the_remove_flow(home: Path, fake: FakeDashScope, lang: str) -> None:
    key = new_key()
    fake.add_key(key, "cn-beijing")
    first_setup(home, fake, key, "bash")
    run = Run(home, fake, lang)
    run.expect("wiz.again_what")
    run.answer(DOWN * 3 + ENTER)  # remove
    run.expect("wiz.remove_confirm")
    run.answer(ENTER)  # everything
    assert run.end() == 0
    assert not (home / ".dashscope" / "api_key").exists()
    assert shell_key(home) == ""


# --- the advanced path: a workspace-only region --------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_a_workspace_key_is_set_up_by_picking_frankfurt_and_its_workspace(home: Path, lang: str) -> None:
    """Every shared host rejects a workspace key; "Pick another region" offers Frankfurt, whose
    workspace id is checked as --workspace is, and the test call goes to that workspace's host."""
    from tests.fakes.dashscope import REGION_IDS

    key = new_key()
    with FakeDashScope(regions=(*REGION_IDS, "eu-central-1", "ap-northeast-1")) as fake:
        fake.add_key(key, "eu-central-1")
        run = Run(home, fake, lang)
        run.key(key)
        run.expect("wiz.fail_what")
        run.answer(DOWN + ENTER)  # pick another region
        run.expect("wiz.region")
        run.answer(DOWN * 5 + ENTER)  # after "find out" and the four shared regions: Frankfurt
        run.child.expect(q(lang, "wiz.workspace", region="eu-central-1") + r".*?\x1b\[\?25h")
        run.answer("bad id!" + ENTER)
        # The reason, under the prompt (its start: prompt_toolkit wraps the line).
        run.child.expect(re.escape(t(lang, "err.workspace_invalid", workspace="bad id!")[:16]))
        run.answer("\x15ws-Demo_1" + ENTER)  # Ctrl-U clears the line
        run.expect("wiz.confirm")
        run.answer(ENTER)
        run.expect("label.done")
        assert run.end() == 0
        assert fake.native_url("eu-central-1") in (home / ".bashrc").read_text()
        assert shell_key(home) == key


# --- "Show the exact changes" ---------------------------------------------------------------------


def test_the_diff_shows_every_file_that_will_change_with_every_key_masked(
    home: Path, fake: FakeDashScope
) -> None:
    """Startup files, the .env and Qwen Code's settings asked for, and the hand-made export to be
    commented out: each file's diff (it showed the startup files only), and no key in any of them."""
    import pexpect

    key, old = new_key(), new_key()
    fake.add_key(key, "cn-beijing")
    (home / ".bashrc").write_text(f"export DASHSCOPE_API_KEY={old}\n")
    before = snapshot(home)
    env = clean_env(
        home,
        DASHSCOPE_SETUP_REGION_URLS=fake.urls_env(),
        DASHSCOPE_SETUP_TIMEOUT="5",
        PROMPT_TOOLKIT_NO_CPR="1",
        TERM="xterm-256color",
        LANG="en_US.UTF-8",
        SHELL="/bin/bash",
    )
    argv = ["-m", "wizard", "--dotenv", ".env", "--qwen-code", "--shell", "bash"]
    child = pexpect.spawn(
        sys.executable, argv, env=env, cwd=str(home), encoding="utf-8", timeout=20, dimensions=(50, 120)
    )
    out = io.StringIO()
    child.logfile_read = out
    child.expect(q("en", "wiz.key_prompt") + r".*?\x1b\[\?25h")
    child.send(key + ENTER)
    child.expect(q("en", "wiz.confirm_quit"))
    child.send(DOWN + DOWN + ENTER)  # Show the exact changes (diff)
    child.expect(r"\+\+\+ .*?" + q("en", "wiz.confirm"))
    child.expect(q("en", "wiz.confirm_quit"))
    child.send("\x1b")  # Esc: quit, nothing written
    assert finish(child) == 130
    shown = ESCAPES.sub("", out.getvalue())
    for path in (home / ".bashrc", home / ".profile", home / ".env", home / ".qwen" / "settings.json"):
        assert f"+++ {path}" in shown, path
    assert "# disabled by dashscope-setup" in shown  # the hand-made export, commented out
    assert key not in shown and old not in shown
    assert snapshot(home) == before
