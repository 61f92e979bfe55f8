"""`remove` on a real terminal (pexpect): it lists what will go, the key last, and asks; one answer
keeps the key. Without a terminal it does nothing unless --yes."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pexpect
import pytest

from tests.conftest import clean_env, new_key, run_cli, setup_cli, snapshot
from wizard.messages import t

DOWN, ENTER = "\x1b[B", "\r"


def setup_bash(home: Path, key: str) -> None:
    result = setup_cli(home, key, "--shell", "bash")
    assert result.returncode == 0, result.stderr


def spawn_remove(home: Path, lang: str) -> pexpect.spawn:
    env = clean_env(
        home,
        PROMPT_TOOLKIT_NO_CPR="1",
        TERM="xterm-256color",
        LANG="zh_CN.UTF-8" if lang == "zh" else "en_US.UTF-8",
    )
    return pexpect.spawn(
        sys.executable, ["-m", "wizard", "remove"], env=env, cwd=str(home), encoding="utf-8",
        timeout=20, dimensions=(50, 200),
    )  # fmt: skip


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else 128 + (child.signalstatus or 0))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_lists_the_key_last_and_one_answer_keeps_it(home: Path, lang: str) -> None:
    key = new_key()
    setup_bash(home, key)
    key_file = home / ".dashscope" / "api_key"
    child = spawn_remove(home, lang)
    child.expect(re.escape(t(lang, "wiz.remove_summary")))
    child.expect(re.escape(t(lang, "wiz.remove_confirm")))
    # Our own lines, before questionary starts drawing (escape sequences) the question.
    listed = [
        line.strip() for line in (child.before or "").splitlines() if line.strip() and "\x1b" not in line
    ]
    assert listed[-1] == t(lang, "change.will-delete.key-file", path="~/.dashscope/api_key")
    assert t(lang, "change.will-delete.block", path="~/.bashrc") + " [bash]" in listed
    child.send(DOWN + ENTER)  # all but the key
    child.expect(re.escape(t(lang, "label.removed_done")))
    assert finish(child) == 0
    assert key_file.read_text().strip() == key
    assert not (home / ".bashrc").exists()
    out = child.before or ""
    assert key not in out
    # Said once it is done, and the record is gone: a second remove has nothing left to do.
    second = run_cli(home, "remove", "--yes", "--json")
    assert second.returncode == 0 and '"outcome": {"id": "label.nothing_to_remove"' in second.stdout


def test_the_first_answer_removes_everything_and_names_the_unset_line(home: Path) -> None:
    setup_bash(home, new_key())
    child = spawn_remove(home, "en")
    child.expect(re.escape(t("en", "wiz.remove_confirm")))
    child.send(ENTER)
    child.expect(re.escape(t("en", "change.deleted.key-file", path="~/.dashscope/api_key")))
    child.expect(re.escape(t("en", "label.removed_done")))
    child.expect(re.escape(t("en", "next.unset_open")))
    assert finish(child) == 0
    assert not (home / ".dashscope").exists()


def test_quitting_changes_nothing(home: Path) -> None:
    setup_bash(home, new_key())
    before = snapshot(home)
    child = spawn_remove(home, "en")
    child.expect(re.escape(t("en", "wiz.remove_confirm")))
    child.send(DOWN + DOWN + ENTER)
    assert finish(child) == 130
    assert snapshot(home) == before


def test_without_a_terminal_it_needs_yes_and_changes_nothing(home: Path) -> None:
    setup_bash(home, new_key())
    before = snapshot(home)
    refused = run_cli(home, "remove", "--json")
    assert refused.returncode == 2
    assert '"id": "err.not_interactive"' in refused.stdout
    assert f"{sys.executable} -m wizard remove --yes" in refused.stderr
    assert snapshot(home) == before
    dry = run_cli(home, "remove", "--dry-run")  # a dry run needs no answer
    assert dry.returncode == 0 and snapshot(home) == before


def test_nothing_to_remove_asks_nothing(home: Path) -> None:
    child = spawn_remove(home, "en")
    child.expect(re.escape(t("en", "label.nothing_to_remove")))
    assert finish(child) == 0
    assert t("en", "label.removed_done") not in (child.before or "")
